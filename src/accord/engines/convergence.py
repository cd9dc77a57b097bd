"""What a trajectory says about itself: did the status quo hold, and did the engine settle?

Both readings are computed from the trajectory's own outcome path, so they cannot contradict the
movement they summarise (the old reading asked a different question of a different model: whether any
actor of the EUM would gain by challenging the status quo, and could say "stable" while the forecast
moved 15 points).

**Status quo held** (``status_quo_held``) in a draw and issue: the forecast ends within ``tol`` of the
status quo, ``|forecast - status_quo| <= tol x (scale width)``; the default ``tol`` is 2% (2 points on
a 0-100 scale). Consequences a test checks: a point run is "held" exactly when its forecast is within
``tol`` of the status quo; if more than half of the draws hold, the median distance of forecast to status
quo is at most ``tol``; a run in which nobody moves always holds.

**Converged** (``convergence``) in a draw: over the last ``window`` rounds the outcome changed by at most
``tol`` on every issue. An engine with its own stopping rule (the SMP) that stopped before its cap has
converged by that rule. A draw that has not converged is reported with the size of its last swing, so
a caller never prints "the forecast after round N" as if it were a resting point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.engines.base import Trajectory

__all__ = ["Convergence", "DEFAULT_TOL", "convergence", "status_quo_held"]

DEFAULT_TOL = 0.02


def _width(scale: tuple[float, float]) -> float:
    width = float(scale[1]) - float(scale[0])
    return width if np.isfinite(width) and width > 0 else 1.0


def status_quo_held(
    forecast: np.ndarray,
    status_quo: np.ndarray,
    scale: tuple[float, float] = (0.0, 100.0),
    tol: float = DEFAULT_TOL,
) -> np.ndarray:
    """``[D, I]`` booleans: the forecast ends within ``tol`` (share of the scale) of the status quo."""
    if not 0.0 <= tol < 1.0:
        raise ValueError(f"tol is a share of the scale in [0, 1), got {tol}")
    held: np.ndarray = np.abs(np.asarray(forecast) - np.asarray(status_quo)) <= tol * _width(scale) + 1e-12
    return held


@dataclass(frozen=True)
class Convergence:
    """Per draw: ``converged`` ``[D]``, the largest outcome change in the last ``window`` rounds
    (``last_swing`` ``[D]``, on the problem's scale), and per draw and issue the round after which the
    outcome stayed within ``tol`` of its final value (``settled_round`` ``[D, I]``)."""

    converged: np.ndarray
    last_swing: np.ndarray
    settled_round: np.ndarray
    tol: float
    window: int

    @property
    def share(self) -> float:
        """Share of draws that converged."""
        return float(np.mean(self.converged)) if self.converged.size else 1.0


def convergence(
    trajectory: Trajectory,
    scale: tuple[float, float] = (0.0, 100.0),
    tol: float = DEFAULT_TOL,
    window: int = 2,
) -> Convergence:
    """Whether each draw's outcome settled (see the module docstring)."""
    out = np.asarray(trajectory.outcome, dtype=float)  # [D, R+1, I]
    limit = tol * _width(scale) + 1e-12
    steps = np.abs(np.diff(out, axis=1))  # [D, R, I]
    n_rounds = steps.shape[1]
    recent = steps[:, max(0, n_rounds - window) :, :]
    last_swing = recent.max(axis=(1, 2)) if recent.size else np.zeros(out.shape[0])
    converged = last_swing <= limit
    turns = trajectory.diagnostics.get("turns")
    if turns is not None:  # an engine's own stopping rule fired before its cap
        converged = converged | (np.asarray(turns) < n_rounds)
    off = np.abs(out - out[:, -1:, :]) > limit  # [D, R+1, I]: away from the final value
    last_off = np.where(off.any(axis=1), out.shape[1] - 1 - np.argmax(off[:, ::-1, :], axis=1), -1)
    return Convergence(converged, last_swing, (last_off + 1).astype(np.int64), tol, window)
