"""Global sensitivity analysis with SALib: which inputs move each issue's forecast?

Inputs are the case's numbers per actor: capability (once per actor, or per issue where the case gives
per-issue capabilities), and position and salience per issue where the actor holds a stance. Each input
varies uniformly between its bounds: the smallest low (or value) and largest high (or value) over its
estimates, read through ``perspective`` when one is given. A number given as a single point gets a
default spread (:data:`DEFAULT_SPREAD`: +-10 points for positions, +-0.1 for salience and capability),
clipped to the valid range. Status quo values stay at their point estimates.

For every sample the scenario is applied (interventions after the inputs, triggers during the run) and
the model runs; the output per issue is the forecast after the last round. ``sobol`` reports first-order
(S1) and total (ST) indices (Saltelli sampling, ``N * (k + 2)`` runs without second-order terms);
``morris`` reports mu* and sigma of the elementary effects (``N * (k + 1)`` runs). ``group_by`` pools
inputs by actor or attribute (SALib groups), so one can ask whether the parties or Moscow matter more.
Evaluation reuses the runner's blocks and executors; the result does not depend on the executor.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.case.model import Case
from accord.scenarios.runner import (
    BLOCK_DRAWS,
    RunSpec,
    chunk_blocks,
    default_workers,
    engine_blocks,
    execute,
    for_many_runs,
    loading_shares,
    run_prepared,
    warm_before_forking,
)
from accord.scenarios.uncertainty import fill_problem, laws

__all__ = [
    "DEFAULT_SPREAD",
    "METHODS",
    "SensitivityInput",
    "SensitivityResult",
    "inputs_of",
    "run_sensitivity",
]

DEFAULT_SPREAD = {"position": 10.0, "salience": 0.1, "capability": 0.1}
_RANGE = {"position": (0.0, 100.0), "salience": (0.0, 1.0), "capability": (0.0, 1.0)}
METHODS = ("sobol", "morris")
GROUPINGS = ("input", "actor", "attribute")


@dataclass(frozen=True)
class SensitivityInput:
    """One varied number: which quantity (index into the case's laws), its label and bounds."""

    slot: int
    actor: str
    attribute: str
    issue: str  # "all" for an actor-wide capability
    low: float
    high: float
    spread_default: bool

    @property
    def name(self) -> str:
        return f"{self.actor}.{self.attribute}" + ("" if self.issue == "all" else f".{self.issue}")


def inputs_of(case: Case, perspective: str | None = None) -> tuple[list[SensitivityInput], Any]:
    """The inputs of ``case`` (actor x attribute x issue) with their bounds, and the case's law layout."""
    layout = laws(case, perspective)
    actors, issues = case.bargaining_actor_ids, case.issue_ids
    found: list[SensitivityInput] = []
    seen: set[int] = set()
    for a, actor in enumerate(actors):
        for attribute, cells in (
            ("capability", layout.capability),
            ("position", layout.position),
            ("salience", layout.salience),
        ):
            row = cells[a]
            uniform = attribute == "capability" and np.all(row == row[0])
            for j, slot in enumerate(row):
                if slot < 0 or slot in seen:
                    continue
                seen.add(int(slot))
                law = layout.laws[slot]
                low, high = float(law.low.min()), float(law.high.max())
                default = high <= low
                if default:
                    lo_r, hi_r = _RANGE[attribute]
                    low, high = (
                        max(lo_r, low - DEFAULT_SPREAD[attribute]),
                        min(hi_r, high + DEFAULT_SPREAD[attribute]),
                    )
                found.append(
                    SensitivityInput(
                        int(slot), actor, attribute, "all" if uniform else issues[j], low, high, default
                    )
                )
    return found, layout


@dataclass
class SensitivityResult:
    """Indices per issue, inputs ranked (most influential first)."""

    method: str
    samples: int
    evaluations: int
    inputs: list[SensitivityInput]
    groups: list[str]
    ranking: dict[str, list[dict[str, float | str]]]
    group_by: str = "input"
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The index that ranks: total Sobol index, or Morris mu*."""
        return "ST" if self.method == "sobol" else "mu_star"

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "samples": self.samples,
            "evaluations": self.evaluations,
            "group_by": self.group_by,
            "rank_by": self.key,
            "inputs": [
                {
                    "name": i.name,
                    "actor": i.actor,
                    "attribute": i.attribute,
                    "issue": i.issue,
                    "low": i.low,
                    "high": i.high,
                    "default_spread": i.spread_default,
                }
                for i in self.inputs
            ],
            "issues": self.ranking,
            "timings": self.timings,
        }


def _group_labels(inputs: list[SensitivityInput], group_by: str) -> list[str]:
    if group_by == "input":
        return [i.name for i in inputs]
    if group_by == "actor":
        return [i.actor for i in inputs]
    return [i.attribute for i in inputs]


def _evaluate(shared: tuple[RunSpec, Any, list[int], np.ndarray], item: tuple[int, np.ndarray]) -> np.ndarray:
    """Forecasts ``[rows, I]`` for a slice of the sample matrix."""
    spec, layout, slots, base = shared
    _, x = item
    values = np.repeat(base[None, :], x.shape[0], axis=0)
    values[:, slots] = x
    problem = fill_problem(layout, values, spec.case)
    _, trajectory, _ = run_prepared(spec, problem, np.random.default_rng(0))
    return trajectory.forecast


def run_sensitivity(
    spec: RunSpec,
    method: str = "sobol",
    samples: int = 256,
    seed: int = 0,
    group_by: str = "input",
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> SensitivityResult:
    """Sample the inputs with SALib, run the model on every sample, rank the inputs per issue.

    ``samples`` is SALib's ``N``: base samples for Sobol (a power of two), trajectories for Morris.
    ``on_total(n)`` is told the number of model runs before they start (for a progress bar).
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown grouping {group_by!r}; choose one of: {', '.join(GROUPINGS)}")
    if samples < 2:
        raise ValueError("samples must be at least 2")
    t0 = time.perf_counter()
    inputs, layout = inputs_of(spec.case, spec.perspective)
    if not inputs:
        raise ValueError("the case has no numbers to vary")
    labels = _group_labels(inputs, group_by)
    problem: dict[str, Any] = {
        "num_vars": len(inputs),
        "names": [i.name for i in inputs],
        "bounds": [[i.low, i.high] for i in inputs],
    }
    if group_by != "input":
        problem["groups"] = labels
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns about non-powers of two; we say so in the docs
        if method == "sobol":
            x = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
        else:
            x = morris_sample.sample(problem, samples, num_levels=4, seed=seed)
    if on_total:
        on_total(len(x))
    workers = workers or default_workers()
    spec = for_many_runs(spec, len(x), loading_shares(executor, workers, scheduler))
    base = np.array([law.point for law in layout.laws])
    slots = [i.slot for i in inputs]
    items = [(s, x[s : s + BLOCK_DRAWS]) for s in range(0, len(x), BLOCK_DRAWS)]
    grouped = chunk_blocks(len(items), None, executor, workers, engine_blocks(spec))
    chunks = [[items[k] for k in group] for group in grouped]

    def done(i: int) -> None:
        if progress:
            progress(sum(len(block[1]) for block in chunks[i]))

    t1 = time.perf_counter()
    warm_before_forking(spec, executor, scheduler)
    parts = execute(_evaluate_chunk, (spec, layout, slots, base), chunks, executor, workers, scheduler, done)
    y = np.concatenate([block for part in parts for block in part])
    t2 = time.perf_counter()
    groups = list(dict.fromkeys(labels))
    ranking: dict[str, list[dict[str, float | str]]] = {}
    for j, issue in enumerate(spec.case.issue_ids):
        yj = y[:, j]
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.simplefilter("ignore")
            if np.ptp(yj) == 0:
                rows = [{"input": g, **_zero(method)} for g in groups]
            elif method == "sobol":
                res = sobol_analyze.analyze(problem, yj, calc_second_order=False, seed=_bootstrap_seed(seed))
                rows = [
                    {
                        "input": g,
                        "S1": _f(res["S1"][k]),
                        "S1_conf": _f(res["S1_conf"][k]),
                        "ST": _f(res["ST"][k]),
                        "ST_conf": _f(res["ST_conf"][k]),
                    }
                    for k, g in enumerate(groups)
                ]
            else:
                res = morris_analyze.analyze(problem, x, yj, num_levels=4, seed=seed)
                names = list(res["names"])
                # SALib gives no sigma for grouped inputs (NaN): None ("not computed"), never a false 0.00
                rows = [
                    {
                        "input": g,
                        "mu_star": _f(res["mu_star"][names.index(g)]),
                        "mu_star_conf": _f(res["mu_star_conf"][names.index(g)]),
                        "sigma": _or_none(res["sigma"][names.index(g)]),
                    }
                    for g in groups
                ]
        key = "ST" if method == "sobol" else "mu_star"
        ranking[issue] = sorted(rows, key=lambda r: -float(r[key]))
    t3 = time.perf_counter()
    return SensitivityResult(
        method=method,
        samples=samples,
        evaluations=len(x),
        inputs=inputs,
        groups=groups,
        ranking=ranking,
        group_by=group_by,
        timings={"sampling_s": t1 - t0, "model_s": t2 - t1, "analysis_s": t3 - t2, "total_s": t3 - t0},
    )


def _bootstrap_seed(seed: int) -> int:
    """The seed for SALib's Sobol analysis: it seeds its bootstrap only for a truthy seed, so seed 0 (our
    default) would leave the confidence intervals to NumPy's global state and change them run to run."""
    return seed if seed else 2**31 - 1


def _evaluate_chunk(shared: Any, chunk: list[tuple[int, np.ndarray]]) -> list[np.ndarray]:
    """Forecasts per item; a deterministic engine takes several items in one call (the runner's rule,
    :func:`accord.scenarios.runner.engine_blocks`: the same numbers, a fraction of the calls)."""
    group = engine_blocks(shared[0])
    out: list[np.ndarray] = []
    for k in range(0, len(chunk), group):
        items = chunk[k : k + group]
        if len(items) == 1:
            out.append(_evaluate(shared, items[0]))
            continue
        merged = _evaluate(shared, (items[0][0], np.concatenate([x for _, x in items])))
        bounds = np.cumsum([0] + [len(x) for _, x in items])
        out += [merged[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    return out


def _f(x: Any) -> float:
    value = float(x)
    return value if math.isfinite(value) else 0.0


def _or_none(x: Any) -> float | None:
    value = float(x)
    return value if math.isfinite(value) else None


def _zero(method: str) -> dict[str, float]:
    if method == "sobol":
        return {"S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
    return {"mu_star": 0.0, "mu_star_conf": 0.0, "sigma": 0.0}
