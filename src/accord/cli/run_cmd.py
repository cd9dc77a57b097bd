"""``accord run``: the forecast of a case (optionally under a scenario): its distribution, then the point run.

The headline is the forecast distribution (median and central 80% interval over
:data:`accord.api.DEFAULT_DRAWS` draws of the case's uncertainty unless ``--draws`` says otherwise, plus
the default model's measured DEU error; :func:`accord.api.forecast_distribution`); the point run (the
model on the point estimates, one trajectory) follows, labelled as such, with each actor's movement.
``--draws 0`` prints the point run alone. The status quo shown is the case's. ``--json`` prints
:meth:`accord.scenarios.run.Run.to_json`, the same keys whatever the options.

This module is the command's definition (options, help, usage errors, through Typer); the work is
:func:`accord.cli.run_core.forecast`, which :mod:`accord.cli.fast_run` also calls for plain command lines.
"""

from __future__ import annotations

from typing import Annotated

import typer

from accord.case.io import DEFAULT_CASE
from accord.cli.output import rendering_errors
from accord.cli.run_core import forecast
from accord.engines.registry import DEFAULT_MODEL, ENGINES, MODEL_NOTES

DRAWS_HELP = (
    "Monte Carlo draws of the case's uncertainty behind the headline (default 256; 0: the point run only)."
)


@rendering_errors
def run(
    case: Annotated[
        str | None,
        typer.Argument(
            help=f"A case file or built-in name (default: the scenario's case, else {DEFAULT_CASE})."
        ),
    ] = None,
    model: Annotated[
        str, typer.Option("--model", "-m", help=f"One of: {', '.join(ENGINES)}.")
    ] = DEFAULT_MODEL,
    rounds: Annotated[
        int | None, typer.Option(help="Rounds (EUM default 10; SMP: at most, default 100).", min=0)
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed (results are reproducible for a seed).", min=0)] = 0,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario", "-s", help="A built-in scenario name (`accord scenarios list`) or a scenario file."
        ),
    ] = None,
    draws: Annotated[int | None, typer.Option(help=DRAWS_HELP, min=0)] = None,
    threshold: Annotated[
        list[str] | None,
        typer.Option(
            "--threshold", "-t", help="Report P(ISSUE>=X) over the draws; repeatable, e.g. territory>=50."
        ),
    ] = None,
    perspective: Annotated[
        str | None, typer.Option(help="Read the case as one source does (its estimates where it gives them).")
    ] = None,
    executor: Annotated[str, typer.Option(help="local, processes or dask.")] = "local",
    workers: Annotated[
        int | None, typer.Option(help="Workers for processes/dask (default: CPU count).", min=1)
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: start a LocalCluster).")
    ] = None,
    chunk_size: Annotated[
        int | None,
        typer.Option("--chunk-size", help="Draws per task, rounded up to whole blocks of 256.", min=1),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            help="Runs database: a SQLAlchemy URL or a SQLite file (default $ACCORD_DB or ./accord.db)."
        ),
    ] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not record the run.")] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the run as JSON (docs/run-schema.json).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    no_carry_over: Annotated[
        bool,
        typer.Option("--no-carry-over", help="Drop readings carried over from before the case's period."),
    ] = False,
) -> None:
    """Forecast a case: the forecast distribution (median, central 80% interval), then the point run.

    (The help text is :data:`RUN_HELP`: this paragraph and one per model.)
    """
    forecast(
        case=case,
        model=model,
        rounds=rounds,
        seed=seed,
        scenario=scenario,
        draws=draws,
        threshold=threshold,
        perspective=perspective,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        chunk_size=chunk_size,
        db=db,
        no_store=no_store,
        json_out=json_out,
        quiet=quiet,
        no_carry_over=no_carry_over,
    )


RUN_HELP = "\n\n".join(
    [
        "Forecast a case: the forecast distribution (median, central 80% interval), then the point run.",
        "With --scenario the scenario's interventions and triggers apply; --threshold reports the share of "
        "draws in which an event holds. A run with --scenario, --draws, --perspective or --threshold is "
        "recorded in the runs database (`accord runs list`) unless --no-store; a plain `accord run` only "
        "with --db.",
        "Models (--model). The default was chosen on the DEU III backtest of 213 issues of EU legislation "
        "(`accord backtest deu`, docs/models.md): MAE is the mean absolute error on the 0-100 scale, and "
        "the 95% CI of the difference from the compromise model comes from a paired bootstrap over "
        "proposals.",
        *(
            f"{name}{' (default)' if name == DEFAULT_MODEL else ''}: {MODEL_NOTES[name]}"
            for name in sorted(ENGINES, key=lambda n: (n != DEFAULT_MODEL, n))
        ),
    ]
)
run.__doc__ = RUN_HELP
