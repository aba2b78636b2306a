"""Commands run in the test's own process: the same ``evallib`` command a user types, without
a new interpreter that imports evallib and great_expectations again (seconds each time).
The suite runs one end-to-end build in a process of its own, as a user does (conftest's
``example_run``), and one killed with SIGKILL and run again (``small_rerun``).
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
