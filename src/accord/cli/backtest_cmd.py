"""``accord backtest``: measured accuracy of every model on real outcomes (docs/validation.md).

- ``accord backtest deu FILE`` scores every engine, baseline and the forecaster on a DEU file;
- ``accord backtest fit FILE -o params.json`` refits the forecaster (the shipped parameters come from
  this command on the development file) and prints the pre-registered comparison of its candidates;
- ``accord backtest case CASE --outcome FILE`` scores a case's forecast against what happened.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accord.cli.output import fail
from accord.formats.deu import DeuFormatError

app = typer.Typer(help="Backtests: how far forecasts land from recorded outcomes.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _progress(total: int) -> tuple[Progress, Any]:
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task("backtest", total=total)

    def step(name: str) -> None:
        bar.update(task, advance=1, description=f"ran {name}")

    return bar, step


def _fail(message: str, hint: str) -> None:
    raise fail(message, hint)


def _ci(pair: list[float]) -> str:
    return f"{pair[0]:.1f}..{pair[1]:.1f}"


def _table(title: str, columns: tuple[str, ...]) -> Table:
    """A compact table (fits 80 columns): the first column left-aligned and never wrapped."""
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True
    )
    for k, col in enumerate(columns):
        table.add_column(col, justify="left" if k == 0 else "right", no_wrap=k == 0)
    return table


def _tables(report: dict[str, Any]) -> tuple[Table, Table]:
    acc = _table(
        f"{report['dataset']}: {report['issues']} issues, {report['proposals']} proposals, errors on 0-100",
        ("model", "n", "MAE", "95% CI", "vs comp", "95% CI", "RMSE", "MdAE"),
    )
    detail = _table(
        "Within 10/20 points; MAE on yes/no and continuous issues; intervals",
        ("model", "<=10", "<=20", "MAE y/n", "MAE cont", "cov50", "cov80", "cov90", "CRPS"),
    )
    for m in report["models"]:
        acc.add_row(
            m["name"],
            str(m["issues"]),
            f"{m['mae']:.1f}",
            _ci(m["mae_ci95"]),
            f"{m['delta_vs_compromise']:+.1f}",
            _ci(m["delta_ci95"]),
            f"{m['rmse']:.1f}",
            f"{m['median_ae']:.1f}",
        )
        cov = m.get("coverage")
        detail.add_row(
            m["name"],
            f"{m['within10']:.0%}",
            f"{m['within20']:.0%}",
            f"{m['dichotomous']['mae']:.1f}",
            f"{m['continuous']['mae']:.1f}",
            *(f"{cov[k]:.0%}" if cov else "-" for k in ("50", "80", "90")),
            f"{m['crps']:.1f}" if "crps" in m else "-",
        )
    return acc, detail


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2))


@app.command("deu")
def deu(
    file: Annotated[Path, typer.Argument(help="A DEU-format file (tab- or comma-separated).")],
    train: Annotated[
        Path | None, typer.Option(help="Fit every model with parameters on this file only.")
    ] = None,
    models: Annotated[
        str | None, typer.Option(help="Comma-separated models (default: all; see docs).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap and of the folds.", min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Score every engine, baseline and the forecaster on the issues of FILE that have an outcome."""
    from accord.validation.backtest import TooFewProposals, run_deu
    from accord.validation.models import select

    names = [n.strip() for n in models.split(",") if n.strip()] if models else None
    try:
        specs, with_forecaster = select(names)
    except ValueError as exc:
        _fail(str(exc), "run `accord backtest deu --help`")
    steps = (
        len(specs)
        + with_forecaster
        + (2 if train and with_forecaster else 0)
        + ("smp" not in {s.name for s in specs})
    )
    bar, step = _progress(steps)
    try:
        with bar:
            report = run_deu(file, train=train, models=names, seed=seed, progress=step)
    except DeuFormatError as exc:
        _fail(str(exc), exc.hint or "see docs/validation.md for the DEU layout")
    except TooFewProposals as exc:
        _fail(str(exc), "train on a larger file, e.g. the DEU development file")
    if as_json:
        _print_json(report)
        return
    acc, detail = _tables(report)
    console.print(acc)
    console.print(detail)
    unscored = sorted({m["not_scored"] for m in report["models"] if m["not_scored"]})
    console.print(
        f"forecaster: {report['forecaster']}, {report['forecaster_mode']}. vs comp: MAE minus the "
        "compromise model's on the same issues (paired bootstrap over proposals)."
        + (
            f" n < {report['issues']}: models that need a reference point skip the "
            f"{', '.join(map(str, unscored))} issues without one."
            if unscored
            else ""
        ),
        highlight=False,
    )


