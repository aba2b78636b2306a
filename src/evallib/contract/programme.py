"""Load a programme file (YAML) into the typed model and say exactly what is wrong with it.

Every problem is a :class:`~evallib.core.errors.ProgrammeError` in Dutch that names the file,
the line and the key (``projects[starters].targets[starters-uitval].measure.yeras``), what
was expected and what was found. The format is documented in ``docs/programme-format.md``;
``programmes/programme.schema.json`` lets an editor check and complete programme files.

Reader-facing texts of the plan (a project's ``name`` and ``summary``, a target's ``title``)
are Dutch; an optional ``en:`` mapping next to them gives the English.
"""

from __future__ import annotations

import difflib
import functools
import json
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from evallib.contract.measures import MEASURES, SHAPES_FOR_KIND, Kind
from evallib.contract.model import (
    Decision,
    DecisionRule,
    Programme,
    Project,
    School,
    years,
)
from evallib.contract.references import Problem, reference_problems
from evallib.contract.targets import SHAPES, Milestone, Target
from evallib.contract.yamlsource import Located, read_yaml
from evallib.core.errors import ProgrammeError

__all__ = [
    "SHAPES",
    "Decision",
    "DecisionRule",
    "Milestone",
    "Programme",
    "Project",
    "School",
    "Target",
    "load_programme",
    "programme_schema",
    "read_programme",
    "years",
]

HINT = "Pas het programmabestand aan (zie docs/programme-format.md)"

# pydantic's error types in the words of a programme file's author.
_MESSAGES = {
    "extra_forbidden": "Onbekende sleutel",
    "missing": "Verplichte sleutel ontbreekt",
    "union_tag_invalid": "Onbekende waarde",
    "union_tag_not_found": "Sleutel ontbreekt",
    "literal_error": "Onbekende waarde",
    "string_type": "Verwacht tekst",
    "string_pattern_mismatch": "Tekst heeft niet de juiste vorm",
    "string_too_short": "Tekst is leeg",
    "string_too_long": "Tekst is te lang",
    "int_parsing": "Verwacht een geheel getal",
    "int_type": "Verwacht een geheel getal",
    "int_from_float": "Verwacht een geheel getal",
    "float_parsing": "Verwacht een getal",
    "float_type": "Verwacht een getal",
    "bool_parsing": "Verwacht ja/nee (true of false)",
    "bool_type": "Verwacht ja/nee (true of false)",
    "date_type": "Verwacht een datum",
    "date_parsing": "Verwacht een datum",
    "date_from_datetime_parsing": "Verwacht een datum",
    "dict_type": "Verwacht sleutels met waarden",
    "model_type": "Verwacht sleutels met waarden",
    "model_attributes_type": "Verwacht sleutels met waarden",
    "list_type": "Verwacht een lijst",
    "tuple_type": "Verwacht een lijst",
    "too_short": "Lijst is te kort of leeg",
    "too_long": "Lijst is te lang",
    "greater_than": "Getal is te klein",
    "greater_than_equal": "Getal is te klein",
    "less_than": "Getal is te groot",
    "less_than_equal": "Getal is te groot",
    "value_error": "Ongeldige waarde",
}
_EXPECTED = {
    "string_pattern_mismatch": {
        "brin": "BRIN-code: 2 cijfers en 2 letters, bijv. 01GX",
        "id": "letters, cijfers, '-', '_' of '.', te beginnen met een letter of cijfer",
    },
    "date_type": "datum als JJJJ-MM-DD",
    "date_parsing": "datum als JJJJ-MM-DD",
    "date_from_datetime_parsing": "datum als JJJJ-MM-DD",
    "bool_parsing": "true of false",
}


def load_programme(path: str | Path) -> Programme:
    """Load and check a programme file (cached while the file is unchanged; see :func:`read_programme`)."""
    path = Path(path)
    try:
        stamp = path.stat()
    except OSError:
        return read_programme(path)
    return _cached_programme(str(path), stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=8)
