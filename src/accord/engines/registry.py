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
    "ALIASES",
    "DEFAULT_MODEL",
    "DEFAULT_ROUNDS",
    "ENGINES",
    "MODEL_NOTES",
    "UnknownModelError",
    "canonical_model",
    "case_params",
    "get_engine",
    "run_problem",
]

# name -> (module, attribute holding an object with ``run``); imported on first use
ENGINES: dict[str, tuple[str, str]] = {
    "compromise": ("accord.engines.baselines", "COMPROMISE"),
    "smp": ("accord.engines.smp", "engine"),
    "eum": ("accord.engines.eum", "engine"),
    "median": ("accord.engines.baselines", "MEDIAN"),
    "nash": ("accord.engines.baselines", "NASH"),
}
# other names accepted for a registered engine: ``mean`` was the compromise model's name before the DEU
# backtest named it as the literature does; old scripts, scenario files and stored runs keep working
ALIASES: dict[str, str] = {"mean": "compromise"}
# The default is chosen from the DEU III backtest (docs/models.md): the compromise model has the lowest
# MAE of every engine on the development file (SMP +1.7, EUM +3.8 to +7.4), and the shipped forecaster
# (accord.validation.forecaster, selected: compromise) is it, with intervals from its cross-validated errors.
DEFAULT_MODEL = "compromise"
# each engine's default ``params.rounds`` (a test keeps the two equal); listed here so that callers can
# show them without importing every engine
DEFAULT_ROUNDS = {"eum": 10, "smp": 100, "compromise": 1, "median": 1, "nash": 1}

# One paragraph per model, for `accord run --help` and the web's model pickers. The DEU III figures are
# those of `accord backtest deu deu3-1996-2004.tsv` (213 issues of EU legislation, seed 0; docs/models.md):
# mean absolute error on the 0-100 scale, and the paired-bootstrap 95% interval of the difference from the
# compromise model (positive: worse). Text only: no code path reads these numbers.
MODEL_NOTES: dict[str, str] = {
    "compromise": "The compromise model (Achen 2006): each issue ends at the mean of the "
    "positions weighted by capability times salience, computed once. It is the most accurate model on the "
    "DEU III backtest (MAE 23.6, 95% CI 21.0-26.3), and no fitted forecaster beat it out of sample, so the "
    "default forecast is this model, with an 80% interval that adds its cross-validated DEU errors to the "
    "case's own uncertainty (80% intervals covered 79% of DEU outcomes). Alias: mean.",
    "smp": "KTAB's Spatial Model of Politics: in each turn every actor weighs, for each rival position, how "
    "the others would line up for and against it (capability times salience, with risk attitudes), and moves "
    "toward positions that would win; it stops when positions stop moving. DEU III: MAE 25.4, +1.7 against "
    "the compromise model (95% CI -0.1 to +3.7). Its interval is the case's uncertainty only.",
    "eum": "Bueno de Mesquita's expected utility model: each actor asks whether challenging another is worth "
    "the risk, given both sides' capability, salience and the support each could rally; challenges end in "
    "compromise, capitulation or conflict, round by round (10 rounds by default). DEU III: MAE 31.0, +7.4 "
    "(95% CI +3.0 to +11.6) in the default variant, 27.4 (+3.8) with pairwise normalisation. Its interval "
    "is the case's uncertainty only.",
    "median": "The weighted median: the position with half the weight (capability times salience) on "
    "either side, the median voter of the issue. DEU III: MAE 28.5, +4.8 (95% CI +2.0 to +7.6). Its "
    "interval is the case's uncertainty only.",
    "nash": "The Nash bargaining solution: the outcome that maximises the product of the actors' gains over "
    "the status quo (the disagreement point), weighted by capability times salience. DEU III (the 156 "
    "issues with a status quo): MAE 40.0, +15.8 (95% CI +9.0 to +22.7). Its interval is the case's "
    "uncertainty only.",
}


class UnknownModelError(ValueError):
    """A model name that is not in :data:`ENGINES`."""


def canonical_model(name: str) -> str:
    """The registered name of ``name`` (an alias resolves to its engine); an unknown name is an error."""
    name = ALIASES.get(name, name)
    if name not in ENGINES:
        raise UnknownModelError(f"unknown model {name!r}; choose one of: {', '.join(ENGINES)}")
    return name


def get_engine(name: str) -> Engine:
    """The engine object (``name``, ``params``, ``run``) registered under ``name`` (or an alias of it)."""
    module_name, attribute = ENGINES[canonical_model(name)]
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
