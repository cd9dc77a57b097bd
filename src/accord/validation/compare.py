"""The pre-registered comparison of the forecaster's candidates (docs/validation.md, section 1).

Every figure is out of sample: 10-fold cross-validation grouped by proposal (intervals from an inner
cross-validation), leave-one-proposal-out as a robustness check, and the nested figure of the whole
selection procedure. ``accord backtest fit`` prints this table next to the parameters it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from accord.validation import cv, metrics
from accord.validation.forecaster import CANDIDATES

__all__ = ["compare_candidates"]


def _summary(
    name: str,
    point: np.ndarray,
    samples: np.ndarray | None,
    y: np.ndarray,
    groups: np.ndarray,
    base: np.ndarray,
    seed: int,
) -> dict[str, Any]:
    err = np.abs(point - y)
    delta, lo, hi = metrics.paired_delta_ci(err, np.abs(base - y), groups, 2000, seed)
    out: dict[str, Any] = {"name": name, "mae": float(err.mean()), "delta": delta, "delta_ci95": [lo, hi]}
    if samples is not None:
        for level in metrics.LEVELS:
            t = (1 - level) / 2
            out[f"cover{round(level * 100)}"] = metrics.interval_coverage(
                np.quantile(samples, t, axis=1), np.quantile(samples, 1 - t, axis=1), y
            )
        out["crps"] = float(metrics.crps_sample(samples, y).mean())
    return out


def compare_candidates(
    rows: cv.Rows,
    y: np.ndarray,
    groups: np.ndarray,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Out-of-sample figures of every candidate, with conditioned and unconditioned intervals."""
    base = np.array([r["compromise"] for r in rows])
    table, lopo = [], {}
    n_prop = len(set(groups.tolist()))
    for name in CANDIDATES:
        for conditioned in (True, False):
            res = cv.cross_validate(name, rows, y, groups, seed, conditioned)
            label = name if conditioned else "  pooled intervals"
            table.append(_summary(label, res.point, res.samples, y, groups, base, seed))
        loo = cv.cv_points(name, rows, y, cv.fold_ids(groups, n_prop, seed))
        lopo[name] = float(np.abs(loo - y).mean())
        if progress:
            progress(name)
    nested = cv.nested_select(rows, y, groups, seed)
    chosen = {n: nested.chosen.count(n) for n in sorted(set(nested.chosen))}
    table.append(_summary("forecaster (nested)", nested.point, nested.samples, y, groups, base, seed))
    return {"cv10": table, "lopo_mae": lopo, "nested_chosen_issues": chosen}
