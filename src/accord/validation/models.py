"""The models a backtest scores: every registered engine (and its variants) and the literature's baselines.

Each :class:`ModelSpec` says which capability it reads (``equal``: salience alone, the convention under
which the compromise model is usually tested, or ``weights``: the file's weight row) and whether it
needs a recorded status quo (models that do, score only the issues with a reference point; the others
are counted as not scored, never guessed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from accord.engines.base import Problem
from accord.engines.eum import EUMParams
from accord.engines.registry import run_problem
from accord.validation import baselines
from accord.validation.problems import Capability

__all__ = ["ModelSpec", "MODELS", "model_names", "select", "predict_many"]


@dataclass(frozen=True)
class ModelSpec:
    name: str
    capability: Capability
    needs_status_quo: bool
    predict: Callable[[Problem], np.ndarray] | None
    about: str
    per_proposal: bool = False  # scored on the issues of a proposal together (see prepare)


def _engine(model: str, params: object | None = None) -> Callable[[Problem], np.ndarray]:
    """An engine on a batch of one-issue problems stacked as draws ``[D, A, 1]``: one forecast per draw."""

    def predict(problem: Problem) -> np.ndarray:
        return run_problem(problem, model, params=params).forecast[:, 0]

    return predict


def _eum(variant: str, normalisation: str) -> Callable[[Problem], np.ndarray]:
    return _engine("eum", EUMParams(variant=variant, normalisation=normalisation, keep_challenges=False))


def _first(fn: Callable[[Problem], np.ndarray]) -> Callable[[Problem], np.ndarray]:
    """A baseline on the same batch: the draws become issues of one problem (capability per issue)."""

    def predict(problem: Problem) -> np.ndarray:
        b = problem.batched()
        flat = Problem(
            positions=b.positions[..., 0].T,
            salience=b.salience[..., 0].T,
            capability=b.capability_per_issue()[..., 0].T,
            status_quo=b.status_quo[:, 0],
            scale=problem.scale,
        )
        return fn(flat)

    return predict


def predict_many(spec: ModelSpec, problems: list[Problem]) -> np.ndarray:
    """``spec`` on many one-issue problems, batched by actor count (same numbers as one at a time)."""
    out = np.full(len(problems), np.nan)
    groups: dict[int, list[int]] = {}
    for k, p in enumerate(problems):
        groups.setdefault(p.n_actors, []).append(k)
    for ks in groups.values():
        batch = Problem(
            positions=np.stack([problems[k].positions for k in ks]),
            salience=np.stack([problems[k].salience for k in ks]),
            capability=np.stack([problems[k].capability for k in ks]),
            status_quo=np.stack([problems[k].status_quo for k in ks]),
            scale=problems[ks[0]].scale,
        )
        assert spec.predict is not None, f"{spec.name} runs per proposal"
        out[ks] = spec.predict(batch)
    return out


MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "compromise", "equal", False, _first(baselines.compromise), "salience-weighted mean (Achen 2006)"
    ),
    ModelSpec(
        "compromise_w", "weights", False, _first(baselines.compromise), "compromise, capability = weight row"
    ),
    ModelSpec("median", "equal", False, _engine("median"), "salience-weighted median (median voter)"),
    ModelSpec("smp", "equal", False, _engine("smp"), "KTAB spatial model of politics"),
    ModelSpec("smp_w", "weights", False, _engine("smp"), "SMP, capability = weight row"),
    ModelSpec("eum", "equal", False, _eum("paper", "global"), "EUM, paper variant, global normalisation"),
    ModelSpec("eum_pair", "equal", False, _eum("paper", "pairwise"), "EUM, paper variant, pairwise"),
    ModelSpec("eum_ref", "equal", False, _eum("reference", "global"), "EUM, reference replication, global"),
    ModelSpec(
        "eum_ref_pair", "equal", False, _eum("reference", "pairwise"), "EUM, reference replication, pairwise"
    ),
    ModelSpec("nash", "weights", True, _engine("nash"), "Nash bargaining, exponents capability x salience"),
    ModelSpec(
        "salience_nash", "equal", True, _first(baselines.salience_nash), "salience-weighted Nash (SFB 2010)"
    ),
    ModelSpec("reference_point", "equal", True, _first(baselines.reference_point), "nothing changes"),
    ModelSpec("midpoint", "equal", False, _first(baselines.midpoint), "middle of the positions' range"),
    ModelSpec(
        "exchange", "equal", False, None, "vote exchange within a proposal (Stokman & Van Oosten)", True
    ),
)


def model_names() -> tuple[str, ...]:
    return tuple(m.name for m in MODELS) + ("forecaster",)


def select(names: list[str] | None) -> tuple[list[ModelSpec], bool]:
    """The specs named (all by default) and whether the forecaster is among them.

    The compromise model is always run, since every delta is measured against it.
    """
    known = {m.name: m for m in MODELS}
    if not names:
        return list(MODELS), True
    unknown = [n for n in names if n not in known and n != "forecaster"]
    if unknown:
        raise ValueError(f"unknown model {unknown[0]!r}; choose from: {', '.join(model_names())}")
    chosen = [known[n] for n in dict.fromkeys(["compromise", *names]) if n in known]
    return chosen, "forecaster" in names
