"""Results of a single run, with the names that make it readable and tidy pandas views of it."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.engines.base import Trajectory

if TYPE_CHECKING:  # pandas loads only when a frame is asked for (start-up time)
    import pandas as pd

__all__ = ["RunResult", "median", "quantile"]


def median(a: Any, axis: int | None = None) -> Any:
    """``np.median(a, axis)``, bit for bit, without loading ``numpy.ma``.

    ``np.median`` looks up ``np.ma`` to test for a masked array, which imports ``numpy.ma`` (~10 ms, a
    twentieth of a point run's whole process). The same partition and the same ``np.mean`` of the middle
    one or two values give the same bits; a NaN anywhere gives NaN, as there. Masked arrays, empty input
    and other kinds (dates, objects) go to ``np.median`` itself, as does everything once ``numpy.ma`` is
    loaded anyway.
    """
    a = np.asanyarray(a)
    if "numpy.ma" in sys.modules or type(a) is not np.ndarray or a.size == 0 or a.dtype.kind not in "biuf":
        return np.median(a, axis=axis)
    if a.ndim == 0:
        return a.item()
    if axis is None:
        a, axis = a.ravel(), 0
    n = a.shape[axis]
    half = n // 2
    lo = half - 1 if n % 2 == 0 else half
    inexact = a.dtype.kind == "f"
    part = np.partition(a, [lo, half, -1] if inexact else [lo, half], axis=axis)
    middle: list[slice] = [slice(None)] * part.ndim
    middle[axis] = slice(lo, half + 1)
    result = np.mean(part[tuple(middle)], axis=axis)
    if inexact:
        last = np.take(part, -1, axis=axis)
        nan = np.isnan(last)
        if nan.any():
            if isinstance(result, np.generic):
                return last
            np.copyto(result, last, where=nan)
    return result


def quantile(a: Any, q: float) -> Any:
    """``np.quantile(a, q)`` of a 1-D array, bit for bit; a single finite value (the one "draw" of a
    point run) is its own every quantile, answered without the ``numpy.ma`` import that ``np.quantile``
    triggers (through ``np.unique``). Anything else goes to ``np.quantile``."""
    a = np.asarray(a)
    if a.shape == (1,) and a.dtype.kind == "f" and np.ndim(q) == 0 and 0.0 <= q <= 1.0 and np.isfinite(a[0]):
        return a[0]
    return np.quantile(a, q)


@dataclass(frozen=True)
class RunResult:
    """A trajectory with the names that make it readable, and tidy pandas views of it."""

    case_id: str
    model: str
    trajectory: Trajectory
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    status_quo: np.ndarray
    seed: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def rounds_label(self) -> str:
        """``"10 rounds"``, or for an engine that stops by itself the turns it took
        (``"19 of at most 100 turns"``)."""
        turns = self.trajectory.diagnostics.get("turns")
        if turns is None:
            n = self.trajectory.n_rounds
            return "one round" if n == 1 else f"{n} rounds"
        used = int(np.max(turns))
        return f"{used} of at most {self.trajectory.n_rounds} turns"

    @property
    def forecast(self) -> dict[str, float]:
        """Median over draws of the final outcome, per issue."""
        final = median(self.trajectory.forecast, axis=0)
        return {issue: float(v) for issue, v in zip(self.issues, final, strict=True)}

    def positions_frame(self) -> pd.DataFrame:
        """One row per (draw, round, actor, issue) with the actor's position."""
        import pandas as pd

        pos = self.trajectory.positions
        d, r, a, i = pos.shape
        index = pd.MultiIndex.from_product(
            [range(d), range(r), self.actors, self.issues], names=["draw", "round", "actor", "issue"]
        )
        return pd.DataFrame({"position": pos.reshape(-1)}, index=index).reset_index()

    def outcome_frame(self) -> pd.DataFrame:
        """One row per (draw, round, issue) with the predicted outcome."""
        import pandas as pd

        out = self.trajectory.outcome
        d, r, i = out.shape
        index = pd.MultiIndex.from_product(
            [range(d), range(r), self.issues], names=["draw", "round", "issue"]
        )
        return pd.DataFrame({"outcome": out.reshape(-1)}, index=index).reset_index()

    def forecast_frame(self) -> pd.DataFrame:
        """Per issue: status quo, forecast (median over draws) and, with draws, the 5-95% interval."""
        import pandas as pd

        final = self.trajectory.forecast
        frame = pd.DataFrame(
            {
                "status_quo": self.status_quo,
                "forecast": median(final, axis=0),
                "p05": np.quantile(final, 0.05, axis=0),
                "p95": np.quantile(final, 0.95, axis=0),
            },
            index=pd.Index(self.issues, name="issue"),
        )
        return frame

    def movement_frame(self) -> pd.DataFrame:
        """Per (actor, issue): start and end position (draw 0) and the change."""
        import pandas as pd

        pos = self.trajectory.positions[0]
        rows = [
            {
                "actor": actor,
                "issue": issue,
                "start": pos[0, a, i],
                "end": pos[-1, a, i],
                "moved": pos[-1, a, i] - pos[0, a, i],
            }
            for a, actor in enumerate(self.actors)
            for i, issue in enumerate(self.issues)
        ]
        return pd.DataFrame(rows).set_index(["actor", "issue"])

    def to_json(self, draw: int = 0) -> dict[str, Any]:
        """``{case, model, seed, status_quo, rounds: [{round, positions: {actor: {issue: x}},
        outcome: {issue: x}}], forecast}`` of one draw (:meth:`accord.scenarios.run.Run.to_json` uses it)."""
        pos = self.trajectory.positions[draw]
        out = self.trajectory.outcome[draw]
        rounds = [
            {
                "round": k,
                "positions": {
                    actor: {issue: float(pos[k, a, i]) for i, issue in enumerate(self.issues)}
                    for a, actor in enumerate(self.actors)
                },
                "outcome": {issue: float(out[k, i]) for i, issue in enumerate(self.issues)},
            }
            for k in range(pos.shape[0])
        ]
        return {
            "case": self.case_id,
            "model": self.model,
            "seed": self.seed,
            "status_quo": {issue: float(v) for issue, v in zip(self.issues, self.status_quo, strict=True)},
            "rounds": rounds,
            "forecast": self.forecast,
        }
