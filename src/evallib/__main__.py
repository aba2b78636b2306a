"""``python -m evallib`` runs the command line."""

from evallib.cli import app

app(prog_name="evallib")
