"""EUM parameters (one frozen object) and the input handling shared with the oracle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from accord.engines.base import Problem, ProblemError, RoundState

NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3


MOVE_NAMES: tuple[str, ...] = ("none", "confrontation", "compromise", "capitulation")


VARIANTS = ("reference", "paper")


NORMALISATIONS = ("global", "pairwise")


BACKENDS = ("auto", "numpy", "numba")


@dataclass(frozen=True)
class EUMParams:
    """Parameters of the EUM; the defaults are the replication's values.

    ``variant``: ``"paper"`` (default) applies the capitulation test as the paper states it;
    ``"reference"`` reproduces the public replications exactly, including their capitulation test that
    can never hold. Everything else is shared by both variants.
    ``normalisation``: ``"global"`` (the replications: one total over all pairs and voters) or
    ``"pairwise"`` (Bueno de Mesquita's: the two probabilities of a pair add up to 1).
    ``q``: probability that the status quo holds without a challenge (the replications drop the
    ``(1 - q)`` better/worse terms, so ``q`` only scales the status-quo utility).
    ``r_min``, ``r_max``: range of the risk exponents (the paper's ``(1 - R/3) / (1 + R/3)`` maps
    ``R in [-1, 1]`` to ``[0.5, 2]``); any ``0 < r_min < 1 < r_max`` works.
    ``danger_exponent``: the exponent every actor uses while dangers are computed (1 in the paper).
    ``tie_tol``: comparisons of expected utilities (absolute), of dangers (relative) and of offer keys
    (relative to the range) treat differences up to this size as ties, so that results never hinge on
    floating-point rounding; 0 gives the references' exact comparisons.
    ``keep_challenges``: keep the ``[D, R, A, A, I]`` offer matrices in the diagnostics.
    ``max_chunk_elements``: bound on ``rows * A * A`` per internal chunk (memory); never changes results.
    ``rounds``: how many rounds a run makes unless the caller says otherwise.
    ``backend``: ``"numpy"``, ``"numba"`` (compiled loops, ``accord[fast]``) or ``"auto"`` (Numba when it
    is installed and the run is big enough to repay loading it). Both give the same
    bits, so the choice never changes results.
    """

    variant: Literal["reference", "paper"] = "paper"
    normalisation: Literal["global", "pairwise"] = "global"
    q: float = 1.0
    r_min: float = 0.5
    r_max: float = 2.0
    danger_exponent: float = 1.0
    tie_tol: float = 1e-12
    keep_challenges: bool = True
    max_chunk_elements: int = 65_536
    rounds: int = 10
    backend: Literal["auto", "numpy", "numba"] = "auto"

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, got {self.variant!r}")
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(f"normalisation must be one of {NORMALISATIONS}, got {self.normalisation!r}")
        if not 0.0 <= self.q <= 1.0:
            raise ValueError(f"q is a probability, got {self.q}")
        if not 0.0 < self.r_min < 1.0 < self.r_max < np.inf:
            raise ValueError(f"need 0 < r_min < 1 < r_max, got r_min={self.r_min}, r_max={self.r_max}")
        if not 0.0 < self.danger_exponent < np.inf:
            raise ValueError(f"danger_exponent must be positive, got {self.danger_exponent}")
        if not 0.0 <= self.tie_tol < 1e-3:
            raise ValueError(f"tie_tol must be in [0, 1e-3), got {self.tie_tol}")
        if int(self.max_chunk_elements) < 1:
            raise ValueError("max_chunk_elements must be at least 1")
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {self.backend!r}")
        if isinstance(self.rounds, bool) or not isinstance(self.rounds, int) or self.rounds < 0:
            raise ValueError(f"rounds must be a non-negative integer, got {self.rounds!r}")


def validate_problem(problem: Problem, rounds: int) -> Problem:
    """The batched problem, after the checks the EUM adds to :class:`Problem`'s own."""
    if not isinstance(problem, Problem):
        raise ProblemError(f"expected a Problem, got {type(problem).__name__}")
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise ProblemError(f"rounds must be a non-negative integer, got {rounds!r}")
    b = problem.batched()
    if np.any(b.salience > 1.0):
        raise ProblemError("the EUM reads salience as a probability of resistance: it must lie in [0, 1]")
    return b


def effective_range(
    positions: np.ndarray, scale: tuple[float, float], present: np.ndarray | None = None
) -> np.ndarray:
    """Range ``R`` per draw and issue, ``[D, I]``, from the initial positions ``[D, A, I]``.

    The references take the range once from the initial positions and keep it. When all actors start
    at one position (``R = 0``) nothing can move, and any positive number would do; the width of the
    problem's scale is used (1 if that is not positive either) so that a hook that later moves someone
    still gets finite distances. Only actors ``present`` on the issue count.
    """
    if present is None:
        spread = positions.max(axis=1) - positions.min(axis=1)
    else:
        high = np.where(present, positions, -np.inf).max(axis=1)
        low = np.where(present, positions, np.inf).min(axis=1)
        spread = np.where(present.any(axis=1), high - low, 0.0)
    width = float(scale[1]) - float(scale[0])
    fallback = width if np.isfinite(width) and width > 0 else 1.0
    return np.where(spread > 0, spread, fallback)


def validated_hook_state(state: RoundState, shape: tuple[int, int, int]) -> tuple[np.ndarray, ...]:
    """Positions, salience and capability (``[D, A, I]`` copies) from a hook's returned state."""
    if not isinstance(state, RoundState):
        raise ProblemError(f"a round hook must return a RoundState or None, got {type(state).__name__}")
    pos = np.array(state.positions, dtype=float)
    sal = np.array(state.salience, dtype=float)
    cap = np.array(state.capability, dtype=float)
    if cap.shape == shape[:2]:
        cap = np.repeat(cap[:, :, None], shape[2], axis=2)
    for name, arr in (("positions", pos), ("salience", sal), ("capability", cap)):
        if arr.shape != shape:
            raise ProblemError(f"hook returned {name} of shape {arr.shape}, expected {shape}")
        if not np.all(np.isfinite(arr)):
            raise ProblemError(f"hook returned {name} with NaN or infinite values")
    if np.any(sal < 0) or np.any(sal > 1) or np.any(cap < 0):
        raise ProblemError("hook returned salience outside [0, 1] or negative capability")
    return pos, sal, cap
