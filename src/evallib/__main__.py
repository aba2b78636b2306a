"""``python -m evallib`` runs the command line."""

from .cli import app

app(prog_name="evallib")
