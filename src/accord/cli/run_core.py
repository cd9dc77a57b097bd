"""What ``accord run`` does, without Typer: the forecast of a case, printed as tables or JSON.

:func:`forecast` takes the options :func:`accord.cli.run_cmd.run` declares (Typer's definition of the
command, its help and its usage errors) as plain values; :mod:`accord.cli.fast_run` calls it directly for
the plain command lines scripts make, so a point run does not pay for Typer (see there). Nothing here
imports Typer or Rich at load: Rich comes with the first table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.cli.common import (
    check_executor,
    check_model,
    check_perspective,
    consoles,
    load_target,
    model_error,
    parse_thresholds,
    pct,
    print_json,
    print_scales,
    progress_bar,
    store_or_exit,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from accord.case.model import Case
    from accord.results import RunResult
    from accord.scenarios.run import Run

__all__ = ["forecast", "headline_table", "movement_tables", "preload", "print_run", "title_of"]


def preload() -> None:
    """Import what :func:`forecast` needs for any run (the API, the case reader), for a caller that loads
    modules with the garbage collector paused (:func:`accord.cli.main.main`)."""
    import accord.api
    import accord.case.io  # noqa: F401


def forecast(
    *,
    case: str | None,
    model: str,
    rounds: int | None,
    seed: int,
    scenario: str | None,
    draws: int | None,
    threshold: list[str] | None,
    perspective: str | None,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    chunk_size: int | None,
    db: str | None,
    no_store: bool,
    json_out: bool,
    quiet: bool,
    no_carry_over: bool,
) -> None:
    """The body of ``accord run`` (its options are documented there: :func:`accord.cli.run_cmd.run`)."""
    from accord.api import DEFAULT_DRAWS
    from accord.api import run as api_run
    from accord.engines.base import ProblemError

    check_model(model)
    check_executor(executor, scheduler)
    scen, loaded = load_target(case, scenario)
    if no_carry_over:
        from accord.case.problem import without_carry_overs

        loaded = without_carry_overs(loaded)
    n_draws = DEFAULT_DRAWS if draws is None else draws
    parsed = parse_thresholds(threshold or [], loaded.issue_ids, n_draws)
    check_perspective(perspective, loaded)
    asked = scenario is not None or bool(draws) or perspective is not None or bool(threshold)
    store = not no_store and (db is not None or asked)
    try:
        with progress_bar(n_draws, scen.id if scen else loaded.id, quiet or json_out) as advance:
            result = api_run(
                loaded,
                model,
                rounds,
                seed,
                scenario=scen,
                draws=n_draws,
                perspective=perspective,
                thresholds=parsed,
                executor=executor,
                workers=workers,
                scheduler=scheduler,
                chunk_draws=chunk_size,
                progress=advance,
            )
    except ProblemError as exc:
        raise model_error(exc, model) from None
    except (OSError, TimeoutError) as exc:
        from accord.errors import AccordError

        raise AccordError(
            f"the {executor} executor failed: {exc}", "check --scheduler, or use --executor local"
        ) from None
    if store:
        result.run_id = store_or_exit(result, db)
    if json_out:
        print_json(result.to_json())
        return
    console, _ = consoles()
    print_run(result, console)
    if result.run_id:
        console.print(
            f"stored as run {result.run_id} (`accord runs show {result.run_id}`)",
            highlight=False,
            soft_wrap=True,
        )


def readings_line(case: Case) -> str:
    """How the run's inputs pool their readings, and the carry-overs among them."""
    hint = " (`--no-carry-over` drops them)" if case.carry_over_readings() else ""
    return f"Readings: {case.readings_note()}{hint}."


def title_of(result: Run) -> str:
    """``Forecast: CASE, scenario S, model M, as SOURCE reads it``."""
    title = f"Forecast: {result.case.id}" + (f", scenario {result.scenario_id}" if result.scenario_id else "")
    title += f", model {result.model}"
    if result.spec.perspective:
        title += f", as {result.spec.perspective} reads it"
    return title


