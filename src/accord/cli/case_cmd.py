"""``accord case ...``: validate, show, list, schema, import and export cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.case.io import DEFAULT_CASE, builtin_cases, load_report
from accord.case.model import Case
from accord.cli.common import corpus_or_none as _corpus
from accord.cli.common import load_or_exit
from accord.cli.output import problems_error, rendering_errors
from accord.cli.render import printable
from accord.errors import InputError, NotFoundError, UsageError

app = typer.Typer(help="Validate, inspect and convert case files.", no_args_is_help=True)

CaseArg = Annotated[
    str, typer.Argument(help="A case YAML file or a built-in case name (see `accord case list`).")
]
CorpusOpt = Annotated[
    Path | None, typer.Option("--corpus", help="Corpus folder: also check every evidence span and hash.")
]


@app.command("validate")
@rendering_errors
def validate_cmd(
    case: CaseArg,
    corpus: CorpusOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="Accept to-dos (open slots); list them as a checklist.")
    ] = False,
) -> None:
    """Check a case file; print every problem as FILE:LINE:COL: field.path: message (hint)."""
    from accord.cli.main import console, err, print_json

    if draft:
        from accord.cli.newcase_cmd import print_draft_report

        print_draft_report(case, _corpus(corpus), json_out)
    report = load_report(case, _corpus(corpus))
    if json_out:
        print_json(report.to_json())
    elif report.ok:
        console.print(report.summary(), highlight=False, soft_wrap=True)
    else:
        for problem in report.problems:
            err.print(printable(problem), highlight=False, markup=False, soft_wrap=True)
        err.print(f"{len(report.problems)} problem(s) in {report.file}", highlight=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command("list")
@rendering_errors
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
            name + default,
            c.case.as_of,
            str(len(c.actors)),
            str(len(c.issues)),
            str(len(c.events)),
            c.case.title,
        )
    console.print(table)


@app.command("schema")
@rendering_errors
def schema_cmd() -> None:
    """Print the JSON Schema of the case format."""
    typer.echo(json.dumps(Case.model_json_schema(by_alias=True), indent=2))


@app.command("show")
@rendering_errors
def show_cmd(
    case: Annotated[str, typer.Argument(help="A case file or built-in name.")] = DEFAULT_CASE,
) -> None:
    """Show a case as tables: actors, issues, stances, relations and timeline."""
    from accord.cli.main import console
    from accord.cli.render import render_case

    render_case(console, load_or_exit(case))


@app.command("import")
@rendering_errors
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The CSV file to import.")],
    from_: Annotated[
        str,
        typer.Option(
            "--from", help="Format: ktab, bdm, or survey (an expert survey .csv/.xlsx, with --into)."
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the case YAML.")],
    position_max: Annotated[
        float | None, typer.Option(help="Upper end of the file's position scale (default: inferred).")
    ] = None,
    into: Annotated[
        str | None, typer.Option("--into", help="survey: the case whose actors and issues the rows use.")
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus", help="survey: folder for the experts' answer sheets (default: the survey's folder)."
        ),
    ] = None,
    survey_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="survey: when the experts answered, YYYY-MM-DD (default: the file's date); not after the "
            "case's as_of.",
        ),
    ] = None,
) -> None:
    """Import a KTAB or BDM CSV, or an expert survey, as a case.

    Each number imported from a CSV cites its row of the CSV."""
    from accord.case.validate import validate_text
    from accord.cli.main import console
    from accord.formats.csv_cases import FORMATS, FormatError, case_to_yaml, import_csv

    if from_ == "survey":
        from accord.cli.newcase_cmd import survey_import

        survey_import(file, into, output, corpus, survey_date)
        return
    if from_ not in FORMATS:
        raise UsageError(f"unknown format --from {from_}", f"choose one of: {', '.join(FORMATS)}, survey")
    if not file.is_file():
        raise NotFoundError(f"{file}: file not found", "check the path")
    try:
        data = import_csv(file, from_, position_max)
    except FormatError as exc:
        where = f"{file}:{exc.line}: " if exc.line else f"{file}: "
        raise InputError(
            f"{where}{exc}", exc.hint or f"check the file against the {from_} columns (docs/case-format.md)"
        ) from None
    text = case_to_yaml(data)
    report = validate_text(text, str(output))
    if not report.ok:  # a bug if it happens: refuse to write a case that does not validate
        raise problems_error(
            [printable(p) for p in report.problems],
            f"the imported case would not validate ({output}, problems above); nothing was written",
            "report this as a bug with the file you imported",
        )
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {output}: {report.summary().split(': ', 1)[1]}", highlight=False)


@app.command("export")
@rendering_errors
def export_cmd(
    case: CaseArg,
    to: Annotated[
        str,
        typer.Option(
            "--to", help="Format: ktab or bdm (CSV), gexf or graphml (network), kumu or xlsx (Excel)."
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the file.")],
    issue: Annotated[str | None, typer.Option(help="BDM holds one issue: which one.")] = None,
) -> None:
    """Export a case as a KTAB or BDM CSV, a GEXF/GraphML network, a Kumu workbook or an Excel workbook."""
    from accord.cli.main import console, err
    from accord.formats.csv_cases import FORMATS, FormatError, export_csv

    if to in ("gexf", "graphml", "kumu", "xlsx"):  # accord.formats: other tools' files
        from accord.formats import gexf, kumu, xlsx

        write = {
            "gexf": gexf.to_gexf,
            "graphml": gexf.to_graphml,
            "kumu": kumu.to_kumu,
            "xlsx": xlsx.to_xlsx,
        }[to]
        output.write_bytes(write(load_or_exit(case)))
        console.print(f"wrote {output}", highlight=False)
        return
    if to not in FORMATS:
        raise UsageError(
            f"unknown format --to {to}", f"choose one of: {', '.join(FORMATS)}, gexf, graphml, kumu, xlsx"
        )
    loaded = load_or_exit(case)
    if issue is not None and issue not in loaded.issue_ids:
        raise InputError(f"unknown issue {issue!r}", f"the case has: {', '.join(loaded.issue_ids)}")
    try:
        text, warnings = export_csv(loaded, to, issue)
    except FormatError as exc:
        raise InputError(str(exc), exc.hint or "") from None
    for warning in warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}")
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {output}", highlight=False)


# `case new`, `case survey-template` (accord.cli.newcase_cmd)
from accord.cli.newcase_cmd import register_case  # noqa: E402

register_case(app)
