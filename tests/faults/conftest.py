"""Fault probes: small, fast set-ups shared by the tests in this folder.

Probes run on a copy of a smaller example (:mod:`small_example`: six of the ten schools,
the programme file cut to match). Engine-level probes run real notebooks on real kernels,
but *light* ones (:func:`light_notebooks`): they read the processed data and print a
fingerprint of it, so a report still changes whenever its data change, while a whole run
takes seconds, not minutes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from small_example import programme_file, small_example

from evallib.contract.programme import Programme, load_programme
from evallib.engine.run import RunConfig

ROOT = Path(__file__).resolve().parents[2]

_READ = """\
from evallib.evaluation.dataset import load_dataset

data = load_dataset(data_dir)
{check}print(data.fingerprint(), lang)"""


def write_notebooks(folder: Path, check: str = "") -> Path:
    """``school.ipynb`` and ``regio.ipynb`` that read the data and print its fingerprint.

    ``check`` is code run first in the school notebook (e.g. a planted error).
    """
    folder.mkdir(parents=True, exist_ok=True)
    parameters = {
        "school": 'school = "01GX"\nprogramme_file = ""\ndata_dir = ""\nlang = "nl"\nprevious = ""',
        "regio": 'programme_file = ""\ndata_dir = ""\nlang = "nl"',
    }
    for name, source in parameters.items():
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = ["parameters"]
        body = _READ.format(check=check + "\n" if check and name == "school" else "")
        nb.cells = [cell, nbformat.v4.new_code_cell(body)]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A private copy of the small example's deliveries (its programme: :func:`programme`)."""
    return small_example(tmp_path)


def change_one_digit(path: Path) -> None:
    """A new delivery of ``path``: its last 5 becomes a 6 (a valid value, different data)."""
    data = bytearray(path.read_bytes())
    at = data.rindex(b"5")
    data[at : at + 1] = b"6"
    path.write_bytes(bytes(data))


@pytest.fixture
def programme(raw: Path) -> Programme:
    """The small example's programme."""
    return load_programme(programme_file(raw))


@pytest.fixture(scope="session")
def light_notebooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The light notebooks, written once per test process: its runs share one warm kernel."""
    return write_notebooks(tmp_path_factory.mktemp("light") / "notebooks")


def light_config(raw: Path, folder: Path, notebooks: Path, **changes: object) -> RunConfig:
    """A run of the small example ``raw`` into ``folder/processed`` and ``folder/reports``
    with ``notebooks``, sequential unless ``changes`` say otherwise."""
    values = dict(
        root=ROOT,
        raw_dir=raw,
        programme_file=programme_file(raw),
        processed_dir=folder / "processed",
        reports_dir=folder / "reports",
        notebooks_dir=notebooks,
        executor="sequential",
    )
    return RunConfig(**{**values, **changes})


@pytest.fixture(scope="session")
def small_processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small example validated once per test process, as an earlier run left it."""
    from evallib.engine.prepare import prepare_data

    folder = tmp_path_factory.mktemp("small-validated")
    raw = small_example(folder)
    config = light_config(raw, folder, folder)
    prepare_data(config, load_programme(programme_file(raw)), lambda *args: None)
    return config.processed


@pytest.fixture
def light_run(raw: Path, tmp_path: Path, light_notebooks: Path, small_processed: Path) -> RunConfig:
    """:func:`light_config` for this test's copy of the example, with the light notebooks.

    Its processed folder is that of an earlier run on the same deliveries: a run skips
    validation until the test changes a file (then it validates, as for a user).
    """
    shutil.copytree(small_processed, tmp_path / "processed")
    return light_config(raw, tmp_path, light_notebooks)