def print_run(result: Run, console: Console) -> None:
    """The headline table, the scales, the point run (labelled) and its movement, triggers, stability."""
    console.print(headline_table(result))
    print_scales(console, result.case)
    console.print(readings_line(result.case), highlight=False)
    rr = result.run_result()
    console.print(
        f"Point run: the model once on the point estimates (no uncertainty), {rr.rounds_label}.",
        highlight=False,
        soft_wrap=True,
    )
    for table in movement_tables(rr, console.width):
        console.print(table)
    summary = result.summary()
    for label, info in summary["triggers"].items():
        if result.n_draws:
            rnd = f", median round {info['median_round']:.0f}" if info["median_round"] is not None else ""
            console.print(
                f"trigger {label}: fired in {pct(info['fired_share'])} of draws{rnd}", highlight=False
            )
        else:
            when = (
                f"fired after round {info['median_round']:.0f}" if info["fired_share"] > 0 else "did not fire"
            )
            console.print(f"trigger {label}: {when}", highlight=False)
    console.print(
        "SQ stable: share of draws whose forecast ended within 2% of the scale of the status quo; "
        f"on every issue at once: {pct(summary['stable_all'])}",
        highlight=False,
        soft_wrap=True,
    )
    if summary.get("converged_share", 1.0) < 1.0:
        console.print(
            f"warning: {1 - summary['converged_share']:.0%} of draws had not settled at the last round "
            f"(largest last swing {summary['max_last_swing']:.1f}); "
            "their forecast is where the engine stopped",
            highlight=False,
        )
    t = result.timings
    if result.n_draws:
        console.print(
            f"[dim]{t['total_s']:.1f} s on {t['executor']} ({t.get('workers', 1)} worker(s), "
            f"{t.get('chunks', 1)} chunks); "
            f"engine {t['engine_s']:.1f} s, sampling {t['sampling_s']:.1f} s[/dim]"
        )


def headline_table(result: Run) -> Table:
    """Per issue: the case's status quo, the forecast (median of the draws, or the point run's outcome
    without draws), its central 80% interval, the change, the point run, thresholds and SQ stability."""
    from rich.table import Table

    summary = result.summary()
    names = [str(t) for t in result.thresholds]
    if result.n_draws:
        title = (
            f"{title_of(result)}: distribution over {result.n_draws} draws, seed {result.seed} "
            f"({result.interval_kind})"
        )
    else:
        title = f"{title_of(result)}: point run only (no draws: no interval)"
    table = Table(title=title)
    table.add_column("issue", no_wrap=True)
    table.add_column("status quo", justify="right")
    table.add_column("median" if result.n_draws else "forecast", justify="right")
    if result.n_draws:
        table.add_column("80%", justify="right")
    table.add_column("change", justify="right")
    if result.n_draws:
        table.add_column("point run", justify="right")
    for name in names:
        table.add_column(f"P({name})", justify="right", overflow="fold")
    table.add_column("SQ stable", justify="right")
    forecast, point, interval = result.forecast, result.point_forecast, result.interval()
    for issue, sq in result.status_quo.items():
        cells = [f"{sq:.1f}", f"{forecast[issue]:.1f}"]
        if result.n_draws:
            lo, hi = interval[issue]
            cells.append(f"{lo:.0f}-{hi:.0f}")
        cells.append(f"{forecast[issue] - sq:+.1f}")
        if result.n_draws:
            cells.append(f"{point[issue]:.1f}")
        row = summary["issues"][issue]
        cells += [pct(row[f"P({n})"]) if f"P({n})" in row else "" for n in names]
        cells.append(pct(row["stable_share"]))
        table.add_row(issue, *cells)
    return table


def forecast_table(result: RunResult, title: str | None = None) -> Table:
    """The point run's forecast per issue (status quo, forecast, change)."""
    from rich.table import Table

    table = Table(title=title or f"Point run: {result.case_id}, model {result.model}, {result.rounds_label}")
    table.add_column("issue", no_wrap=True)
    table.add_column("status quo", justify="right")
    table.add_column("forecast", justify="right")
    table.add_column("change", justify="right")
    for issue, row in result.forecast_frame().iterrows():
        change = row["forecast"] - row["status_quo"]
        table.add_row(str(issue), f"{row['status_quo']:.1f}", f"{row['forecast']:.1f}", f"{change:+.1f}")
    return table


def movement_tables(result: RunResult, width: int = 80) -> list[Table]:
    """Each actor's position at the start and the end of the point run, per issue: as many tables as it
    takes to fit ``width`` columns, so no actor or issue id is ever cut."""
    actor_w = max((len(a) for a in result.actors), default=5) + 3
    groups: list[list[int]] = [[]]
    used = actor_w + 1
    for i, issue in enumerate(result.issues):
        need = max(len(issue), 7) + 3
        if groups[-1] and used + need > width:
            groups.append([])
            used = actor_w + 1
        groups[-1].append(i)
        used += need
    return [movement_table(result, group) for group in groups]


def movement_table(result: RunResult, issues: list[int] | None = None) -> Table:
    """Each actor's position at the start and the end of the point run on the given issues (default all)."""
    from rich.table import Table

    pos = result.trajectory.positions[0]
    columns = list(range(len(result.issues))) if issues is None else issues
    table = Table(title="Point run: movement of each actor (start -> end)")
    table.add_column("actor", no_wrap=True)
    for i in columns:
        table.add_column(result.issues[i], justify="right", no_wrap=True)
    for a, actor in enumerate(result.actors):
        cells = []
        for i in columns:
            start, end = pos[0, a, i], pos[-1, a, i]
            cells.append(f"{start:.0f}" if abs(end - start) < 0.05 else f"{start:.0f}->{end:.0f}")
        table.add_row(actor, *cells)
    return table
