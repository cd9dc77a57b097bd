"""Accuracy scores of point forecasts and predictive distributions, and bootstrap intervals of them.

Errors are absolute differences on the 0-100 scale. Bootstrap intervals resample *proposals* (groups of
issues decided together), not issues, because issues of one proposal share negotiators and errors: an
issue-level bootstrap would pretend to more independent evidence than the data hold. Every bootstrap takes
a seed and gives the same interval for the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "PointScores",
    "point_scores",
    "group_bootstrap_ci",
    "paired_delta_ci",
    "crps_sample",
    "interval_coverage",
    "LEVELS",
]

LEVELS = (0.5, 0.8, 0.9)


@dataclass(frozen=True)
class PointScores:
    """Scores of point forecasts on ``n`` issues."""

    n: int
    mae: float
    rmse: float
    median_ae: float
    within10: float
    within20: float


def point_scores(forecast: np.ndarray, outcome: np.ndarray) -> PointScores:
    """MAE, RMSE, median absolute error and the shares of issues within 10 and 20 points (inclusive)."""
    forecast, outcome = np.asarray(forecast, float), np.asarray(outcome, float)
    if forecast.shape != outcome.shape or forecast.ndim != 1:
        raise ValueError(f"forecast {forecast.shape} and outcome {outcome.shape} must be equal 1-d shapes")
    if forecast.size == 0:
        raise ValueError("no issues to score")
    err = np.abs(forecast - outcome)
    return PointScores(
        n=int(err.size),
        mae=float(err.mean()),
        rmse=float(np.sqrt((err**2).mean())),
        median_ae=float(np.median(err)),
        within10=float((err <= 10).mean()),
        within20=float((err <= 20).mean()),
    )


def _group_index(groups: np.ndarray) -> tuple[np.ndarray, int]:
    _, inverse = np.unique(np.asarray(groups), return_inverse=True)
    return inverse, int(inverse.max()) + 1


def _resampled_means(values: np.ndarray, groups: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """Means of ``values`` over ``n_boot`` resamples of whole groups (with replacement)."""
    inverse, n_groups = _group_index(groups)
    sums = np.bincount(inverse, weights=values, minlength=n_groups)
    counts = np.bincount(inverse, minlength=n_groups).astype(float)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_groups, size=(n_boot, n_groups))
    tally = np.zeros((n_boot, n_groups))
    np.add.at(tally, (np.repeat(np.arange(n_boot), n_groups), picks.ravel()), 1.0)
    return (tally @ sums) / (tally @ counts)


def group_bootstrap_ci(
    errors: np.ndarray, groups: np.ndarray, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of the mean of ``errors``, resampling whole groups (proposals)."""
    means = _resampled_means(np.abs(np.asarray(errors, float)), groups, n_boot, seed)
    tail = (1 - level) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


def paired_delta_ci(
    errors: np.ndarray,
    baseline_errors: np.ndarray,
    groups: np.ndarray,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float, float]:
    """Mean of ``|e| - |e_base|`` and its paired group-bootstrap interval: ``(delta, lo, hi)``.

    Both models are scored on the same resampled issues in every replicate, so the interval is that of
    the difference itself (much narrower than comparing two separate intervals).
    """
    diff = np.abs(np.asarray(errors, float)) - np.abs(np.asarray(baseline_errors, float))
    means = _resampled_means(diff, groups, n_boot, seed)
    tail = (1 - level) / 2
    return float(diff.mean()), float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


def crps_sample(samples: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """CRPS of an ensemble forecast per issue: ``E|X - y| - E|X - X'| / 2`` (``samples``: ``[N, S]``).

    Lower is better; for a point forecast it reduces to the absolute error, so it is on the MAE's scale.
    """
    x = np.sort(np.asarray(samples, float), axis=1)
    y = np.asarray(outcome, float)[:, None]
    m = x.shape[1]
    term1 = np.abs(x - y).mean(axis=1)
    # E|X - X'| from sorted samples: (2 / m^2) sum_k (2k - m - 1) x_(k)
    k = np.arange(1, m + 1)
    term2 = (2.0 / m**2) * ((2 * k - m - 1) * x).sum(axis=1)
    return term1 - 0.5 * term2


def interval_coverage(low: np.ndarray, high: np.ndarray, outcome: np.ndarray) -> float:
    """Share of outcomes inside ``[low, high]`` (ends included)."""
    y = np.asarray(outcome, float)
    return float(((y >= np.asarray(low)) & (y <= np.asarray(high))).mean())
