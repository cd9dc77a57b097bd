"""Runs for the pages: the scenario layer does the work; this turns its results into what the pages draw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from accord.case.model import Case
from accord.results import RunResult

MAX_FINALS = 2000  # final outcomes kept per issue for distribution charts

Progress = Callable[[float], None]


def _r(x: Any) -> Any:
    """Round floats for JSON (3 decimals is far below what the 0-100 scales can tell apart)."""
    return np.round(np.asarray(x, dtype=float), 3).tolist()


def execute_run(
    case: Case,
    scenario: Any | None,
    model: str,
    draws: int = 0,
    rounds: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    record: Callable[[Any], str | None] | None = None,
) -> dict[str, Any]:
    """Run a scenario (or the case as it is) and summarise it for the run view, the comparison and the report.

    Always runs the point estimates once (the actors' trajectories per round); with ``draws > 0`` also
    the Monte Carlo draws (forecast interval, mean path, distribution of final outcomes). ``progress``
    gets the fraction done in [0, 1]; ``record`` is given the scenario layer's run (the draws, else the
    point run) to store it, and returns its id in the runs store.
    """
    from accord.api import forecast_distribution
    from accord.scenarios.service import run_scenario

    point = run_scenario(scenario, case, model=model, draws=0, seed=seed, rounds=rounds)
    summary = _point_summary(point.run_result(), point.summary())
    summary.update(
        case=case.id,
        scenario=getattr(scenario, "id", None),
        draws=draws,
        interval_kind=point.interval_kind,
        scales={i.id: {"min_label": i.scale.min_label, "max_label": i.scale.max_label} for i in case.issues},
    )
    if progress is not None:
        progress(0.05 if draws else 1.0)
    if draws > 0:
        done = 0

        def step(k: int) -> None:
            nonlocal done
            done += k
            if progress is not None:
                progress(0.05 + 0.95 * min(done, draws) / draws)

        # the one forecast distribution of every interface (the default model adds its DEU error)
        mc = forecast_distribution(
            case, model, draws=draws, seed=seed, scenario=scenario, rounds=rounds, progress=step
        )
        _add_draws(summary, mc.draws, mc.summary())
        summary["interval_kind"] = mc.interval_kind
    if record is not None:
        summary["store_id"] = record(mc if draws > 0 else point)
    return summary


def execute_sensitivity(
    case: Case,
    scenario: Any | None,
    model: str,
    rounds: int | None = None,
    seed: int = 0,
    method: str = "sobol",
    samples: int = 64,
    group_by: str = "input",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """A global sensitivity analysis (the scenario layer's SALib Sobol or Morris), for the dashboard."""
    from accord.scenarios.runner import RunSpec
    from accord.scenarios.sensitivity import run_sensitivity

    total = [1]
    done = [0]

    def step(k: int) -> None:
        done[0] += k
        if progress is not None:
            progress(min(done[0] / max(total[0], 1), 1.0))

    def on_total(n: int) -> None:
        total[0] = n

    result = run_sensitivity(
        RunSpec(case=case, scenario=scenario, model=model, rounds=rounds),
        method,
        samples,
        seed,
        group_by,
        progress=step,
        on_total=on_total,
    )
    return {"case": case.id, "scenario": getattr(scenario, "id", None), "model": model, **result.to_json()}


def _point_summary(result: RunResult, point: dict[str, Any]) -> dict[str, Any]:
    traj = result.trajectory
    return {
        "model": result.model,
        "seed": result.seed,
        "rounds": int(traj.n_rounds),
        "actors": list(result.actors),
        "issues": list(result.issues),
        "forecast": [
            {
                "issue": issue,
                "status_quo": float(result.status_quo[j]),
                "point": float(traj.forecast[0, j]),
                "median": float(traj.forecast[0, j]),
                "p10": None,
                "p90": None,
                "p05": None,
                "p95": None,
                "mean": None,
                "stable_share": point["issues"][issue]["stable_share"],
            }
            for j, issue in enumerate(result.issues)
        ],
        "outcome": {issue: _r(traj.outcome[0, :, j]) for j, issue in enumerate(result.issues)},
        "positions": {
            actor: {issue: _r(traj.positions[0, :, a, j]) for j, issue in enumerate(result.issues)}
            for a, actor in enumerate(result.actors)
        },
        "triggers": point.get("triggers", {}),
        "mean_path": None,
        "path_bands": None,
        "finals": None,
    }


def _add_draws(summary: dict[str, Any], draws: Any, mc: dict[str, Any]) -> None:
    """Overlay the Monte Carlo numbers: median, the 80% (headline) and 5-95% intervals per issue, mean
    path, final outcomes."""
    keys = ("median", "p10", "p90", "p05", "p95", "mean", "stable_share")
    for row in summary["forecast"]:
        row.update({k: mc["issues"][row["issue"]][k] for k in keys})
    finals = draws.forecast
    if finals.shape[0] > MAX_FINALS:
        finals = finals[np.linspace(0, finals.shape[0] - 1, MAX_FINALS).astype(int)]
    issues = list(draws.issues)
    summary["triggers"] = mc.get("triggers", {})
    summary["stable_all"] = mc.get("stable_all")
    summary["finals"] = {issue: _r(finals[:, j]) for j, issue in enumerate(issues)}
    if draws.mean_path is not None:
        summary["mean_path"] = {issue: _r(draws.mean_path[:, j]) for j, issue in enumerate(issues)}
    bands = getattr(draws, "path_bands", None)
    if bands is not None:
        summary["path_bands"] = {
            issue: {"p05": _r(bands[0, :, j]), "p50": _r(bands[1, :, j]), "p95": _r(bands[2, :, j])}
            for j, issue in enumerate(issues)
        }
