"""``accord sensitivity``: rank the inputs by their effect on each issue's forecast (SALib: Sobol, Morris)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import (
    check_executor,
    check_model,
    check_perspective,
    consoles,
    load_target,
    model_error,
    print_json,
    progress_bar,
    rendering_errors,
)
from accord.engines.registry import DEFAULT_MODEL, ENGINES
from accord.errors import UsageError


@rendering_errors
def sensitivity(
    case: Annotated[
        str | None, typer.Argument(help="A case file or built-in name (default: the scenario's case).")
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="Apply this scenario to every sample.")
    ] = None,
    method: Annotated[
        str, typer.Option(help="sobol (S1 and total indices) or morris (mu*, sigma).")
    ] = "sobol",
    samples: Annotated[
        int,
        typer.Option(help="SALib's N: base samples (Sobol, a power of two) or trajectories (Morris).", min=2),
    ] = 256,
    group_by: Annotated[
        str, typer.Option("--group-by", help="Rank single inputs, or pool them by actor or attribute.")
    ] = "input",
    model: Annotated[
        str, typer.Option("--model", "-m", help=f"One of: {', '.join(ENGINES)}.")
    ] = DEFAULT_MODEL,
    rounds: Annotated[int | None, typer.Option(help="Rounds per run (model default).", min=0)] = None,
    seed: Annotated[int, typer.Option(help="Seed of the SALib sample.", min=0)] = 0,
    perspective: Annotated[
        str | None, typer.Option(help="Bounds from this source's estimates where it gives them.")
    ] = None,
    top: Annotated[int, typer.Option(help="Inputs shown per issue.", min=1)] = 10,
    executor: Annotated[str, typer.Option(help="local, processes or dask.")] = "local",
    workers: Annotated[int | None, typer.Option(help="Workers for processes/dask.", min=1)] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: a LocalCluster).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print every index as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Rank the inputs (actor x attribute x issue) by their effect on each issue's forecast (SALib).

    Inputs vary over their estimates' ranges (numbers with one point estimate: +-10 points for a
    position, +-0.1 for salience or capability). Use --group-by actor to test claims such as "the key to
    resolution lies with the parties, not with Moscow".
    """
    from accord.api import sensitivity as api_sensitivity
    from accord.engines.base import ProblemError
    from accord.scenarios.sensitivity import GROUPINGS, METHODS

    console, _ = consoles()
    check_model(model)
    if method not in METHODS:
        raise UsageError(f"unknown method {method!r}", f"choose one of: {', '.join(METHODS)}")
    if group_by not in GROUPINGS:
        raise UsageError(f"unknown --group-by {group_by!r}", f"choose one of: {', '.join(GROUPINGS)}")
    check_executor(executor, scheduler)
    scen, loaded = load_target(case, scenario)
    check_perspective(perspective, loaded)
    try:
        with progress_bar(None, f"{method} sensitivity", quiet or json_out, unit="model runs") as advance:
            result = api_sensitivity(
                loaded,
                scenario=scen,
                model=model,
                method=method,
                samples=samples,
                seed=seed,
                group_by=group_by,
                rounds=rounds,
                perspective=perspective,
                executor=executor,
                workers=workers,
                scheduler=scheduler,
                progress=advance,
                on_total=getattr(advance, "set_total", None),
            )
    except ProblemError as exc:
        raise model_error(exc, model) from None
    doc = {
        "case": loaded.id,
        "scenario": scen.id if scen else None,
        "model": model,
        "seed": seed,
        "perspective": perspective,
        **result.to_json(),
    }
    if json_out:
        print_json(doc)
        return
    for issue, rows in result.ranking.items():
        console.print(_tornado(issue, rows[:top], result))
    defaults = sum(i.spread_default for i in result.inputs)
    console.print(
        f"[dim]{result.evaluations} model runs in {result.timings['total_s']:.1f} s; "
        f"{len(result.inputs)} inputs "
        f"({defaults} with a single point estimate got the default spread)[/dim]"
    )


def _tornado(issue: str, rows: list[dict[str, Any]], result: Any) -> Table:
    """Inputs ranked by their index with a bar scaled to the largest (tornado style)."""
    key = result.key
    title = f"{issue}: inputs ranked by {'total Sobol index ST' if key == 'ST' else 'Morris mu*'}"
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(result.group_by, no_wrap=True)
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
            cells = [
                f"{r['mu_star']:.2f}",
                f"{r['mu_star_conf']:.2f}",
                "n/a" if r["sigma"] is None else f"{r['sigma']:.2f}",
            ]
        table.add_row(str(n), str(r["input"]), *cells, f"[cyan]{bar}[/cyan]")
    return table
