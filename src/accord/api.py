"""The Python API that the CLI, the web app and notebooks share.

>>> import accord
>>> case = accord.load_case("nagorno-karabakh-2020")        # doctest: +SKIP
>>> result = accord.run(case, model="median")                # doctest: +SKIP
>>> result.forecast_frame()                                  # doctest: +SKIP

The engine registry lives with the engines (:mod:`accord.engines.registry`) and the result type in
:mod:`accord.results`, so that lower layers (scenarios, views) can use them; they are re-exported here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.case.io import load_case
from accord.case.model import Case
from accord.case.problem import case_to_problem
from accord.engines.registry import (
    DEFAULT_MODEL,
    DEFAULT_ROUNDS,
    ENGINES,
    UnknownModelError,
    case_params,
    get_engine,
    run_problem,
)
from accord.results import RunResult

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_ROUNDS",
    "ENGINES",
    "RunResult",
    "UnknownModelError",
    "case_params",
    "get_engine",
    "load_case",
    "run",
    "run_problem",
]


def run(
    case: Case | str | Path | None = None,
    model: str = DEFAULT_MODEL,
    rounds: int | None = None,
    seed: int | None = None,
    params: Any | None = None,
) -> RunResult:
    """Run a model on a case (object, file or built-in name; ``None`` = the default case)."""
    if not isinstance(case, Case):
        case = load_case(case)
    problem = case_to_problem(case)
    trajectory = run_problem(problem, model, rounds, seed, case_params(model, params))
    return RunResult(
        case_id=case.id,
        model=model,
        trajectory=trajectory,
        actors=problem.actors,
        issues=problem.issues,
        status_quo=problem.status_quo,
        seed=seed,
    )