@app.command("fit")
def fit(
    file: Annotated[
        Path, typer.Argument(help="The DEU file to fit on (the shipped fit uses deu3-1996-2004.tsv).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the parameters (JSON).")],
    seed: Annotated[int, typer.Option(help="Seed of the folds and of the bootstrap.", min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Fit the forecaster on FILE, write its parameters, print the cross-validated comparison."""
    from accord.formats.deu import read_deu
    from accord.validation.backtest import TooFewProposals, fit_params, prepare
    from accord.validation.compare import compare_candidates
    from accord.validation.forecaster import CANDIDATES
    from accord.validation.models import MODELS

    bar, step = _progress(2 + len(CANDIDATES))
    try:
        with bar:
            prep = prepare(read_deu(file), [m for m in MODELS if m.name == "compromise"], step)
            params = fit_params(prep, seed)
            comparison = compare_candidates(prep.rows, prep.outcome, prep.groups, seed, step)
    except DeuFormatError as exc:
        _fail(str(exc), exc.hint or "see docs/validation.md for the DEU layout")
    except TooFewProposals as exc:
        _fail(str(exc), "fit on a larger file, e.g. the DEU development file")
    params["comparison"] = comparison
    output.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")
    if as_json:
        _print_json(comparison)
        return
    table = _table(
        f"Candidates, 10-fold CV by proposal on {file.name}",
        ("candidate", "MAE", "vs comp", "95% CI", "cov50", "cov80", "cov90", "CRPS"),
    )
    for row in comparison["cv10"]:
        table.add_row(
            row["name"],
            f"{row['mae']:.1f}",
            f"{row['delta']:+.1f}",
            _ci(row["delta_ci95"]),
            *(f"{row[k]:.0%}" for k in ("cover50", "cover80", "cover90")),
            f"{row['crps']:.1f}",
        )
    console.print(table)
    lopo = ", ".join(f"{k} {v:.2f}" for k, v in comparison["lopo_mae"].items())
    console.print(f"leave-one-proposal-out MAE: {lopo}", highlight=False)
    console.print(f"selected: {params['selected']}; written to {output}", highlight=False)


@app.command("case")
def case(
    case_ref: Annotated[str, typer.Argument(metavar="CASE", help="A case file or built-in name.")],
    outcome: Annotated[
        Path, typer.Option(help="YAML outcome file (docs/validation.md, 'Backtesting a case').")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Score the default forecaster's forecast of CASE against recorded outcomes."""
    from accord.api import backtest_case
    from accord.validation.outcomes import OutcomeError

    try:
        report = backtest_case(case_ref, outcome)
    except OutcomeError as exc:
        _fail(str(exc), exc.hint)
    if as_json:
        _print_json(report)
        return
    table = _table(
        f"{report['case']}: forecast (as of {report['as_of']}) vs outcome (observed {report['observed']})",
        ("issue", "forecast", "80% interval", "observed", "error", "inside"),
    )
    for r in report["issues"]:
        table.add_row(
            r["issue"],
            f"{r['median']:.1f}",
            f"[{r['low']:.1f}, {r['high']:.1f}]",
            f"{r['observed']:.1f}",
            f"{r['error']:.1f}",
            "yes" if r["inside80"] else "no",
        )
    console.print(table)
    console.print(
        f"MAE {report['mae']:.1f} on {len(report['issues'])} issues; {report['inside80']:.0%} inside the "
        f"80% intervals. Scale: {report['scale']}.",
        highlight=False,
    )
