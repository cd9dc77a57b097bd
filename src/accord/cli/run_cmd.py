"""``accord run``: run a bargaining engine on a case and print the forecast."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from accord.api import DEFAULT_MODEL, ENGINES, RunResult
from accord.case.io import DEFAULT_CASE


def forecast_table(result: RunResult) -> Table:
    table = Table(title=f"Forecast: {result.case_id}, model {result.model}, {result.trajectory.n_rounds} rounds")
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    table.add_column("forecast", justify="right")
    table.add_column("change", justify="right")
    for issue, row in result.forecast_frame().iterrows():
        change = row["forecast"] - row["status_quo"]
        table.add_row(str(issue), f"{row['status_quo']:.1f}", f"{row['forecast']:.1f}", f"{change:+.1f}")
    return table


def movement_table(result: RunResult) -> Table:
    frame = result.movement_frame()
    table = Table(title="Movement of each actor (start -> end)")
    table.add_column("actor")
    for issue in result.issues:
        table.add_column(issue, justify="right")
    for actor in result.actors:
        cells = []
        for issue in result.issues:
            row = frame.loc[(actor, issue)]
            arrow = f"{row['start']:.0f}" if abs(row["moved"]) < 0.05 else f"{row['start']:.0f}->{row['end']:.0f}"
            cells.append(arrow)
        table.add_row(actor, *cells)
    return table


def run(
    case: Annotated[str, typer.Argument(help="A case file or built-in name.")] = DEFAULT_CASE,
    model: Annotated[str, typer.Option("--model", "-m", help=f"One of: {', '.join(ENGINES)}.")] = DEFAULT_MODEL,
    rounds: Annotated[int | None, typer.Option(help="Rounds (EUM default 10; SMP: at most, default 100).", min=0)] = None,
    seed: Annotated[int, typer.Option(help="Random seed (results are reproducible for a seed).")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="Print the trajectory as JSON.")] = False,
) -> None:
    """Run a bargaining model on a case and print the forecast (default: the Nagorno-Karabakh 2020 case)."""
    from accord.api import run as api_run
    from accord.cli.case_cmd import load_or_exit
    from accord.cli.main import console, err, print_json

    if model not in ENGINES:
        err.print(f"[red]error:[/red] unknown model {model!r}; choose one of: {', '.join(ENGINES)}")
        raise typer.Exit(2)
    loaded = load_or_exit(case)
    result = api_run(loaded, model=model, rounds=rounds, seed=seed)
    if json_out:
        print_json(result.to_json())
        return
    console.print(forecast_table(result))
    console.print(movement_table(result))
