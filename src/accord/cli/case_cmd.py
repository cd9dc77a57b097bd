"""``accord case ...``: validate, show, list, schema, import and export cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.case.io import DEFAULT_CASE, builtin_cases, load_report
from accord.case.model import Case
from accord.evidence.pointers import load_corpus_dir

app = typer.Typer(help="Validate, inspect and convert case files.", no_args_is_help=True)

CaseArg = Annotated[str, typer.Argument(help="A case YAML file or a built-in case name (see `accord case list`).")]
CorpusOpt = Annotated[
    Path | None, typer.Option("--corpus", help="Corpus folder: also check every evidence span and hash.")
]


def _corpus(path: Path | None):
    from accord.cli.main import existing_dir

    existing_dir(path, "--corpus")
    return load_corpus_dir(path) if path is not None else None


@app.command("validate")
def validate_cmd(
    case: CaseArg,
    corpus: CorpusOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a case file; print every problem as FILE:LINE:COL: field.path: message (hint)."""
    from accord.cli.main import console, err, print_json

    report = load_report(case, _corpus(corpus))
    if json_out:
        print_json(report.to_json())
    elif report.ok:
        console.print(report.summary(), highlight=False, soft_wrap=True)
    else:
        for problem in report.problems:
            err.print(str(problem), highlight=False, markup=False, soft_wrap=True)
        err.print(f"{len(report.problems)} problem(s) in {report.file}", highlight=False)
    raise typer.Exit(0 if report.ok else 1)


def load_or_exit(case: str | None, corpus: Path | None = None) -> Case:
    """Load a case for a command, or print its problems and exit 1."""
    from accord.cli.main import err

    report = load_report(case, _corpus(corpus))
    if not report.ok:
        for problem in report.problems:
            err.print(str(problem), highlight=False, markup=False, soft_wrap=True)
        err.print(f"{len(report.problems)} problem(s); fix them and try again (`accord case validate`)")
        raise typer.Exit(1)
    assert report.case is not None
    return report.case


@app.command("list")
def list_cmd() -> None:
    """List the built-in cases."""
    from accord.cli.main import console

    table = Table(title="Built-in cases")
    table.add_column("name")
    table.add_column("as of")
    table.add_column("actors", justify="right")
    table.add_column("issues", justify="right")
    table.add_column("events", justify="right")
    table.add_column("title")
    for name in builtin_cases():
        report = load_report(name)
        if report.case is None:
            table.add_row(name, "", "", "", "", "[red]invalid[/red]")
            continue
        c = report.case
        default = " (default)" if name == DEFAULT_CASE else ""
        table.add_row(
            name + default, c.case.as_of, str(len(c.actors)), str(len(c.issues)), str(len(c.events)), c.case.title
        )
    console.print(table)


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the case format."""
    typer.echo(json.dumps(Case.model_json_schema(by_alias=True), indent=2))


@app.command("show")
def show_cmd(case: Annotated[str, typer.Argument(help="A case file or built-in name.")] = DEFAULT_CASE) -> None:
    """Show a case as tables: actors, issues, stances, relations and timeline."""
    from accord.cli.main import console
    from accord.cli.render import render_case

    render_case(console, load_or_exit(case))
