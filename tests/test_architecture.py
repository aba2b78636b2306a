"""The package's shape: its layers import one way only, and no module imports itself in a circle.

The layer contract lives in ``pyproject.toml`` (``[tool.importlinter]``) and is described in
``docs/architecture.md``; ``make lint`` runs it too (``lint-imports``).
"""

from __future__ import annotations

import ast
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


#: Module and function sizes a reader can hold in mind (issue 15). A longer one needs a
#: comment ``# size: <why>`` on its first line (the module docstring or the ``def`` line).
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60


def _sources() -> list[Path]:
    return sorted(Path("src/evallib").rglob("*.py"))


def _excused(lines: list[str], first: int) -> bool:
    return any("# size:" in line for line in lines[max(first - 2, 0) : first + 1])


def test_no_module_over_400_lines_without_a_reason() -> None:
    long = []
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_MODULE_LINES and not any("# size:" in line for line in lines[:15]):
            long.append(f"{path}: {len(lines)} lines")
    assert not long, "\n".join(long)


def test_no_function_over_60_lines_without_a_reason() -> None:
    long = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                # The body without the docstring: examples in a docstring are documentation.
                body = node.body[1:] if ast.get_docstring(node) else node.body
                if not body:
                    continue
                size = node.end_lineno - body[0].lineno + 1
                if size > MAX_FUNCTION_LINES and not _excused(lines, node.lineno - 1):
                    long.append(f"{path}:{node.lineno} {node.name}: {size} lines")
    assert not long, "\n".join(long)


def test_the_run_imports_no_statistics_libraries_until_it_computes() -> None:
    # An unchanged rerun builds nothing; it should not pay a second and ~1,000 modules for
    # scipy.stats, statsmodels and lifelines (benchmarks/results/programme-model-n50.md).
    import subprocess
    import sys

    heavy = ["scipy.stats", "scipy.optimize", "statsmodels", "lifelines", "matplotlib"]
    code = (
        "import sys, evallib.engine.run, evallib.cli; "
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "", f"importing the run loads {loaded}: import them where they are used"
