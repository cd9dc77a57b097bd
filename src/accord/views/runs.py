"""Runs for the pages: the run document is :meth:`accord.scenarios.run.Run.to_json` (the one shape of
``accord run --json``, docs/run-schema.json); beside it go only the chart arrays the document does not hold.

The web serves ``{"run": <status>, "result": <Run.to_json()>, "charts": {...}}`` for a run and the report
embeds ``{"result": ..., "charts": ...}``; the dashboard's script reads the per-round paths from the
document's ``rounds`` and the distribution charts (final outcome of each draw, mean path, 5/50/95% bands
per round) from ``charts``, which are ``null`` for a point run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from accord.case.model import Case

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
    """Run a scenario (or the case as it is) through :func:`accord.api.run`: ``{"result":
    Run.to_json(), "charts": run_charts(run), "store_id": ...}``.

    ``progress`` gets the fraction done in [0, 1]; ``record`` is given the :class:`Run` to store it
    and returns its id in the runs store (``store_id`` is ``None`` without it).
    """
    from accord.api import run as run_model

    done = 0

    def step(k: int) -> None:
        nonlocal done
        done += k
        if progress is not None and draws > 0:
            progress(min(done, draws) / draws)

    run = run_model(case, model, rounds, seed, scenario=scenario, draws=draws, progress=step)
    if progress is not None:
        progress(1.0)
    return {
        "result": run.to_json(),
        "charts": run_charts(run),
        "store_id": record(run) if record is not None else None,
    }


def run_charts(run: Any) -> dict[str, Any]:
    """What the distribution charts need and the run document does not hold: per issue the final
    outcome of (at most :data:`MAX_FINALS`, evenly spaced) draws, the mean path and the 5/50/95% bands
    per round. All ``None`` for a point run (its paths are the document's ``rounds``)."""
    draws = run.draws
    charts: dict[str, Any] = {"finals": None, "mean_path": None, "path_bands": None}
    if draws is None or run.n_draws == 0:
        return charts
    issues = list(draws.issues)
    finals = draws.forecast
    if finals.shape[0] > MAX_FINALS:
        finals = finals[np.linspace(0, finals.shape[0] - 1, MAX_FINALS).astype(int)]
    charts["finals"] = {issue: _r(finals[:, j]) for j, issue in enumerate(issues)}
    if draws.mean_path is not None:
        charts["mean_path"] = {issue: _r(draws.mean_path[:, j]) for j, issue in enumerate(issues)}
    bands = getattr(draws, "path_bands", None)
    if bands is not None:
        charts["path_bands"] = {
            issue: {"p05": _r(bands[0, :, j]), "p50": _r(bands[1, :, j]), "p95": _r(bands[2, :, j])}
            for j, issue in enumerate(issues)
        }
    return charts


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
