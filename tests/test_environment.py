"""The three dependency lists agree: pyproject (names), constraints (pins), environment.yml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_name(name)] = version
    return pins


def _project_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    return {
        _name(d): d.split("=", 1)[1] for d in env["dependencies"] if isinstance(d, str) and "=" in d
    }


def test_every_requirement_is_pinned_in_the_lock() -> None:
    pins = _pins()
    missing = [name for name in _project_requirements() if name not in pins]
    assert not missing, f"add to requirements/constraints.txt (make lock): {missing}"


def test_environment_yml_has_the_same_pins_as_the_lock() -> None:
    pins, conda = _pins(), _conda()
    for name in _project_requirements():
        assert name in conda, f"environment.yml lacks {name}"
        assert conda[name] == pins[name], (
            f"{name}: environment.yml {conda[name]} vs lock {pins[name]}"
        )


def test_named_dependencies_of_the_project_are_present() -> None:
    required = {
        "jupyterlab",
        "pandas",
        "seaborn",
        "papermill",
        "nbconvert",
        "great-expectations",
        "pytest",
    }
    assert required <= set(_project_requirements())


def test_lock_has_no_unpinned_lines() -> None:
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", line.strip()), line
