"""``accord scenarios|compare|sensitivity|runs``: questions under uncertainty, and the stored runs.

Thin wrappers over :mod:`accord.scenarios.api` and :mod:`accord.store.runs`: load with clear errors,
show Rich tables and progress bars (quiet under --json/--quiet), exit 0 ok, 1 bad input, 2 usage.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from accord.api import DEFAULT_MODEL, ENGINES

scenarios_app = typer.Typer(help="Built-in and user scenarios: list, show, validate.", no_args_is_help=True)
runs_app = typer.Typer(help="Stored runs: list, show, export.", no_args_is_help=True)

DbOpt = Annotated[
    str | None, typer.Option(help="Runs database: a SQLAlchemy URL or a SQLite file (default $ACCORD_DB or ./accord.db).")
]


# ---------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------


def _consoles() -> tuple[Console, Console, Callable[[object], None]]:
    from accord.cli.main import console, err, print_json

    return console, err, print_json


def fail(message: str, hint: str = "", code: int = 1) -> typer.Exit:
    """Print ``error: message`` (and a hint) to stderr; return the Exit to raise."""
    _, err, _ = _consoles()
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    if hint:
        err.print(f"hint: {hint}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def print_problems(problems: list[Any], what: str) -> None:
    _, err, _ = _consoles()
    for problem in problems:
        err.print(str(problem), highlight=False, markup=False, soft_wrap=True)
    err.print(f"{len(problems)} problem(s) in the {what}; fix them and try again", highlight=False)


def load_case_or_exit(case: str | None):  # -> Case
    from accord.cli.case_cmd import load_or_exit

    return load_or_exit(case)


def load_scenario_or_exit(name: str, case: Any = None, corpus: Any = None):  # -> tuple[Scenario, Case]
    """Load and check a scenario, or print every problem with file and line and exit 1."""
    from accord.case.validate import CaseError
    from accord.scenarios.api import load_scenario
    from accord.scenarios.language import ScenarioError

    try:
        return load_scenario(name, case, corpus)
    except ScenarioError as exc:
        print_problems(exc.problems, "scenario")
        raise typer.Exit(1) from None
    except CaseError as exc:
        print_problems(exc.report.problems, "scenario's case")
        raise typer.Exit(1) from None


@contextlib.contextmanager
def progress_bar(total: int, label: str, quiet: bool, unit: str = "draws") -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar with ETA on stderr, or nothing when quiet."""
    if quiet or total <= 0:
        yield None
        return
    _, err, _ = _consoles()
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(label, total=total)
        yield lambda k: progress.advance(task, k)


def parse_thresholds_or_exit(texts: list[str], issues: tuple[str, ...]) -> list[Any]:
    from accord.scenarios.results import ThresholdError, parse_threshold

    out = []
    for text in texts:
        try:
            parse_threshold(text)
        except ThresholdError as exc:
            raise fail(str(exc), code=2) from None
        try:
            out.append(parse_threshold(text, issues))
        except ThresholdError as exc:
            raise fail(str(exc)) from None
    return out


def check_executor(executor: str, scheduler: str | None) -> None:
    from accord.scenarios.runner import EXECUTORS

    if executor not in EXECUTORS:
        raise fail(f"unknown executor {executor!r}; choose one of: {', '.join(EXECUTORS)}", code=2)
    if scheduler is not None and executor != "dask":
        raise fail("--scheduler needs --executor dask", code=2)


def check_perspective(perspective: str | None, case: Any) -> None:
    if perspective is None:
        return
    sources = [s.id for s in case.case.sources]
    if perspective not in sources:
        raise fail(f"unknown source {perspective!r} for case {case.id!r}", f"sources: {', '.join(sources)}")


