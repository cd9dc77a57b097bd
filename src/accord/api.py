"""The Python API that the CLI, the web app and notebooks share.

>>> import accord
>>> case = accord.load_case("nagorno-karabakh-2020")        # doctest: +SKIP
>>> result = accord.run(case, model="median")                # doctest: +SKIP
>>> result.forecast_frame()                                  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from accord.case.io import load_case
from accord.case.model import Case
from accord.case.problem import case_to_problem
from accord.engines.base import Problem, RoundHook, Trajectory

__all__ = ["ENGINES", "DEFAULT_MODEL", "RunResult", "get_engine", "load_case", "run", "run_problem"]

# name -> (module, attribute holding an object with ``run``); imported on first use
ENGINES: dict[str, tuple[str, str]] = {
    "eum": ("accord.engines.eum", ""),
    "smp": ("accord.engines.smp", ""),
    "mean": ("accord.engines.baselines", "MEAN"),
    "median": ("accord.engines.baselines", "MEDIAN"),
    "nash": ("accord.engines.baselines", "NASH"),
}
DEFAULT_MODEL = "smp"
DEFAULT_ROUNDS = {"eum": 10, "smp": 100, "mean": 1, "median": 1, "nash": 1}


class UnknownModelError(ValueError):
    pass


def get_engine(name: str) -> Any:
    """The engine object (anything with a ``run`` function) registered under ``name``."""
    if name not in ENGINES:
        raise UnknownModelError(f"unknown model {name!r}; choose one of: {', '.join(ENGINES)}")
    module_name, attribute = ENGINES[name]
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


@dataclass(frozen=True)
class RunResult:
    """A trajectory with the names that make it readable, and tidy pandas views of it."""

    case_id: str
    model: str
    trajectory: Trajectory
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    status_quo: np.ndarray
    seed: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def forecast(self) -> dict[str, float]:
        """Median over draws of the final outcome, per issue."""
        final = np.median(self.trajectory.forecast, axis=0)
        return {issue: float(v) for issue, v in zip(self.issues, final, strict=True)}

    def positions_frame(self) -> pd.DataFrame:
        """One row per (draw, round, actor, issue) with the actor's position."""
        pos = self.trajectory.positions
        d, r, a, i = pos.shape
        index = pd.MultiIndex.from_product(
            [range(d), range(r), self.actors, self.issues], names=["draw", "round", "actor", "issue"]
        )
        return pd.DataFrame({"position": pos.reshape(-1)}, index=index).reset_index()

    def outcome_frame(self) -> pd.DataFrame:
        """One row per (draw, round, issue) with the predicted outcome."""
        out = self.trajectory.outcome
        d, r, i = out.shape
        index = pd.MultiIndex.from_product([range(d), range(r), self.issues], names=["draw", "round", "issue"])
        return pd.DataFrame({"outcome": out.reshape(-1)}, index=index).reset_index()

    def forecast_frame(self) -> pd.DataFrame:
        """Per issue: status quo, forecast (median over draws) and, with draws, the 5-95% interval."""
        final = self.trajectory.forecast
        frame = pd.DataFrame(
            {
                "status_quo": self.status_quo,
                "forecast": np.median(final, axis=0),
                "p05": np.quantile(final, 0.05, axis=0),
                "p95": np.quantile(final, 0.95, axis=0),
            },
            index=pd.Index(self.issues, name="issue"),
        )
        return frame

    def movement_frame(self) -> pd.DataFrame:
        """Per (actor, issue): start and end position (draw 0) and the change."""
        pos = self.trajectory.positions[0]
        rows = [
            {
                "actor": actor,
                "issue": issue,
                "start": pos[0, a, i],
                "end": pos[-1, a, i],
                "moved": pos[-1, a, i] - pos[0, a, i],
            }
            for a, actor in enumerate(self.actors)
            for i, issue in enumerate(self.issues)
        ]
        return pd.DataFrame(rows).set_index(["actor", "issue"])

    def to_json(self, draw: int = 0) -> dict[str, Any]:
        """``{case, model, rounds: [{round, positions: {actor: {issue: x}}, outcome: {issue: x}}], forecast}``."""
        pos = self.trajectory.positions[draw]
        out = self.trajectory.outcome[draw]
        rounds = [
            {
                "round": k,
                "positions": {
                    actor: {issue: float(pos[k, a, i]) for i, issue in enumerate(self.issues)}
                    for a, actor in enumerate(self.actors)
                },
                "outcome": {issue: float(out[k, i]) for i, issue in enumerate(self.issues)},
            }
            for k in range(pos.shape[0])
        ]
        return {
            "case": self.case_id,
            "model": self.model,
            "seed": self.seed,
            "status_quo": {issue: float(v) for issue, v in zip(self.issues, self.status_quo, strict=True)},
            "rounds": rounds,
            "forecast": self.forecast,
        }


def run_problem(
    problem: Problem,
    model: str = DEFAULT_MODEL,
    rounds: int | None = None,
    seed: int | None = None,
    params: Any | None = None,
    on_round: RoundHook | None = None,
) -> Trajectory:
    """Run an engine on arrays. ``rounds`` defaults per model (EUM 10, SMP up to 100 turns)."""
    engine = get_engine(model)
    rng = np.random.default_rng(seed)
    return engine.run(problem, params, DEFAULT_ROUNDS[model] if rounds is None else rounds, rng, on_round)


def case_params(model: str, params: Any | None) -> Any | None:
    """Engine parameters for a case when the caller gives none.

    A case gives each issue its own salience in [0, 1], so an actor's saliences can sum above 1. KTAB's
    spatial model reads salience as a share of one unit of attention: for cases, the SMP rescales such
    actors to sum to 1 (KTAB's own input files already do).
    """
    if params is None and model == "smp":
        from accord.engines.smp import SMPParams

        return SMPParams(normalize_salience=True)
    return params


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
