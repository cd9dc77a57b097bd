"""A toy engine for trigger tests: every actor moves ``step`` points towards 0 each round.

The outcome is the capability x salience weighted mean of positions, so when it crosses a threshold is
known in advance. It calls ``on_round`` like the real engines (after each round, continuing from a
returned state).
"""

from __future__ import annotations

import numpy as np

from accord.engines.base import Problem, RoundState, Trajectory


def _outcome(pos: np.ndarray, sal: np.ndarray, cap: np.ndarray) -> np.ndarray:
    w = sal * cap
    return (pos * w).sum(axis=1) / w.sum(axis=1)


class Toy:
    name = "toy"

    def __init__(self, step: float = 10.0):
        self.step = step

    def run(self, problem: Problem, params=None, rounds: int = 10, rng=None, on_round=None) -> Trajectory:  # noqa: ANN001
        b = problem.batched()
        pos, sal, cap = b.positions.copy(), b.salience.copy(), np.array(b.capability_per_issue())
        hist, out = [pos.copy()], [_outcome(pos, sal, cap)]
        for k in range(1, rounds + 1):
            pos = np.maximum(pos - self.step, 0.0)
            if on_round is not None:
                state = on_round(RoundState(k, pos.copy(), sal.copy(), cap.copy(), _outcome(pos, sal, cap)))
                if state is not None:
                    pos, sal, cap = state.positions, state.salience, np.asarray(state.capability)
                    if cap.ndim == 2:
                        cap = np.repeat(cap[:, :, None], pos.shape[2], axis=2)
            hist.append(pos.copy())
            out.append(_outcome(pos, sal, cap))
        return Trajectory(np.stack(hist, axis=1), np.stack(out, axis=1), engine="toy")


TOY = Toy()