def store_or_exit(run: Any, db: str | None, err: Console) -> str:
    from accord.scenarios.api import store_run
    from accord.store.runs import StoreError

    try:
        return store_run(run, db)
    except StoreError as exc:
        raise fail(f"could not store the run: {exc}", exc.hint or "use --no-store to skip recording") from None


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def summary_table(title: str, summary: dict[str, Any], thresholds: list[Any]) -> Table:
    """Per issue: status quo, median, 5-95% interval, threshold probabilities, stable share."""
    table = Table(title=title)
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    table.add_column("median", justify="right")
    table.add_column("5-95%", justify="right")
    names = [str(t) for t in thresholds]
    for name in names:
        table.add_column(f"P({name})", justify="right")
    table.add_column("SQ stable", justify="right")
    for issue, row in summary["issues"].items():
        cells = [f"{row['status_quo']:.1f}", f"{row['median']:.1f}", f"{row['p05']:.0f}-{row['p95']:.0f}"]
        cells += [_pct(row[f"P({n})"]) if f"P({n})" in row else "" for n in names]
        cells.append(_pct(row["stable_share"]))
        table.add_row(issue, *cells)
    return table


def _engine_error(exc: Exception, model: str) -> typer.Exit:
    return fail(f"model {model} cannot run this problem: {exc}",
                "the SMP needs each actor's saliences to sum to at most 1; try --model eum" if model == "smp" else "")


# ---------------------------------------------------------------------------------------------------
# accord run --scenario/--draws (called by run_cmd)
# ---------------------------------------------------------------------------------------------------


def run_scenario_cli(
    *,
    case: str | None,
    scenario: str | None,
    model: str,
    rounds: int | None,
    seed: int,
    draws: int,
    thresholds: list[str],
    perspective: str | None,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    chunk_size: int | None,
    db: str | None,
    store: bool,
    json_out: bool,
    quiet: bool,
    console: Console,
    err: Console,
    print_json: Callable[[object], None],
) -> None:
    from accord.engines.base import ProblemError
    from accord.scenarios.api import run_scenario

    check_executor(executor, scheduler)
    if scenario is not None:
        scen, loaded = load_scenario_or_exit(scenario, load_case_or_exit(case) if case is not None else None)
    else:
        scen, loaded = None, load_case_or_exit(case)
    parsed = parse_thresholds_or_exit(thresholds, loaded.issue_ids)
    check_perspective(perspective, loaded)
    label = f"{scen.id if scen else loaded.id}"
    try:
        with progress_bar(draws, label, quiet or json_out) as advance:
            result = run_scenario(
                scen, loaded, model=model, draws=draws, seed=seed, rounds=rounds, perspective=perspective,
                thresholds=parsed, executor=executor, workers=workers, scheduler=scheduler, chunk_draws=chunk_size,
                progress=advance,
            )
    except ProblemError as exc:
        raise _engine_error(exc, model) from None
    except (OSError, TimeoutError) as exc:
        raise fail(f"the {executor} executor failed: {exc}", "check --scheduler, or use --executor local") from None
    run_id = store_or_exit(result, db, err) if store else None
    if json_out:
        print_json(_run_document(result, run_id))
        return
    if result.point is not None:
        _print_point(result, console)
    else:
        _print_draws(result, console)
    if run_id:
        console.print(f"stored as run {run_id} (`accord runs show {run_id}`)", highlight=False)


def _run_document(result: Any, run_id: str | None) -> dict[str, Any]:
    doc: dict[str, Any]
    if result.point is not None:
        doc = result.run_result().to_json()
    else:
        doc = {"case": result.case.id, "model": result.spec.model, "seed": result.seed}
    doc.update(
        {
            "scenario": result.scenario_id,
            "perspective": result.spec.perspective,
            "draws": result.draws.n_draws if result.draws is not None else 0,
            "rounds_run": result.spec.n_rounds,
            "summary": result.summary(),
            "timings": result.timings,
            "run_id": run_id,
        }
    )
    return doc


def _print_point(result: Any, console: Console) -> None:
    from accord.cli.run_cmd import forecast_table, movement_table

    rr = result.run_result()
    title = f"Forecast: {rr.case_id}" + (f", scenario {result.scenario_id}" if result.scenario_id else "")
    title += f", model {rr.model}, {rr.rounds_label}"
    if result.spec.perspective:
        title += f", as {result.spec.perspective} reads it"
    console.print(forecast_table(rr, title))
    console.print(movement_table(rr))
    summary = result.summary()
    for label, info in summary["triggers"].items():
        when = f"fired after round {info['median_round']:.0f}" if info["fired_share"] > 0 else "did not fire"
        console.print(f"trigger {label}: {when}", highlight=False)
    stable = [i for i, row in summary["issues"].items() if row["stable_share"] > 0]
    console.print(f"status quo stable (no capable actor gains by challenging it) on: {', '.join(stable) or 'no issue'}",
                  highlight=False)


