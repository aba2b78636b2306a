"""The package's shape: its layers import one way only, and no module imports itself in a circle.

The layer contract lives in ``pyproject.toml`` (``[tool.importlinter]``) and is described in
``docs/architecture.md``; ``make lint`` runs it too (``lint-imports``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("evallib", cache_dir=None)


def test_import_linter_contracts_are_kept() -> None:
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_imports_itself_through_others(graph: grimp.ImportGraph) -> None:
    cycles = [
        (module, other)
        for module in sorted(graph.modules)
        for other in graph.find_modules_directly_imported_by(module)
        if other != module and graph.chain_exists(importer=other, imported=module)
    ]
    assert not cycles, f"import cycles (module, module it imports that leads back): {cycles}"


def test_every_subpackage_is_in_the_layer_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    named = {part.strip() for layer in layers for part in layer.split("|")}
    packages = {
        f"evallib.{p.name}"
        for p in (ROOT / "src" / "evallib").iterdir()
        if (p / "__init__.py").exists()
    }
    assert packages | {"evallib.cli"} == named


def test_architecture_page_names_every_layer() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in (ROOT / "src" / "evallib").iterdir():
        if (package / "__init__.py").exists():
            assert f"`{package.name}/`" in page, package.name
