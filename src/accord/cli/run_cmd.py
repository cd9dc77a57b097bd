"""``accord run``: run a bargaining engine on a case, optionally under a scenario and its uncertainty."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from accord.api import DEFAULT_MODEL, ENGINES, RunResult
from accord.case.io import DEFAULT_CASE


def forecast_table(result: RunResult, title: str | None = None) -> Table:
    table = Table(title=title or f"Forecast: {result.case_id}, model {result.model}, {result.rounds_label}")
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
    case: Annotated[
        str | None, typer.Argument(help=f"A case file or built-in name (default: the scenario's case, else {DEFAULT_CASE}).")
    ] = None,
    model: Annotated[str, typer.Option("--model", "-m", help=f"One of: {', '.join(ENGINES)}.")] = DEFAULT_MODEL,
    rounds: Annotated[int | None, typer.Option(help="Rounds (EUM default 10; SMP: at most, default 100).", min=0)] = None,
    seed: Annotated[int, typer.Option(help="Random seed (results are reproducible for a seed).", min=0)] = 0,
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="A built-in scenario name (`accord scenarios list`) or a scenario file.")
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws of the case's uncertainty (0: point estimates).", min=0)] = 0,
    threshold: Annotated[
        list[str] | None, typer.Option("--threshold", "-t", help="Report P(ISSUE>=X); repeatable, e.g. territory>=50.")
    ] = None,
    perspective: Annotated[
        str | None, typer.Option(help="Read the case as one source does (its estimates where it gives them).")
    ] = None,
    executor: Annotated[str, typer.Option(help="local, processes or dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Workers for processes/dask (default: CPU count).", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: start a LocalCluster).")] = None,
    chunk_size: Annotated[
        int | None, typer.Option("--chunk-size", help="Draws per task, rounded up to whole blocks of 256.", min=1)
    ] = None,
    db: Annotated[str | None, typer.Option(help="Runs database: a SQLAlchemy URL or a SQLite file (default $ACCORD_DB or ./accord.db).")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not record the run.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    no_carry_over: Annotated[
        bool, typer.Option("--no-carry-over", help="Drop readings carried over from before the case's period.")
    ] = False,
) -> None:
    """Run a bargaining model on a case and print the forecast (default: the Nagorno-Karabakh 2020 case).

    With --scenario, --draws, --perspective or --threshold the run goes through the scenario layer:
    interventions and triggers, Monte Carlo draws with reproducible streams, per-issue intervals,
    threshold probabilities and status-quo stability; such runs are recorded in the runs database
    (`accord runs list`) unless --no-store.
    """
    from accord.cli.main import console, err, print_json

    if model not in ENGINES:
        err.print(f"[red]error:[/red] unknown model {model!r}; choose one of: {', '.join(ENGINES)}")
        raise typer.Exit(2)
    thresholds = threshold or []
    if scenario is None and draws == 0 and perspective is None and not thresholds and executor == "local":
        _plain_run(case, model, rounds, seed, json_out, db, carry_overs=not no_carry_over)
        return
    from accord.cli.scenarios_cmd import run_scenario_cli

    run_scenario_cli(
        case=case, scenario=scenario, model=model, rounds=rounds, seed=seed, draws=draws, thresholds=thresholds,
        perspective=perspective, executor=executor, workers=workers, scheduler=scheduler, chunk_size=chunk_size,
        db=db, store=not no_store, json_out=json_out, quiet=quiet, console=console, err=err, print_json=print_json,
        carry_overs=not no_carry_over,
    )


def _plain_run(
    case: str | None, model: str, rounds: int | None, seed: int, json_out: bool, db: str | None, carry_overs: bool = True
) -> None:
    """The original ``accord run``: point estimates, forecast and movement tables (stored only with --db)."""
    from accord.api import run as api_run
    from accord.cli.case_cmd import load_or_exit
    from accord.cli.main import console, err, print_json
    from accord.engines.base import ProblemError

    loaded = load_or_exit(case or DEFAULT_CASE)
    if not carry_overs:
        from accord.case.problem import without_carry_overs

        loaded = without_carry_overs(loaded)
    try:
        result = api_run(loaded, model=model, rounds=rounds, seed=seed)
    except ProblemError as exc:
        err.print(f"[red]error:[/red] model {model} cannot run this case: {exc}", highlight=False)
        raise typer.Exit(1) from None
    run_id = None
    if db is not None:
        from accord.cli.scenarios_cmd import store_or_exit
        from accord.scenarios.api import run_scenario

        run_id = store_or_exit(run_scenario(None, loaded, model=model, rounds=rounds, seed=seed), db, err)
    if json_out:
        doc = result.to_json()
        if run_id:
            doc["run_id"] = run_id
        print_json(doc)
        return
    console.print(forecast_table(result))
    console.print(movement_table(result))
    if run_id:
        console.print(f"stored as run {run_id}", highlight=False)
