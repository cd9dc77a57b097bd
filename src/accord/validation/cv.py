"""Cross-validation grouped by proposal: the candidates' out-of-sample forecasts, intervals and selection.

Everything here follows the pre-registration in docs/validation.md: folds deal shuffled proposal ids
round-robin; every fitted number (coefficients, residual quantiles, the choice of candidate) comes from
the training folds only; interval residuals come from an inner cross-validation of the training folds, so
they are out-of-sample errors too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from accord.validation.forecaster import (
    CANDIDATES,
    distribution,
    fit_candidate,
    predict_candidate,
    residual_classes,
)

__all__ = [
    "Rows",
    "fold_ids",
    "cv_points",
    "CvResult",
    "cross_validate",
    "nested_select",
    "residuals_by_class",
    "fit_all",
]

Rows = list[dict[str, float]]
OUTER_FOLDS, INNER_FOLDS = 10, 5


def fold_ids(groups: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Fold of every issue: sorted proposal ids shuffled with ``seed``, dealt round-robin into ``k`` folds."""
    proposals = np.array(sorted(set(groups.tolist())))
    order = np.random.default_rng(seed).permutation(len(proposals))
    fold_of = {proposals[j]: n % k for n, j in enumerate(order)}
    return np.array([fold_of[g] for g in groups])


def _take(rows: Rows, mask: np.ndarray) -> Rows:
    return [r for r, m in zip(rows, mask, strict=True) if m]


def residuals_by_class(rows: Rows, residuals: np.ndarray) -> dict[str, list[float]]:
    classes = residual_classes(rows)
    return {c: [float(v) for v in residuals[classes == c]] for c in ("dichotomous", "continuous")}


def cv_points(name: str, rows: Rows, y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    pred = np.empty(len(rows))
    for f in np.unique(folds):
        test = folds == f
        fitted = fit_candidate(name, _take(rows, ~test), y[~test])
        pred[test] = predict_candidate(name, fitted, _take(rows, test))
    return pred


@dataclass(frozen=True)
class CvResult:
    """Out-of-sample point forecasts and forecast samples ``[N, S]`` of one candidate (or the selection)."""

    name: str
    point: np.ndarray
    samples: np.ndarray
    chosen: tuple[str, ...] = ()


def _interval_residuals(
    name: str, rows: Rows, y: np.ndarray, groups: np.ndarray, seed: int, conditioned: bool
) -> dict[str, list[float]]:
    inner = fold_ids(groups, INNER_FOLDS, seed)
    res = y - cv_points(name, rows, y, inner)
    if conditioned:
        return residuals_by_class(rows, res)
    return {"dichotomous": [float(v) for v in res], "continuous": [float(v) for v in res]}


def cross_validate(
    name: str,
    rows: Rows,
    y: np.ndarray,
    groups: np.ndarray,
    seed: int = 0,
    conditioned: bool = True,
    k: int = OUTER_FOLDS,
) -> CvResult:
    """Outer ``k``-fold CV of one candidate, intervals from an inner CV of each training part."""
    folds = fold_ids(groups, k, seed)
    point, samples = np.empty(len(rows)), None
    for f in np.unique(folds):
        test = folds == f
        tr_rows, tr_y, tr_g = _take(rows, ~test), y[~test], groups[~test]
        fitted = fit_candidate(name, tr_rows, tr_y)
        te_rows = _take(rows, test)
        point[test] = predict_candidate(name, fitted, te_rows)
        res = _interval_residuals(name, tr_rows, tr_y, tr_g, seed, conditioned)
        part = distribution(point[test], residual_classes(te_rows), res)
        samples = np.empty((len(rows), part.shape[1])) if samples is None else samples
        samples[test] = part
    return CvResult(name, point, samples)


def _inner_mae(name: str, rows: Rows, y: np.ndarray, groups: np.ndarray, seed: int) -> float:
    return float(np.abs(y - cv_points(name, rows, y, fold_ids(groups, INNER_FOLDS, seed))).mean())


def choose(rows: Rows, y: np.ndarray, groups: np.ndarray, seed: int = 0) -> str:
    """The candidate with the lowest inner-CV MAE on these rows (ties: the pre-registered order)."""
    scores = {n: _inner_mae(n, rows, y, groups, seed) for n in CANDIDATES}
    return min(scores, key=lambda n: (scores[n], list(CANDIDATES).index(n)))


def nested_select(
    rows: Rows, y: np.ndarray, groups: np.ndarray, seed: int = 0, progress: Callable[[], None] | None = None
) -> CvResult:
    """The whole procedure (choose a candidate, fit it, calibrate its intervals) cross-validated."""
    folds = fold_ids(groups, OUTER_FOLDS, seed)
    point, samples, chosen = np.empty(len(rows)), None, [""] * len(rows)
    for f in np.unique(folds):
        test = folds == f
        tr_rows, tr_y, tr_g = _take(rows, ~test), y[~test], groups[~test]
        name = choose(tr_rows, tr_y, tr_g, seed)
        te_rows = _take(rows, test)
        point[test] = predict_candidate(name, fit_candidate(name, tr_rows, tr_y), te_rows)
        res = _interval_residuals(name, tr_rows, tr_y, tr_g, seed, True)
        part = distribution(point[test], residual_classes(te_rows), res)
        samples = np.empty((len(rows), part.shape[1])) if samples is None else samples
        samples[test] = part
        for k in np.flatnonzero(test):
            chosen[k] = name
        if progress is not None:
            progress()
    return CvResult("forecaster", point, samples, tuple(chosen))


def fit_all(rows: Rows, y: np.ndarray, groups: np.ndarray, seed: int = 0) -> dict:
    """Parameters to ship: every candidate fitted on all rows, its 10-fold CV residuals, and the selection."""
    folds = fold_ids(groups, OUTER_FOLDS, seed)
    candidates, residuals, cv_mae = {}, {}, {}
    for name in CANDIDATES:
        candidates[name] = fit_candidate(name, rows, y)
        res = y - cv_points(name, rows, y, folds)
        residuals[name] = residuals_by_class(rows, res)
        cv_mae[name] = float(np.abs(res).mean())
    selected = min(cv_mae, key=lambda n: (cv_mae[n], list(CANDIDATES).index(n)))
    return {"selected": selected, "cv_mae": cv_mae, "candidates": candidates, "residuals": residuals}
