"""The actors a case's outcome depends on most: Morris elementary effects (SALib, grouped by actor),
averaged over issues and over :data:`DRIVER_REPEATS` independent seeds, with the ranking's stability over
those seeds reported beside it, so a ranking that noise could overturn says so (part of the answer).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.case.model import Case
from accord.engines.registry import DEFAULT_MODEL

__all__ = ["DRIVER_REPEATS", "DRIVER_SAMPLES", "DYNAMIC_DRIVER_SAMPLES", "default_samples", "drivers"]

# Morris trajectories per seed, and seeds. Measured with
# `benchmarks/bench_answer.py --only-drivers --seeds 20`
# on the built-in 2020 case with the default (compromise) model: the top three drivers were the same set
# in 20 of 20 seeds from 42 trajectories up, but the same *order* only in 55-75% of single seeds up to
# 800 trajectories. Pooling 4 seeds as the answer does, the order held in 13 of 20 at 200 x 4, 19 of 20
# at 400 x 4 and 20 of 20 at 800 x 4 (also on the 2013 case) and at 1600 x 4. The answer takes 800 x 4,
# the smaller of the two sizes with no miss (about 1.3 s CPU; the compromise model is one-shot). A
# dynamic engine (SMP, EUM) asked for drivers keeps 42 x 4, at which its ranking is known to be fragile
# (the stability fields say so).
DRIVER_SAMPLES = 800
DYNAMIC_DRIVER_SAMPLES = 42
DRIVER_REPEATS = 4
SAMPLE_CHOICE = (
    "800 Morris trajectories per seed x 4 seeds: on the built-in cases the top three, in order, were the "
    "same in 20 of 20 independent sets of seeds at this size (19 of 20 at 400 x 4, 13 of 20 at 200 x 4; "
    "benchmarks/bench_answer.py --only-drivers)"
)
TOP = 3


def default_samples(model: str) -> int:
    """Morris trajectories per seed for ``model``: :data:`DRIVER_SAMPLES` for one-shot models (cheap),
    :data:`DYNAMIC_DRIVER_SAMPLES` for engines that run rounds (each evaluation is a whole run)."""
    from accord.engines.registry import DEFAULT_ROUNDS, canonical_model

    return DRIVER_SAMPLES if DEFAULT_ROUNDS[canonical_model(model)] == 1 else DYNAMIC_DRIVER_SAMPLES


def _actor_effects(
    case: Case, model: str, samples: int, seed: int
) -> tuple[dict[str, float], dict[str, dict[str, float]], int]:
    from accord.scenarios.runner import RunSpec
    from accord.scenarios.sensitivity import run_sensitivity

    result = run_sensitivity(RunSpec(case=case, model=model), "morris", samples, seed, "actor")
    per_issue = {
        issue: {r["input"]: float(r["mu_star"]) for r in rows} for issue, rows in result.ranking.items()
    }
    actors = list(result.groups)
    mean = {a: float(np.mean([per_issue[i][a] for i in per_issue])) for a in actors}
    return mean, per_issue, result.evaluations


def _spearman(a: list[str], b: list[str]) -> float:
    ra = {x: k for k, x in enumerate(a)}
    rb = {x: k for k, x in enumerate(b)}
    keys = list(ra)
    if len(keys) < 2:
        return 1.0
    x = np.array([ra[k] for k in keys], float)
    y = np.array([rb[k] for k in keys], float)
    return float(np.corrcoef(x, y)[0, 1])


def drivers(
    case: Case,
    model: str = DEFAULT_MODEL,
    samples: int | None = None,
    repeats: int = DRIVER_REPEATS,
    seed: int = 0,
) -> dict[str, Any]:
    """Actors ranked by how much the forecast depends on their numbers, and how stable that ranking is.

    Effect: Morris mu* of the actor's inputs taken together (its capability, positions and saliences over
    their documented ranges), in points of the 0-100 scales, averaged over issues, then over ``repeats``
    runs with seeds ``seed .. seed+repeats-1``. Stability: the share of those runs whose own top three
    (as a set) is the pooled top three, and the mean Spearman correlation of each run's full ranking with
    the pooled one. Per-actor ``rank_range`` gives the best and worst rank it got in a single run, and
    ``top3_share`` the share of runs that put it among the three strongest.

    Actors whose pooled effect is within two standard errors (of the difference) of the strongest form the
    *leading group*: their order inside it is not established at these sample sizes, and the output says so
    rather than pretending to a ranking that another seed would overturn.
    """
    samples = default_samples(model) if samples is None else samples
    runs = [_actor_effects(case, model, samples, seed + r) for r in range(repeats)]
    actors = list(runs[0][0])
    pooled = {a: float(np.mean([run[0][a] for run in runs])) for a in actors}
    order = sorted(actors, key=lambda a: -pooled[a])
    rankings = [sorted(actors, key=lambda a, run=run: -run[0][a]) for run in runs]
    top = set(order[:TOP])
    sd = {a: float(np.std([run[0][a] for run in runs], ddof=1)) if repeats > 1 else 0.0 for a in actors}
    se = {a: sd[a] / np.sqrt(repeats) for a in actors}
    leader = order[0]
    group = [a for a in order if pooled[leader] - pooled[a] <= 2 * np.hypot(se[leader], se[a])]
    rows = []
    for a in order:
        ranks = [ranking.index(a) + 1 for ranking in rankings]
        per_issue = {i: round(float(np.mean([run[1][i][a] for run in runs])), 2) for i in case.issue_ids}
        rows.append(
            {
                "actor": a,
                "name": case.actor(a).name,
                "effect": round(pooled[a], 2),
                "effect_sd": round(sd[a], 2),
                "effect_se": round(float(se[a]), 2),
                "leading_group": a in group,
                "rank_range": [min(ranks), max(ranks)],
                "issues": per_issue,
                "top3_share": round(float(np.mean([a in r[:TOP] for r in rankings])), 3),
            }
        )
    return {
        "method": "Morris elementary effects (SALib), inputs grouped by actor; effect = mu* in scale points, "
        "mean over issues and seeds",
        "model": model,
        "samples": samples,
        "repeats": repeats,
        "sample_size": SAMPLE_CHOICE
        if (samples, repeats) == (DRIVER_SAMPLES, DRIVER_REPEATS)
        else f"{samples} trajectories per seed x {repeats} seeds (not the measured default: see stability)",
        "evaluations": sum(run[2] for run in runs),
        "stability": {
            "top3_agreement": float(np.mean([set(r[:TOP]) == top for r in rankings])),
            "spearman_mean": round(float(np.mean([_spearman(order, r) for r in rankings])), 3),
            "leading_group": group,
            "leading_group_agreement": float(np.mean([set(r[: len(group)]) == set(group) for r in rankings])),
        },
        "actors": rows,
    }
