"""Commands run in the test's own process: the same ``evallib`` command a user types, without
a new interpreter that imports evallib and great_expectations again (seconds each time).
The suite still runs end-to-end builds in processes of their own, as a user does: conftest's
``small_rerun`` (with the local pool's worker processes), and a run killed with SIGKILL and
run again (tests/faults/test_interrupted_runs.py).
"""

from __future__ import annotations

import subprocess


def evallib_cli(*args: str) -> subprocess.CompletedProcess:
    """``evallib ARGS`` in this process (typer's CliRunner), with its exit code and output
    as :func:`subprocess.run` would give them. An exception the command did not turn into
    an exit code is raised here, with its traceback.

    The console is 200 columns wide, as ``COLUMNS=200`` makes it for a command in a process
    of its own.
    """
    from typer.testing import CliRunner

    from evallib import cli

    widths = cli.console.width, cli.err.width
    cli.console.width = cli.err.width = 200
    try:
        result = CliRunner().invoke(cli.app, list(args))
    finally:
        cli.console.width, cli.err.width = widths
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(
        ["evallib", *args], result.exit_code, result.stdout, result.stderr
    )


def validated_by_cli(raw, out) -> tuple:
    """``evallib validate RAW --out OUT`` in this process, and what
    :func:`evallib.validation.validate.validate_directory` returned inside it (``None`` if
    the command stopped before validating): one validation serves both the command's output
    and the result's details.

    Returns typer's ``Result`` (exit code, output, exception) and that ``ValidationResult``.
    """
    import pytest
    from typer.testing import CliRunner

    import evallib.validation.validate as validate
    from evallib import cli

    real, seen = validate.validate_directory, []

    def spy(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate, "validate_directory", spy)
        result = CliRunner().invoke(cli.app, ["validate", str(raw), "--out", str(out)])
    return result, seen[0] if seen else None