def _cached_programme(path: str, mtime_ns: int, size: int) -> Programme:
    return read_programme(path)


def read_programme(path: str | Path) -> Programme:
    """Load and check a programme file.

    Parameters
    ----------
    path
        The programme file, e.g. ``programmes/haaglanden-2013.yaml``.

    Returns
    -------
    Programme

    Raises
    ------
    ProgrammeError
        With the file, the line and the key of the first problem, in Dutch.

    Examples
    --------
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> len(p.participating), len(p.comparison), len(p.projects)
    (8, 2, 4)
    """
    path = Path(path)
    source = read_yaml(path)
    if not isinstance(source.data, dict):
        raise ProgrammeError(
            "Een programmabestand bestaat uit sleutels met waarden (id:, name:, schools:, ...)",
            file=str(path),
            found=type(source.data).__name__ if source.data is not None else "leeg bestand",
            hint=HINT,
        )
    misfit = _shape_misfit(source.data)
    if misfit:
        raise _problem(path, source, misfit)
    try:
        programme = Programme.model_validate(source.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key shows as "unknown" and "missing" at once: the unknown one says more.
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        raise _error(path, source, first) from None
    problems = reference_problems(programme)
    if problems:
        raise _problem(path, source, problems[0])
    programme._path = path
    return programme


def _error(path: Path, source: Located, error: dict[str, Any]) -> ProgrammeError:
    loc = tuple(error["loc"])
    kind = error["type"]
    message = _MESSAGES.get(kind, "Ongeldige waarde")
    expected = _expected(kind, error, loc)
    found = None if kind == "missing" else error.get("input")
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "extra_forbidden":
        found = loc[-1]
        allowed = _keys_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            message += f"; bedoel je '{close[0]}'?"
        expected = ", ".join(allowed) or expected
    if kind == "union_tag_invalid":
        found = error.get("ctx", {}).get("tag", found)
        loc = (*loc, "shape" if "shape" in str(error["msg"]) else "name")
    return ProgrammeError(
        message,
        file=str(path),
        row=source.line(loc),
        column=key_path(source.data, loc),
        expected=expected,
        found=_short(found),
        hint=HINT,
    )


def _keys_at(loc: tuple) -> list[str]:
    """The keys the model at ``loc`` (a validation error's location) allows."""
    model: Any = Programme
    for part in loc:
        model = _step(model, part)
        if model is None:
            return []
    while typing.get_origin(model) in (typing.Annotated, typing.Union, types.UnionType):
        options = [a for a in typing.get_args(model) if a is not type(None)]
        if typing.get_origin(model) is not typing.Annotated and len(options) != 1:
            break
        model = options[0]
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items() if name != "project"]
    return []


