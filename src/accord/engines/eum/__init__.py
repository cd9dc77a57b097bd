"""Bueno de Mesquita's expected-utility model (EUM) as replicated by Scholz, Calbert & Smith (2011).

Vectorised with NumPy over a batch axis that joins Monte Carlo draws and issues: every issue of every
draw is an independent one-dimensional model, so ``[D, A, I]`` inputs become ``[D * I, A]`` rows and
each round is a handful of array operations on ``[rows, A, A]`` blocks. The paper's pairwise
probability needs, for every pair of positions, a sum over all voters (``A^3`` work per row); here it is
computed from prefix sums over voters sorted by position, because in one dimension the voters who
prefer ``x_i`` to ``x_j`` are exactly those on ``x_i``'s side of the midpoint. That makes a round
``O(A^2 log A)`` per row instead of ``O(A^3)``.

The mathematics, every convention of the reference replications and the variants are documented in
``docs/models.md (EUM chapter)``; :mod:`accord.engines.eum_oracle` is a loop-by-loop transcription used as the
test oracle. The model is deterministic: ``rng`` is accepted for the engine interface and never used.

The package: :mod:`.params` (``EUMParams``, input checks), :mod:`.geometry` (one round's arithmetic),
:mod:`.engine` (the driver and the engine object) and :mod:`.status_quo` (the challenge test).
"""

from accord.engines.eum.engine import EUMEngine, engine, run, weighted_mean, weighted_median
from accord.engines.eum.geometry import _risk_from_score as _risk_from_score
from accord.engines.eum.params import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    MOVE_NAMES,
    NONE,
    EUMParams,
    effective_range,
    validate_problem,
    validated_hook_state,
)
from accord.engines.eum.status_quo import status_quo_challenge_eu, status_quo_stability

__all__ = [
    "EUMParams",
    "EUMEngine",
    "engine",
    "run",
    "status_quo_challenge_eu",
    "status_quo_stability",
    "weighted_median",
    "weighted_mean",
    "MOVE_NAMES",
    "NONE",
    "CONFRONTATION",
    "COMPROMISE",
    "CAPITULATION",
    "effective_range",
    "validate_problem",
    "validated_hook_state",
]
