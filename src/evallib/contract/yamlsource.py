"""Read a YAML file and remember where every value stands, so errors can name the line.

PyYAML's safe loader gives plain data but forgets positions and silently keeps the last of two
equal keys. :func:`read_yaml` composes the node tree instead, refuses duplicate keys, and
keeps the line of every mapping key and list item under its path, e.g.
``("projects", 0, "targets", 2, "measure")``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evallib.core.errors import ProgrammeError

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Plain YAML data and the line (1-based) of each path in it."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of the deepest part of ``path`` that the file has.

        Parts that are not in the file (pydantic adds the name of a union's branch, for
        example) are skipped, so a validation error's location still finds its line.

        Examples
        --------
        >>> doc = parse_yaml("a:\\n  b: 1\\n  c:\\n    - x\\n", "f.yaml")
        >>> doc.line(("a", "c", 0)), doc.line(("a", "union-branch", "b")), doc.line(("z",))
        (4, 2, None)
        """
        found: Path_ = ()
        best = None
        for part in path:
            candidate = (*found, part)
            if candidate in self.lines:
                found, best = candidate, self.lines[candidate]
        return best


def read_yaml(path: Path) -> Located:
    """Read and parse a YAML file; a ProgrammeError names the file and line of any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgrammeError(
            "Programmabestand niet gevonden",
            file=str(path),
            hint="Geef het pad naar een programmabestand, bijv. programmes/haaglanden-2013.yaml",
        ) from None
    except IsADirectoryError:
        raise ProgrammeError(
            "Dit is een map, geen programmabestand",
            file=str(path),
            hint="Geef het pad naar een .yaml-bestand, bijv. programmes/haaglanden-2013.yaml",
        ) from None
    except UnicodeDecodeError as exc:
        raise ProgrammeError(
            "Programmabestand is geen UTF-8-tekst",
            file=str(path),
            row=text_line(path.read_bytes(), exc.start),
            hint="Sla het bestand op als UTF-8 (in de meeste editors: Opslaan als… → UTF-8)",
        ) from None
    return parse_yaml(text, str(path))


def text_line(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset."""
    return data[:offset].count(b"\n") + 1


def parse_yaml(text: str, name: str) -> Located:
    """Parse YAML text (see :func:`read_yaml`)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        located = Located(None)
        located.data = _build(loader, node, (), located, name) if node is not None else None
        return located
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProgrammeError(
            f"Geen geldige YAML: {getattr(exc, 'problem', None) or exc}",
            file=name,
            row=None if mark is None else mark.line + 1,
            hint="Controleer inspringing, dubbele punten en aanhalingstekens op die regel",
        ) from None
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, out: Located, name: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise ProgrammeError(
                    "Sleutel komt twee keer voor",
                    file=name,
                    row=key_node.start_mark.line + 1,
                    column=".".join(map(str, (*path, key))),
                    hint="Een sleutel mag maar één keer voorkomen; verwijder of hernoem de tweede",
                )
            out.lines[(*path, _plain(key))] = key_node.start_mark.line + 1
            result[key] = _build(loader, value_node, (*path, _plain(key)), out, name)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            out.lines[(*path, index)] = item.start_mark.line + 1
            items.append(_build(loader, item, (*path, index), out, name))
        return items
    return loader.construct_object(node, deep=True)


def _plain(key: Any) -> str | int:
    return key if isinstance(key, int) and not isinstance(key, bool) else str(key)
