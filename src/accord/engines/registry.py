"""The engine registry: names, default rounds and defaults for case inputs, and running an engine on arrays.

It sits with the engines (pure arrays in, arrays out), below the case, scenario and API layers that all
pick engines by name.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from accord.engines.base import Engine, Problem, RoundHook, Trajectory

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_ROUNDS",
    "ENGINES",
    "UnknownModelError",
    "case_params",
    "get_engine",
    "run_problem",
]

# name -> (module, attribute holding an object with ``run``); imported on first use
ENGINES: dict[str, tuple[str, str]] = {
    "eum": ("accord.engines.eum", "engine"),
    "smp": ("accord.engines.smp", "engine"),
    "mean": ("accord.engines.baselines", "MEAN"),
    "median": ("accord.engines.baselines", "MEDIAN"),
    "nash": ("accord.engines.baselines", "NASH"),
}
DEFAULT_MODEL = "smp"
# each engine's default ``params.rounds`` (a test keeps the two equal); listed here so that callers can
# show them without importing every engine
DEFAULT_ROUNDS = {"eum": 10, "smp": 100, "mean": 1, "median": 1, "nash": 1}


class UnknownModelError(ValueError):
    """A model name that is not in :data:`ENGINES`."""


def get_engine(name: str) -> Engine:
    """The engine object (``name``, ``params``, ``run``) registered under ``name``."""
    if name not in ENGINES:
        raise UnknownModelError(f"unknown model {name!r}; choose one of: {', '.join(ENGINES)}")
    module_name, attribute = ENGINES[name]
    engine: Engine = getattr(importlib.import_module(module_name), attribute)
    return engine


def run_problem(
    problem: Problem,
    model: str = DEFAULT_MODEL,
    rounds: int | None = None,
    seed: int | None = None,
    params: Any | None = None,
    on_round: RoundHook | None = None,
) -> Trajectory:
    """Run an engine on arrays. ``rounds`` defaults to the engine's (EUM 10, SMP up to 100 turns)."""
    engine = get_engine(model)
    rng = np.random.default_rng(seed)
    return engine.run(problem, params, rounds, rng, on_round)


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
