"""The ``python -m renderer`` Typer app and its error handling, shared by the command modules."""

from __future__ import annotations

import typer

from latentkin_core.cli import friendly as friendly_errors

app = typer.Typer(add_completion=False, no_args_is_help=True, help="latentkin renderer: portraits, GAN, evaluation.")


def _report(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


# One line on stderr and exit code 2 for a renderer error or a bad value (e.g. a truncation outside (0, 1]).
friendly = friendly_errors(2, _report, (ValueError,))
