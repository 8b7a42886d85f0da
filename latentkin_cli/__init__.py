"""Command line entry points: the `latentkin` typer app (cli.py) and the one-command demo (demo.py)."""