def _print_draws(result: Any, console: Console) -> None:
    summary = result.summary()
    title = f"{result.case.id}" + (f", scenario {result.scenario_id}" if result.scenario_id else "")
    title += f": {summary['draws']} draws, model {result.spec.model}, seed {result.seed}"
    if result.spec.perspective:
        title += f", as {result.spec.perspective} reads it"
    console.print(summary_table(title, summary, list(result.thresholds)))
    console.print(
        f"SQ stable: share of draws in which no actor with capability gains by challenging the status quo "
        f"(the EUM's reading of whether a ceasefire freezing it can hold); on every issue at once: "
        f"{_pct(summary['stable_all'])}",
        highlight=False,
    )
    for label, info in summary["triggers"].items():
        rnd = f", median round {info['median_round']:.0f}" if info["median_round"] is not None else ""
        console.print(f"trigger {label}: fired in {_pct(info['fired_share'])} of draws{rnd}", highlight=False)
    t = result.timings
    console.print(
        f"[dim]{t['total_s']:.1f} s on {t['executor']} ({t.get('workers', 1)} worker(s), {t.get('chunks', 1)} chunks); "
        f"engine {t['engine_s']:.1f} s, sampling {t['sampling_s']:.1f} s[/dim]"
    )


# ---------------------------------------------------------------------------------------------------
# accord scenarios ...
# ---------------------------------------------------------------------------------------------------


