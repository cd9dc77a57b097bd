"""What a Monte Carlo run returns, and the per-issue summary users read.

Per issue: median forecast, the central 80% interval (``p10``-``p90``, the headline's), the 5-95% one, mean,
the probability of each user threshold (for example ``territory>=50``) and the share of draws in which the
status quo held: the draw's forecast ended within 2% of the scale of its status quo
(:func:`accord.engines.convergence.status_quo_held`, read off the run itself, so it cannot contradict the
forecast's movement). ``stable_all`` is the share of draws in which it held on every issue at once;
``converged_share`` the share of draws whose outcome settled
(:func:`accord.engines.convergence.convergence`), with ``max_last_swing`` the largest last-rounds swing.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.errors import InputError
from accord.results import median, quantile

if TYPE_CHECKING:  # pandas loads only when a frame is asked for (start-up time)
    import pandas as pd

__all__ = ["DrawResults", "Threshold", "ThresholdError", "parse_threshold"]

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_PATTERN = re.compile(r"^\s*([a-z0-9][a-z0-9_.-]*)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")


class ThresholdError(InputError, ValueError):
    """A threshold that cannot be read or names an unknown issue."""


@dataclass(frozen=True)
class Threshold:
    """``issue op value``: the event whose probability a run reports."""

    issue: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.issue}{self.op}{self.value:g}"

    def holds(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(_OPS[self.op](x, self.value), dtype=bool)


def parse_threshold(text: str, issues: tuple[str, ...] | None = None) -> Threshold:
    """Parse ``territory>=50``; with ``issues``, also check the issue exists."""
    match = _PATTERN.match(text)
    if not match:
        raise ThresholdError(
            f"cannot read threshold {text!r}; "
            "write ISSUE>=X, ISSUE<=X, ISSUE>X or ISSUE<X, e.g. territory>=50"
        )
    issue, op, value = match.group(1), match.group(2), float(match.group(3))
    if issues is not None and issue not in issues:
        raise ThresholdError(f"threshold {text!r}: unknown issue {issue!r}; issues: {', '.join(issues)}")
    return Threshold(issue, op, value)


@dataclass
class DrawResults:
    """Per-draw outcomes of a Monte Carlo run, in draw order (identical for a seed whatever the executor)."""

    issues: tuple[str, ...]
    actors: tuple[str, ...]
    forecast: np.ndarray  # [D, I] outcome after the last round
    status_quo: np.ndarray  # [D, I] the sampled status quo
    stable: np.ndarray  # [D, I] bool
    fired_round: np.ndarray  # [D, T] round at which each trigger fired, 0 = never
    trigger_labels: tuple[str, ...] = ()
    mean_path: np.ndarray | None = None  # [R+1, I] mean outcome per round
    path_bands: np.ndarray | None = None  # [3, R+1, I] 5/50/95% per round over the first 2,048 draws
    seed: int = 0
    block_draws: int = 256
    timings: dict[str, float] = field(default_factory=dict)
    converged: np.ndarray | None = None  # [D] bool: the outcome settled in the last rounds
    last_swing: np.ndarray | None = None  # [D] largest outcome change over the last rounds

    @property
    def n_draws(self) -> int:
        return int(self.forecast.shape[0])

    def summary(self, thresholds: list[Threshold] | tuple[Threshold, ...] = ()) -> dict[str, Any]:
        """The per-issue numbers of the run, JSON-ready."""
        f = self.forecast
        issues: dict[str, Any] = {}
        for j, issue in enumerate(self.issues):
            row = {
                "status_quo": float(median(self.status_quo[:, j])),
                "median": float(median(f[:, j])),
                "p10": float(quantile(f[:, j], 0.10)),
                "p90": float(quantile(f[:, j], 0.90)),
                "p05": float(quantile(f[:, j], 0.05)),
                "p95": float(quantile(f[:, j], 0.95)),
                "mean": float(np.mean(f[:, j])),
                "stable_share": float(np.mean(self.stable[:, j])),
            }
            for t in thresholds:
                if t.issue == issue:
                    row[f"P({t})"] = float(np.mean(t.holds(f[:, j])))
            issues[issue] = row
        triggers = {
            label: {
                "fired_share": float(np.mean(self.fired_round[:, t] > 0)),
                "median_round": (
                    float(median(self.fired_round[self.fired_round[:, t] > 0, t]))
                    if np.any(self.fired_round[:, t] > 0)
                    else None
                ),
            }
            for t, label in enumerate(self.trigger_labels)
        }
        return {
            "draws": self.n_draws,
            "issues": issues,
            "thresholds": {
                str(t): float(np.mean(t.holds(f[:, self.issues.index(t.issue)]))) for t in thresholds
            },
            "stable_all": float(np.mean(np.all(self.stable, axis=1))) if self.n_draws else 0.0,
            "converged_share": float(np.mean(self.converged)) if self.converged is not None else 1.0,
            "max_last_swing": float(np.max(self.last_swing)) if self.last_swing is not None else 0.0,
            "triggers": triggers,
        }

    def frame(self) -> pd.DataFrame:
        """One row per (draw, issue): forecast, status quo, stability and trigger rounds (Parquet layout)."""
        import pandas as pd

        d, i = self.forecast.shape
        data: dict[str, Any] = {
            "draw": np.repeat(np.arange(d, dtype=np.int64), i),
            "issue": pd.Categorical(
                np.tile(np.array(self.issues, dtype=object), d), categories=list(self.issues)
            ),
            "forecast": self.forecast.reshape(-1),
            "status_quo": self.status_quo.reshape(-1),
            "stable": self.stable.reshape(-1),
        }
        for t, label in enumerate(self.trigger_labels):
            data[f"fired_round:{label}"] = np.repeat(self.fired_round[:, t], i)
        return pd.DataFrame(data)
