"""Spatial model of politics (SMP) with probabilistic Condorcet elections, as in KAPSARC's KTAB ``smpc``.

Every actor holds a position in an ``I``-dimensional issue space; each turn every actor challenges the
target whose challenge promises it the largest expected gain, the two sides interpolate a bargain, and
each actor then settles the queue of bargains it is part of by a capability-weighted election. The
model's forecast is the probability-weighted mean of the positions in a Condorcet election.

The arithmetic mirrors KTAB operation for operation (same order of additions and products, the same
``round4`` of bargains) so that deterministic runs reproduce KTAB's logged positions; see
``docs/models.md (SMP chapter)`` for the equations and every convention.

Everything here is pure NumPy and batched over Monte Carlo draws: arrays carry a leading draws axis
``n``. Sums over actors are written as explicit loops over one actor axis with whole-array operations
inside, which keeps KTAB's summation order (so knife-edge decisions such as ``round4`` and the
``argmax`` of a challenge come out the same) and makes results bit-identical whatever the batch size.

The package: :mod:`.params` (``SMPParams``), :mod:`.rules` (elementary rules), :mod:`.assess` (state
assessment), :mod:`.turn` (one bargaining turn), :mod:`.driver` (the turn loop, hooks, the engine),
:mod:`.blocks` and :mod:`.elections` (the turn's inner loops on NumPy: third parties in blocks, queue
utilities, elections on their own options) and :mod:`.kernel` (the compiled loops, imported only when the
Numba backend is chosen).
"""

from accord.engines.smp.driver import SMPEngine, actor_capability, engine, run
from accord.engines.smp.params import SMPParams

__all__ = ["SMPParams", "SMPEngine", "actor_capability", "engine", "run"]
