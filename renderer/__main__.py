"""Entry point of ``python -m renderer``."""

from renderer.cli import app

app()
