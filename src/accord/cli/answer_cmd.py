"""``accord answer``: the case's question answered at a glance (the same answer as the web and the report)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from accord.answer import DEFAULT_DRAWS
from accord.case.io import DEFAULT_CASE


def scenario_table(doc: dict[str, Any], issue: dict[str, Any]) -> Table:
    """One issue: every scenario's median, interval and shift from the case as it stands."""
    title = (
        f"{issue['id']}: {issue['question']}\n0 = {issue['min_label']}; 100 = {issue['max_label']}; "
        f"status quo {issue['status_quo']:.1f}"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("scenario", overflow="fold")
    table.add_column("median", justify="right")
    table.add_column(doc["forecaster"]["interval"], justify="right")
    table.add_column("shift", justify="right")
    table.add_column("point run", justify="right")
    for row in doc["scenarios"]:
        f = row["forecast"][issue["id"]]
        shift = "" if row["name"] == "as-it-stands" else f"{f['shift']:+.1f}"
        table.add_row(
            row["name"],
            f"{f['median']:.1f}",
            f"{f['low']:.0f}-{f['high']:.0f}",
            shift,
            f"{f['point_run']:.1f}",
        )
    return table


def drivers_table(doc: dict[str, Any], limit: int = 6) -> Table:
    method = doc["drivers_method"]
    stab = method["stability"]
    table = Table(
        title=(
            f"Who the outcome depends on most (Morris mu*, grouped by actor; {method['samples']} "
            f"trajectories x {method['repeats']} seeds; top-3 agreement across seeds "
            f"{stab['top3_agreement']:.0%}, rank correlation {stab['spearman_mean']:.2f})"
        ),
        title_justify="left",
    )
    table.add_column("actor", overflow="fold")
    table.add_column("effect (points)", justify="right")
    table.add_column("+- across seeds", justify="right")
    table.add_column("ranks seen", justify="right")
    table.add_column("in top 3", justify="right")
    table.add_column("", overflow="fold")
    for row in doc["drivers"][:limit]:
        lo, hi = row["rank_range"]
        table.add_row(
            row["name"],
            f"{row['effect']:.1f}",
            f"{row['effect_sd']:.1f}",
            f"{lo}" if lo == hi else f"{lo}-{hi}",
            f"{row['top3_share']:.0%}",
            "leading group" if row["leading_group"] else "",
        )
    return table


def answer(
    case: Annotated[
        str | None, typer.Argument(help=f"A case file or built-in name (default {DEFAULT_CASE}).")
    ] = None,
    draws: Annotated[
        int, typer.Option(help="Draws per scenario for the forecast distribution.", min=50)
    ] = DEFAULT_DRAWS,
    seed: Annotated[
        int, typer.Option(help="Random seed (the answer is reproducible for a seed).", min=0)
    ] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Answer the case's question: each scenario's forecast, the mediator's leverage, who matters most.

    Per issue, every built-in scenario's forecast (median and interval of the draws, shift from the case
    as it stands); the leverage of the actor the scenarios are about; the actors the outcome depends on
    most; and what the sources disagree on.

    Takes a few seconds (about 3 s for a built-in case on two cores: benchmarks/bench_answer.py); the
    web serves the same answer at /api/cases/CASE/answer.
    """
    from accord.answer import answer as compute
    from accord.cli.case_cmd import load_or_exit
    from accord.cli.main import console, err, print_json

    loaded = load_or_exit(case or DEFAULT_CASE)

    def say(msg: str) -> None:
        if not quiet:
            err.print(f"[dim]answer: {msg}[/dim]", highlight=False)

    doc = compute(loaded, draws=draws, seed=seed, progress=say)
    if json_out:
        print_json(doc)
        return
    _print(doc, console)


def _print(doc: dict[str, Any], console: Any) -> None:
    console.print(f"[bold]{doc['title']}[/bold] (as of {doc['as_of']})", highlight=False)
    console.print(f"Question: {doc['question']}", highlight=False)
    console.print(f"Forecast: {doc['forecaster']['description']}.", highlight=False)
    console.print(f"Readings: {doc['readings']}.\n", highlight=False)
    for issue in doc["issues"]:
        console.print(scenario_table(doc, issue))
    lev = doc["leverage"]
    if lev:
        console.print(
            f"\n[bold]{lev['name']}'s leverage[/bold] (range of the medians over: "
            f"{', '.join(lev['options'])})",
            highlight=False,
        )
        for issue, row in lev["issues"].items():
            console.print(
                f"  {issue}: {row['range']:.1f} points ({row['lowest']} lowest, {row['highest']} highest)",
                highlight=False,
            )
    console.print(drivers_table(doc))
    if doc["disagreements"]:
        console.print("\n[bold]What the sources disagree on[/bold] (widest first)", highlight=False)
        for d in doc["disagreements"][:5]:
            readings = "; ".join(f"{r['title']} ({r['date']}): {r['value']:g}" for r in d["readings"])
            console.print(f"  {d['label']}: {readings}", highlight=False)
    console.print(f"\n[dim]{doc['timings']['total_s']:.1f} s[/dim]", highlight=False)
