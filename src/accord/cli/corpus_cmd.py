"""``accord corpus ...``: the searchable corpus store (ingest and search)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Add texts to the corpus store and search them.", no_args_is_help=True)
