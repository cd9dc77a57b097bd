"""``accord compare``: scenarios, cases or sources' perspectives side by side (same model, draws, seed)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import (
    check_executor,
    check_model,
    consoles,
    load_case_or_exit,
    load_scenario_or_exit,
    model_error,
    parse_thresholds,
    pct,
    print_json,
    print_scales,
    progress_bar,
    rendering_errors,
)
from accord.engines.registry import DEFAULT_MODEL, ENGINES
from accord.errors import UsageError


@rendering_errors
def compare(
    cases: Annotated[
        list[str] | None, typer.Argument(help="Cases to compare (files or built-in names).")
    ] = None,
    scenario: Annotated[
        list[str] | None, typer.Option("--scenario", "-s", help="A scenario to compare; repeatable.")
    ] = None,
    perspectives: Annotated[
        bool, typer.Option("--perspectives", help="One column per source's reading of the case.")
    ] = False,
    model: Annotated[
        str, typer.Option("--model", "-m", help=f"One of: {', '.join(ENGINES)}.")
    ] = DEFAULT_MODEL,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws per column (0: point estimates).", min=0)] = 0,
    seed: Annotated[int, typer.Option(help="Random seed, shared by every column.", min=0)] = 0,
    threshold: Annotated[
        list[str] | None, typer.Option("--threshold", "-t", help="Also report P(ISSUE>=X); repeatable.")
    ] = None,
    executor: Annotated[str, typer.Option(help="local, processes or dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Workers for processes/dask.", min=1)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Put scenarios, cases (e.g. the 2013 and 2020 cases) or sources' perspectives side by side.

    Every column uses the same model, draws and seed; with draws each cell shows the median and the 80%
    interval (the headline's, as in accord run). With --perspectives each source that gives numbers gets a
    column (its estimates where it gives them, the pooled estimates elsewhere), next to the pooled
    reading.
    """
    from accord.api import compare as api_compare
    from accord.comparisons import perspective_variants
    from accord.engines.base import ProblemError
    from accord.scenarios.service import Variant

    check_model(model)
    check_executor(executor, None)
    thresholds = threshold or []
    parse_thresholds(thresholds, None, draws)
    loaded_cases = [load_case_or_exit(c) for c in (cases or [])]
    variants: list[Variant] = []
    base_case = loaded_cases[0] if loaded_cases else None
    for name in scenario or []:
        scen, scen_case = load_scenario_or_exit(name, base_case)
        variants.append(Variant(scen.id, scen_case, scen))
    if not variants:
        variants = [Variant(c.id, c) for c in loaded_cases] or [Variant("pooled", load_case_or_exit(None))]
    elif len(loaded_cases) > 1:
        raise UsageError(
            "compare either several cases or several scenarios on one case", "drop the extra cases"
        )
    if perspectives:
        if len(variants) != 1:
            raise UsageError(
                "--perspectives compares the sources of one case (or one scenario)",
                "give one case or scenario",
            )
        # the same columns as the dashboard's Compare view: sources by title and date
        variants = perspective_variants(variants[0].case, variants[0].scenario)
    try:
        with progress_bar(draws * len(variants), "compare", quiet or json_out) as advance:
            rows = api_compare(
                variants,
                model=model,
                draws=draws,
                seed=seed,
                thresholds=thresholds,
                progress=advance,
                executor=executor,
                workers=workers,
            )
    except ProblemError as exc:
        raise model_error(exc, model) from None
    if json_out:
        print_json(
            {
                "model": model,
                "draws": draws,
                "seed": seed,
                "compared": describe(variants),
                "columns": [
                    {
                        "label": v.label,
                        "case": v.case.id,
                        "scenario": v.scenario.id if v.scenario else None,
                        "perspective": v.perspective,
                        "summary": s,
                    }
                    for v, s in rows
                ],
            }
        )
        return
    console, _ = consoles()
    console.print(f"Compared: {describe(variants)}", highlight=False, soft_wrap=True)
    if not cases and not scenario and not perspectives:
        console.print(
            "(no cases, --scenario or --perspectives given: one column; "
            "`accord compare --perspectives` reads the case as each source does)",
            highlight=False,
            soft_wrap=True,
        )
    labels = column_labels([v.label for v, _ in rows], console.width)
    for short, (v, _) in zip(labels, rows, strict=True):
        if short != v.label:
            console.print(f"column {short} = {v.label}", highlight=False, soft_wrap=True)
    console.print(_compare_table(rows, labels, model, draws, seed, thresholds))
    print_scales(console, variants[0].case)


def column_labels(labels: list[str], width: int) -> list[str]:
    """The columns' headers: the labels themselves when they fit the terminal, else A, B, C... with
    the full labels printed above the table (an id is never cut or folded)."""
    need = 26 + 13 + sum(max(len(label), 11) + 3 for label in labels)
    if need <= width:
        return labels
    return [chr(ord("A") + k) if k < 26 else f"#{k + 1}" for k in range(len(labels))]


def describe(variants: list[Any]) -> str:
    """What the columns are, in words: ``the case X as it is (pooled estimates)``, ``scenarios A, B on X``."""
    first = variants[0]
    if all(v.perspective is None and v.scenario is None for v in variants):
        if len(variants) == 1:
            return f"the case {first.case.id} as it is (pooled estimates of its sources), one column"
        return "the cases " + ", ".join(v.case.id for v in variants)
    if any(v.perspective for v in variants):
        where = f"scenario {first.scenario.id} on " if first.scenario else ""
        n = sum(1 for v in variants if v.perspective)
        return (
            f"{where}the case {first.case.id} read by each of the {n} sources that give numbers, and pooled"
        )
    return "the scenarios " + ", ".join(v.label for v in variants) + f" on the case {first.case.id}"


def _compare_table(
    rows: list[tuple[Any, dict[str, Any]]],
    labels: list[str],
    model: str,
    draws: int,
    seed: int,
    thresholds: list[str],
) -> Table:
    title = f"Comparison, model {model}" + (
        f", {draws} draws, seed {seed}: median [80% interval]" if draws else ", point runs"
    )
    table = Table(title=title)
    table.add_column("issue", no_wrap=True)
    table.add_column("status quo", justify="right")
    for label in labels:
        table.add_column(label, justify="right", overflow="fold")
    issues: list[str] = []
    for _, s in rows:
        issues += [i for i in s["issues"] if i not in issues]
    for issue in issues:
        sq = next((s["issues"][issue]["status_quo"] for _, s in rows if issue in s["issues"]), None)
        cells = [f"{sq:.1f}" if sq is not None else "-"]
        for _, s in rows:
            row = s["issues"].get(issue)
            if row is None:
                cells.append("-")
            elif draws:
                cells.append(f"{row['median']:.0f} [{row['p10']:.0f}-{row['p90']:.0f}]")
            else:
                cells.append(f"{row['median']:.1f}")
        table.add_row(issue, *cells)
    for text in thresholds:
        cells = ["", *[pct(s["thresholds"][text]) if text in s["thresholds"] else "-" for _, s in rows]]
        table.add_row(f"P({text})", *cells)
    for issue in issues:
        table.add_row(
            f"SQ stable: {issue}",
            "",
            *[pct(s["issues"][issue]["stable_share"]) if issue in s["issues"] else "-" for _, s in rows],
        )
    table.add_row("SQ stable: all issues", "", *[pct(s["stable_all"]) for _, s in rows])
    return table