def _step(annotation: Any, part: str | int) -> Any:
    """The type one step into ``annotation`` along a location part (None if lost)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            named = [a for a in options if _tag(a) == part]
            if named:
                return named[0]
            if len(options) != 1:
                return annotation if isinstance(part, int) else None
            annotation = options[0]
        else:
            break
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {
            f.alias or n: f for n, f in annotation.model_fields.items()
        } | annotation.model_fields
        field = fields.get(str(part))
        return None if field is None else field.annotation
    if typing.get_origin(annotation) in (tuple, list) and isinstance(part, int):
        return typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is dict:
        return typing.get_args(annotation)[1]
    return None


def _tag(model: Any) -> str | None:
    for key in ("shape", "name"):
        field = getattr(model, "model_fields", {}).get(key)
        if field is not None and typing.get_origin(field.annotation) is typing.Literal:
            return typing.get_args(field.annotation)[0]
    return None


def _shape_misfit(data: dict) -> Problem | None:
    """A target whose measure cannot have its shape, found before the keys are checked.

    The keys a shape takes differ, so a shape that does not fit its measure would otherwise
    first show as an unknown key, which says less.
    """
    kinds = {
        i.get("id"): i.get("kind") for i in data.get("indicators") or [] if isinstance(i, dict)
    }
    for i, project in enumerate(data.get("projects") or []):
        for j, target in enumerate(
            (project or {}).get("targets") or [] if isinstance(project, dict) else []
        ):
            if not isinstance(target, dict) or not isinstance(target.get("measure"), dict):
                continue
            name, shape = target["measure"].get("name"), target.get("shape")
            model = MEASURES.get(name) if isinstance(name, str) else None
            if model is None or shape not in SHAPES:
                continue
            kind = (
                model.kind if name != "indicator" else kinds.get(target["measure"].get("indicator"))
            )
            if kind in Kind.__members__.values() and shape not in SHAPES_FOR_KIND[Kind(kind)]:
                return (
                    ("projects", i, "targets", j, "shape"),
                    f"Vorm '{shape}' past niet bij maat '{name}' ({Kind(kind).value})",
                    ", ".join(SHAPES_FOR_KIND[Kind(kind)]),
                    shape,
                )
    return None


def _expected(kind: str, error: dict[str, Any], loc: tuple) -> str | None:
    ctx = error.get("ctx", {})
    if kind in ("union_tag_invalid", "literal_error"):
        return ctx.get("expected_tags") or ctx.get("expected")
    if kind == "extra_forbidden":
        return "een van de sleutels in docs/programme-format.md"
    if kind == "missing":
        return str(loc[-1])
    if kind == "string_pattern_mismatch":
        return _EXPECTED[kind]["brin" if "brin" in map(str, loc) or "participants" in loc else "id"]
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), None)
        return {
            "greater_than": f"> {bound}",
            "greater_than_equal": f"≥ {bound}",
            "less_than": f"< {bound}",
            "less_than_equal": f"≤ {bound}",
        }[kind]
    return _EXPECTED.get(kind) if isinstance(_EXPECTED.get(kind), str) else None


def _problem(path: Path, source: Located, problem: Problem) -> ProgrammeError:
    loc, message, expected, found = problem
    return ProgrammeError(
        message,
        file=str(path),
        row=source.line(loc),
        column=key_path(source.data, loc),
        expected=expected or None,
        found=_short(found),
        hint=HINT,
    )


def _short(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


def key_path(data: Any, loc: tuple) -> str:
    """A readable key for a location in the file: list items by their id where they have one.

    Parts of a validation error's location that are not in the file (the name of a union's
    branch) are left out.

    Examples
    --------
    >>> key_path({"projects": [{"id": "duo", "targets": [{"id": "d1"}]}]},
    ...          ("projects", 0, "targets", 0, "count_range", "measure", "yeras"))
    'projects[duo].targets[d1].measure.yeras'
    """
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            item = node[part] if part < len(node) else None
            label = (item.get("id") or item.get("brin")) if isinstance(item, dict) else None
            suffix = f"[{label if label is not None else part}]"
            parts[-1:] = [parts[-1] + suffix] if parts else [suffix]
            node = item
        elif isinstance(node, dict) and ("from" if part == "from_" else part) in node:
            key = "from" if part == "from_" else part
            parts.append(str(key))
            node = node[key]
        elif isinstance(part, str) and part not in _BRANCHES and "[" not in part:
            parts.append("from" if part == "from_" else part)  # a key that is missing: name it
            node = None
    return ".".join(parts) or "programme"


_BRANCHES = set(SHAPES) | set(MEASURES)


def programme_schema() -> dict[str, Any]:
    """The JSON Schema of a programme file (for editors: checks and completion).

    Examples
    --------
    >>> schema = programme_schema()
    >>> schema["title"], "projects" in schema["properties"]
    ('Programme', True)
    """
    schema = Programme.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "Een evallib-programmabestand (zie docs/programme-format.md). "
        f"Maten: {', '.join(sorted(MEASURES))}; vormen: {', '.join(SHAPES)}."
    )
    return schema
