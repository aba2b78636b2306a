"""No programme's vocabulary in the code: projects, roles and survey items come from the programme file.

Searches every string literal of ``src/`` (Python), every catalogue key and every notebook
code cell for the ids of the shipped programmes' projects, roles, survey groups and items.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from evallib.contract.programme import load_programme

ROOT = Path(__file__).resolve().parents[1]
# Programme files; a programme's companion file for synthetic data (*.synth.yaml) is not one.
PROGRAMMES = sorted(
    p for p in (ROOT / "programmes").glob("*.yaml") if not p.name.endswith(".synth.yaml")
)


def _vocabulary() -> set[str]:
    words: set[str] = set()
    for path in PROGRAMMES:
        programme = load_programme(path)
        for project in programme.projects:
            words.add(project.id)
            words.update(project.roles)
        words.update(programme.survey.groups)
        words.update(programme.survey.items)
    return words


VOCABULARY = _vocabulary()
#: Words a measure or the data contract itself uses in the same spelling (not a programme's id).
CONTRACT_WORDS = {"personeel"}  # the staff file's name

#: A word that is a programme's id by coincidence only, per file, with the reason. The
#: simulation study names its parts ("starters", "team", ...) and seeds each part's random
#: stream from that name: renaming it would change the streams behind the coverage table
#: published in docs/methods.md. It reads no programme.
COINCIDENCES = {"src/evallib/stats/simulation/study.py": {"starters"}}


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _found(text: str) -> set[str]:
    tokens = set(re.findall(r"[\w-]+", text))
    return (tokens & VOCABULARY) - CONTRACT_WORDS


def test_the_vocabulary_is_not_empty() -> None:
    assert {"starters", "e-coaching", "duo", "teamlid", "digitaal"} <= VOCABULARY


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "src" / "evallib").rglob("*.py")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_programme_id_in_python_string_literals(path: Path) -> None:
    allowed = CONTRACT_WORDS | COINCIDENCES.get(path.relative_to(ROOT).as_posix(), set())
    hits = [(line, text) for line, text in _strings(path) if text in VOCABULARY - allowed]
    assert not hits, f"programme vocabulary in code: {hits}"


def test_no_programme_id_in_catalogue_keys() -> None:
    for path in (ROOT / "src" / "evallib" / "core" / "catalogue").glob("*.yaml"):
        keys = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in keys:
            parts = set(key.split("."))
            assert not (parts & VOCABULARY) - CONTRACT_WORDS, f"{path.name}: {key}"


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name
)
def test_no_programme_id_in_notebook_code(notebook: Path) -> None:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "code" or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"])
        literals = re.findall(r"[\"']([^\"']*)[\"']", source)
        assert not {w for lit in literals for w in _found(lit)}, source