@scenarios_app.command("list")
def scenarios_list(
    case: Annotated[str | None, typer.Argument(help="Only the scenarios of this case (a built-in name).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the built-in scenarios, one line each."""
    from accord.scenarios.api import list_scenarios

    console, _, print_json = _consoles()
    items = list_scenarios(case)
    if json_out:
        print_json([
            {"name": n, "case": c if s else None, "title": s.title if s else None, "question": s.question if s else None,
             "interventions": len(s.interventions) if s else None, "valid": s is not None}
            for n, s, c in items
        ])
        return
    if not items:
        console.print(f"no built-in scenarios for case {case!r}" if case else "no built-in scenarios")
        return
    table = Table(title="Built-in scenarios" + (f" for {case}" if case else ""))
    for col in ("name", "case", "steps", "question"):
        table.add_column(col, justify="right" if col == "steps" else "left")
    for name, scen, case_id in items:
        if scen is None:
            table.add_row(name, "", "", f"[red]invalid:[/red] {case_id}")
        else:
            table.add_row(name, case_id, str(len(scen.interventions)), scen.question or scen.title)
    console.print(table)


def _describe(iv: Any) -> str:
    kind = iv.kind
    where = "" if getattr(iv, "issue", "all") == "all" else f" on {iv.issue}"
    if kind == "set":
        return f"{iv.actor}.{iv.attribute}{where} = {iv.value:g}"
    if kind == "shift":
        return f"{iv.actor}.{iv.attribute}{where} {iv.by:+g}"
    if kind == "scale":
        about = f" about {iv.about}" if iv.about is not None else (" about the status quo" if iv.attribute == "position" else "")
        return f"{iv.actor}.{iv.attribute}{where} x {iv.factor:g}{about}"
    if kind == "align":
        return f"{iv.actor} aligns with {iv.with_}{where} (weight {iv.weight:g})"
    if kind == "add_actor":
        return f"add {iv.actor} (capability {iv.capability:g}; " + ", ".join(f"{k} {v:g}" for k, v in iv.position.items()) + ")"
    if kind == "remove_actor":
        return f"remove {iv.actor}"
    if kind == "coalition":
        return f"coalition {iv.id} of {', '.join(iv.members)} at {iv.position} position"
    cond = f"relation {iv.relation}" if iv.relation else " and ".join(f"{c.issue} {c.op} {c.threshold:g}" for c in iv.conditions)
    return f"when {cond}: " + "; ".join(_describe(e) for e in iv.then)


@scenarios_app.command("show")
def scenarios_show(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario name or a scenario file.")],
    case: Annotated[str | None, typer.Option(help="Check against this case instead of the scenario's own.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scenario as JSON.")] = False,
) -> None:
    """Show a scenario: its question, evidence and interventions in order."""
    console, _, print_json = _consoles()
    scen, loaded = load_scenario_or_exit(scenario, load_case_or_exit(case) if case else None)
    if json_out:
        print_json({"case": loaded.id, **scen.model_dump(mode="json", by_alias=True, exclude_none=True)})
        return
    console.print(f"[bold]{scen.title}[/bold] ({scen.id}, case {loaded.id})", highlight=False)
    if scen.question:
        console.print(f"question: {scen.question}", highlight=False)
    for p in scen.evidence:
        note = f" - {p.note}" if p.note else ""
        console.print(f"evidence: {p.doc} [{p.start}:{p.end}]{note}", highlight=False, markup=False)
    table = Table(title="Interventions (in order; triggers act during the run)")
    table.add_column("#", justify="right")
    table.add_column("kind")
    table.add_column("what")
    table.add_column("note")
    for i, iv in enumerate(scen.interventions):
        table.add_row(str(i), iv.kind, _describe(iv), iv.note or "")
    console.print(table)


@scenarios_app.command("validate")
def scenarios_validate(
    scenario: Annotated[str, typer.Argument(help="A scenario file or built-in name.")],
    case: Annotated[str | None, typer.Option(help="Check against this case instead of the scenario's own.")] = None,
    corpus: Annotated[Path | None, typer.Option(help="Also check every evidence pointer against this corpus folder.")] = None,
) -> None:
    """Check a scenario file; print every problem as FILE:LINE:COL: field: message (hint)."""
    from accord.cli.main import existing_dir
    from accord.evidence.pointers import load_corpus_dir

    console, _, _ = _consoles()
    existing_dir(corpus, "--corpus")
    scen, loaded = load_scenario_or_exit(
        scenario, load_case_or_exit(case) if case else None, load_corpus_dir(corpus) if corpus else None
    )
    checked = "evidence checked against the corpus" if corpus else "evidence not checked (no --corpus)"
    console.print(f"{scenario}: valid scenario {scen.id!r} on case {loaded.id!r}: "
                  f"{len(scen.interventions)} interventions, {len(scen.evidence)} evidence pointers ({checked})",
                  highlight=False, soft_wrap=True)


# ---------------------------------------------------------------------------------------------------
# accord compare
# ---------------------------------------------------------------------------------------------------


def compare(
    cases: Annotated[list[str] | None, typer.Argument(help="Cases to compare (files or built-in names).")] = None,
    scenario: Annotated[list[str] | None, typer.Option("--scenario", "-s", help="A scenario to compare; repeatable.")] = None,
    perspectives: Annotated[bool, typer.Option("--perspectives", help="One column per source's reading of the case.")] = False,
    model: Annotated[str, typer.Option("--model", "-m", help=f"One of: {', '.join(ENGINES)}.")] = DEFAULT_MODEL,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws per column (0: point estimates).", min=0)] = 0,
    seed: Annotated[int, typer.Option(help="Random seed, shared by every column.", min=0)] = 0,
    threshold: Annotated[list[str] | None, typer.Option("--threshold", "-t", help="Also report P(ISSUE>=X); repeatable.")] = None,
    executor: Annotated[str, typer.Option(help="local, processes or dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Workers for processes/dask.", min=1)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Put scenarios, cases (e.g. the 2013 and 2020 cases) or sources' perspectives side by side.

    Every column uses the same model, draws and seed; with draws each cell shows the median and the
    5-95% interval. With --perspectives each source that gives numbers gets a column (its estimates where
    it gives them, the pooled estimates elsewhere), next to the pooled reading.
    """
    from accord.engines.base import ProblemError
    from accord.scenarios.api import Variant, perspective_sources
    from accord.scenarios.api import compare as api_compare
    from accord.scenarios.results import ThresholdError, parse_threshold

    console, _, print_json = _consoles()
    if model not in ENGINES:
        raise fail(f"unknown model {model!r}; choose one of: {', '.join(ENGINES)}", code=2)
    check_executor(executor, None)
    thresholds = threshold or []
    for text in thresholds:
        try:
            parse_threshold(text)
        except ThresholdError as exc:
            raise fail(str(exc), code=2) from None
    loaded_cases = [load_case_or_exit(c) for c in (cases or [])]
    variants: list[Variant] = []
    base_case = loaded_cases[0] if loaded_cases else None
    for name in scenario or []:
        scen, scen_case = load_scenario_or_exit(name, base_case)
        variants.append(Variant(scen.id, scen_case, scen))
    if not variants:
        variants = [Variant(c.id, c) for c in loaded_cases] or [Variant("pooled", load_case_or_exit(None))]
    elif len(loaded_cases) > 1:
        raise fail("compare either several cases or several scenarios on one case", code=2)
    if perspectives:
        if len(variants) != 1:
            raise fail("--perspectives compares the sources of one case (or one scenario)", code=2)
        base = variants[0]
        sources = perspective_sources(base.case)
        variants = [Variant(f"pooled ({base.label})", base.case, base.scenario)] + [
            Variant(s, base.case, base.scenario, s) for s in sources
        ]
    total = draws * len(variants)
    try:
        with progress_bar(total, "compare", quiet or json_out) as advance:
            rows = api_compare(variants, model=model, draws=draws, seed=seed, thresholds=thresholds, progress=advance,
                               executor=executor, workers=workers)
    except ProblemError as exc:
        raise _engine_error(exc, model) from None
    if json_out:
        print_json({
            "model": model, "draws": draws, "seed": seed,
            "columns": [{"label": v.label, "case": v.case.id, "scenario": v.scenario.id if v.scenario else None,
                         "perspective": v.perspective, "summary": s} for v, s in rows],
        })
        return
    console.print(_compare_table(rows, model, draws, seed, thresholds))


def _compare_table(rows: list[tuple[Any, dict[str, Any]]], model: str, draws: int, seed: int, thresholds: list[str]) -> Table:
    title = f"Comparison, model {model}" + (f", {draws} draws, seed {seed}" if draws else ", point estimates")
    table = Table(title=title)
    table.add_column("issue")
    for v, _ in rows:
        table.add_column(v.label, justify="right", overflow="fold")
    issues: list[str] = []
    for _, s in rows:
        issues += [i for i in s["issues"] if i not in issues]
    for issue in issues:
        cells = []
        for _, s in rows:
            row = s["issues"].get(issue)
            if row is None:
                cells.append("-")
            elif draws:
                cells.append(f"{row['median']:.0f} [{row['p05']:.0f}-{row['p95']:.0f}]")
            else:
                cells.append(f"{row['median']:.1f}")
        table.add_row(issue, *cells)
    for text in thresholds:
        cells = [_pct(s["thresholds"][text]) if text in s["thresholds"] else "-" for _, s in rows]
        table.add_row(f"P({text})", *cells)
    for issue in issues:
        table.add_row(f"SQ stable: {issue}", *[_pct(s["issues"][issue]["stable_share"]) if issue in s["issues"] else "-" for _, s in rows])
    table.add_row("SQ stable: all issues", *[_pct(s["stable_all"]) for _, s in rows])
    return table


# ---------------------------------------------------------------------------------------------------
# accord runs ...
# ---------------------------------------------------------------------------------------------------


def _store(db: str | None):  # -> RunStore
    from accord.store.runs import RunStore, StoreError

    try:
        store = RunStore(db)
        _ = store.engine
        return store
    except StoreError as exc:
        raise fail(str(exc), exc.hint) from None


@runs_app.command("list")
def runs_list(
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many runs, newest first.", min=1)] = 20,
    case: Annotated[str | None, typer.Option(help="Only runs of this case id.")] = None,
    scenario: Annotated[str | None, typer.Option(help="Only runs of this scenario id.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List stored runs, newest first."""
    console, _, print_json = _consoles()
    rows = _store(db).list(limit, case, scenario)
    if json_out:
        print_json([{k: r[k] for k in ("id", "created_at", "case_id", "scenario_id", "model", "draws", "seed", "perspective", "executor")}
                    for r in rows])
        return
    if not rows:
        console.print("no stored runs yet (`accord run --scenario NAME --draws N` records one)")
        return
    table = Table(title=f"Stored runs ({len(rows)})")
    for col in ("id", "when (UTC)", "case", "scenario", "model", "draws", "seed", "perspective", "time"):
        table.add_column(col, justify="right" if col in ("draws", "seed", "time") else "left")
    for r in rows:
        when = r["created_at"].strftime("%Y-%m-%d %H:%M") if hasattr(r["created_at"], "strftime") else str(r["created_at"])
        total = (r["timings"] or {}).get("total_s")
        table.add_row(r["id"], when, r["case_id"], r["scenario_id"] or "-", r["model"], str(r["draws"]), str(r["seed"]),
                      r["perspective"] or "-", f"{total:.1f} s" if total is not None else "")
    console.print(table)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[str, typer.Argument(help="A run id (or a unique prefix).")],
    db: DbOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the run record as JSON.")] = False,
) -> None:
    """Show one stored run: its settings, versions, timings and per-issue summary."""
    from accord.store.runs import StoreError

    console, _, print_json = _consoles()
    store = _store(db)
    try:
        run = store.get(run_id)
    except StoreError as exc:
        raise fail(str(exc), exc.hint) from None
    if json_out:
        print_json(run)
        return
    console.print(f"[bold]run {run['id']}[/bold] at {run['created_at']}", highlight=False)
    for key in ("case_id", "case_hash", "scenario_id", "model", "rounds", "draws", "seed", "perspective", "executor"):
        console.print(f"  {key}: {run[key]}", highlight=False)
    console.print("  versions: " + ", ".join(f"{k} {v}" for k, v in run["versions"].items()), highlight=False)
    console.print(f"  outcomes: {store.outcomes_path(run)} ({run['outcomes_rows']} rows)", highlight=False)
    summary = run["summary"]
    console.print(summary_table("Summary", summary, list(run["thresholds"])))


@runs_app.command("export")
def runs_export(
    run_id: Annotated[str, typer.Argument(help="A run id (or a unique prefix).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (.csv, .parquet or .json).")],
    db: DbOpt = None,
) -> None:
    """Export a run's per-draw outcomes (one row per draw and issue) as CSV, Parquet or JSON."""
    from accord.store.runs import StoreError

    console, _, _ = _consoles()
    store = _store(db)
    try:
        run = store.get(run_id)
        frame = store.outcomes(run)
    except StoreError as exc:
        raise fail(str(exc), exc.hint) from None
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".parquet", ".json"):
        raise fail(f"cannot tell the format of {output}", "end the file name in .csv, .parquet or .json", code=2)
    try:
        if suffix == ".csv":
            frame.to_csv(output, index=False)
        elif suffix == ".parquet":
            frame.to_parquet(output, index=False)
        else:
            frame.to_json(output, orient="records", indent=1)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc}") from None
    console.print(f"wrote {len(frame)} rows of run {run['id']} to {output}", highlight=False)


# ---------------------------------------------------------------------------------------------------
# accord sensitivity
# ---------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _open_progress(label: str, quiet: bool) -> Iterator[tuple[Callable[[int], None] | None, Callable[[int], None] | None]]:
    """A progress bar whose total is set once known: yields ``(advance, set_total)``."""
    if quiet:
        yield None, None
        return
    _, err, _ = _consoles()
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("model runs"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err) as progress:
        task = progress.add_task(label, total=None)
        yield (lambda k: progress.advance(task, k)), (lambda n: progress.update(task, total=n))


def sensitivity(
    case: Annotated[str | None, typer.Argument(help="A case file or built-in name (default: the scenario's case).")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", "-s", help="Apply this scenario to every sample.")] = None,
    method: Annotated[str, typer.Option(help="sobol (S1 and total indices) or morris (mu*, sigma).")] = "sobol",
    samples: Annotated[int, typer.Option(help="SALib's N: base samples (Sobol, a power of two) or trajectories (Morris).", min=2)] = 256,
    group_by: Annotated[str, typer.Option("--group-by", help="Rank single inputs, or pool them by actor or attribute.")] = "input",
    model: Annotated[str, typer.Option("--model", "-m", help=f"One of: {', '.join(ENGINES)}.")] = DEFAULT_MODEL,
    rounds: Annotated[int | None, typer.Option(help="Rounds per run (model default).", min=0)] = None,
    seed: Annotated[int, typer.Option(help="Seed of the SALib sample.", min=0)] = 0,
    perspective: Annotated[str | None, typer.Option(help="Bounds from this source's estimates where it gives them.")] = None,
    top: Annotated[int, typer.Option(help="Inputs shown per issue.", min=1)] = 10,
    executor: Annotated[str, typer.Option(help="local, processes or dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Workers for processes/dask.", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a LocalCluster).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print every index as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Rank the inputs (actor x attribute x issue) by their effect on each issue's forecast (SALib).

    Inputs vary over their estimates' ranges (numbers with one point estimate: +-10 points for a
    position, +-0.1 for salience or capability). Use --group-by actor to test claims such as "the key to
    resolution lies with the parties, not with Moscow".
    """
    from accord.engines.base import ProblemError
    from accord.scenarios.runner import RunSpec
    from accord.scenarios.sensitivity import GROUPINGS, METHODS, run_sensitivity

    console, _, print_json = _consoles()
    if model not in ENGINES:
        raise fail(f"unknown model {model!r}; choose one of: {', '.join(ENGINES)}", code=2)
    if method not in METHODS:
        raise fail(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}", code=2)
    if group_by not in GROUPINGS:
        raise fail(f"unknown --group-by {group_by!r}; choose one of: {', '.join(GROUPINGS)}", code=2)
    check_executor(executor, scheduler)
    if scenario is not None:
        scen, loaded = load_scenario_or_exit(scenario, load_case_or_exit(case) if case is not None else None)
    else:
        scen, loaded = None, load_case_or_exit(case)
    check_perspective(perspective, loaded)
    spec = RunSpec(loaded, scen, model=model, rounds=rounds, perspective=perspective)
    try:
        with _open_progress(f"{method} sensitivity", quiet or json_out) as (advance, set_total):
            result = run_sensitivity(spec, method, samples, seed, group_by, executor, workers, scheduler, advance, set_total)
    except ProblemError as exc:
        raise _engine_error(exc, model) from None
    doc = {"case": loaded.id, "scenario": scen.id if scen else None, "model": model, "seed": seed,
           "perspective": perspective, **result.to_json()}
    if json_out:
        print_json(doc)
        return
    for issue, rows in result.ranking.items():
        console.print(_tornado(issue, rows[:top], result))
    defaults = sum(i.spread_default for i in result.inputs)
    console.print(
        f"[dim]{result.evaluations} model runs in {result.timings['total_s']:.1f} s; {len(result.inputs)} inputs "
        f"({defaults} with a single point estimate got the default spread)[/dim]"
    )


def _tornado(issue: str, rows: list[dict[str, Any]], result: Any) -> Table:
    """Inputs ranked by their index with a bar scaled to the largest (tornado style)."""
    key = result.key
    title = f"{issue}: inputs ranked by {'total Sobol index ST' if key == 'ST' else 'Morris mu*'}"
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(result.group_by)
    if key == "ST":
        for col in ("ST", "+-", "S1"):
            table.add_column(col, justify="right")
    else:
        for col in ("mu*", "+-", "sigma"):
            table.add_column(col, justify="right")
    table.add_column("", min_width=20)
    largest = max([float(r[key]) for r in rows] + [1e-12])
    for n, r in enumerate(rows, 1):
        bar = "█" * max(0, round(20 * max(float(r[key]), 0.0) / largest))
        if key == "ST":
            cells = [f"{r['ST']:.3f}", f"{r['ST_conf']:.3f}", f"{r['S1']:.3f}"]
        else:
            cells = [f"{r['mu_star']:.2f}", f"{r['mu_star_conf']:.2f}", "n/a" if r["sigma"] is None else f"{r['sigma']:.2f}"]
        table.add_row(str(n), str(r["input"]), *cells, f"[cyan]{bar}[/cyan]")
    return table
