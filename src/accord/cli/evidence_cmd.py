"""``accord evidence ...``: authoring help for evidence pointers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.evidence.pointers import LocateError, load_corpus_dir, pointer_for

app = typer.Typer(help="Find and check the passages behind a case's numbers.", no_args_is_help=True)


@app.command("locate")
def locate_cmd(
    doc: Annotated[str, typer.Argument(help="Document id (file name without extension).")],
    words: Annotated[str, typer.Argument(help="A few words of the sentence to point at.")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of the corpus texts.")],
    occurrence: Annotated[int | None, typer.Option(help="Which match, if the words occur several times.")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="Point at the words only, not the whole sentence.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the pointer as JSON.")] = False,
) -> None:
    """Print the evidence pointer {doc, start, end, sha256} of the sentence containing WORDS."""
    from accord.cli.main import err, print_json

    if not corpus.is_dir():
        err.print(f"[red]error:[/red] --corpus {corpus}: no such folder")
        raise typer.Exit(2)
    try:
        pointer = pointer_for(load_corpus_dir(corpus), doc, words, occurrence=occurrence, sentence=not exact)
    except LocateError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    if json_out:
        print_json(pointer)
    else:
        typer.echo(
            f"{{doc: {pointer['doc']}, start: {pointer['start']}, end: {pointer['end']}, sha256: {pointer['sha256']}}}"
        )
