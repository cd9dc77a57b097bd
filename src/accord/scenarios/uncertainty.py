"""Monte Carlo draws of a case: every number with several estimates or a range becomes a distribution.

The distribution of a :class:`~accord.case.model.Quantity` is a mixture with equal weight per estimate
(each source's reading counts once); within an estimate it is triangular over ``(low, value, high)``
when a range is given (the value is the most likely number, the range its limits) and the value itself
otherwise. A one-sided range uses the value for the missing end. Draws are clipped to the valid range
(positions and status quo to the scale, salience and capability to [0, 1]). A quantity that several
cells share (an actor's capability on every issue) is drawn once per draw.

``perspective`` reads the case as one source does: a quantity's estimates from that source where it
gives any, the pooled mixture elsewhere (the same rule for point values: the mean of that source's
values). Randomness: two uniforms per quantity and draw, taken in one fixed-order call, so the draws of
one quantity do not depend on how others are read (a perspective changes only what it touches).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.case.model import Case, Estimate, Quantity
from accord.case.problem import quantity_grid
from accord.engines.base import Problem

__all__ = [
    "QuantityLaw",
    "estimate_sources",
    "laws",
    "point_problem",
    "sample_problem",
    "sample_quantities",
]

_RANGES = {
    "status_quo": (0.0, 100.0),
    "position": (0.0, 100.0),
    "salience": (0.0, 1.0),
    "capability": (0.0, 1.0),
}


@dataclass(frozen=True)
class QuantityLaw:
    """A mixture of triangular laws: one ``(low, mode, high)`` per estimate, equal weights."""

    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray
    clip: tuple[float, float]

    @property
    def is_fixed(self) -> bool:
        return bool(np.all(self.low == self.high) and np.all(self.mode == self.mode[0]))

    @property
    def point(self) -> float:
        return float(np.mean(self.mode))

    def sample(self, u_pick: np.ndarray, u_value: np.ndarray) -> np.ndarray:
        """Inverse-CDF draws from two uniform arrays of the same shape."""
        k = np.minimum((u_pick * len(self.mode)).astype(np.intp), len(self.mode) - 1)
        a, m, b = self.low[k], self.mode[k], self.high[k]
        width = b - a
        safe = np.where(width > 0, width, 1.0)
        c = (m - a) / safe
        left = a + np.sqrt(u_value * width * (m - a))
        right = b - np.sqrt((1.0 - u_value) * width * (b - m))
        x = np.where(u_value < c, left, right)
        x = np.where(width > 0, x, m)
        return np.clip(x, *self.clip)


def estimate_sources(case: Case) -> list[str]:
    """Sources that give at least one estimate of a number in the case (case order)."""
    found: set[str] = set()
    quantities = [i.status_quo for i in case.issues]
    for row in quantity_grid(case).values():
        quantities += [q for cells in row for q in cells if q is not None]
    for q in quantities:
        for e in q.all_estimates:
            found.update(e.sources)
    return [s.id for s in case.case.sources if s.id in found]


def _estimates(q: Quantity, perspective: str | None) -> tuple[Estimate, ...]:
    estimates = q.all_estimates
    if perspective is not None:
        own = tuple(e for e in estimates if perspective in e.sources)
        if own:
            return own
    return estimates


def _law(q: Quantity, kind: str, perspective: str | None) -> QuantityLaw:
    est = _estimates(q, perspective)
    mode = np.array([e.value for e in est], dtype=float)
    low = np.array([e.low if e.low is not None else e.value for e in est], dtype=float)
    high = np.array([e.high if e.high is not None else e.value for e in est], dtype=float)
    return QuantityLaw(np.minimum(low, mode), mode, np.maximum(high, mode), _RANGES[kind])


@dataclass(frozen=True)
class _Layout:
    """Which law fills which cell: index into the list of distinct quantities, or -1 (fixed cell)."""

    laws: list[QuantityLaw]
    status_quo: np.ndarray  # [I]
    position: np.ndarray  # [A, I]
    salience: np.ndarray  # [A, I]
    capability: np.ndarray  # [A, I]


def laws(case: Case, perspective: str | None = None) -> _Layout:
    """The distinct quantities of ``case`` (in a fixed order) and where each one goes in the arrays."""
    if perspective is not None and perspective not in {s.id for s in case.case.sources}:
        raise ValueError(
            f"unknown source {perspective!r}; the case's sources are: "
            + ", ".join(s.id for s in case.case.sources)
        )
    found: list[QuantityLaw] = []
    index: dict[int, int] = {}

    def slot(q: Quantity | None, kind: str) -> int:
        if q is None:
            return -1
        if id(q) not in index:
            index[id(q)] = len(found)
            found.append(_law(q, kind, perspective))
        return index[id(q)]

    sq = np.array([slot(i.status_quo, "status_quo") for i in case.issues], dtype=np.intp)
    grid = quantity_grid(case)
    cells = {}
    for kind in ("capability", "position", "salience"):
        cells[kind] = np.array([[slot(q, kind) for q in row] for row in grid[kind]], dtype=np.intp)
    return _Layout(found, sq, cells["position"], cells["salience"], cells["capability"])


def sample_quantities(layout: _Layout, n: int, rng: np.random.Generator) -> np.ndarray:
    """``[n, Q]`` draws of every distinct quantity (two uniforms per quantity and draw)."""
    u = rng.random((n, len(layout.laws), 2))
    out = np.empty((n, len(layout.laws)))
    for k, law in enumerate(layout.laws):
        out[:, k] = law.sample(u[:, k, 0], u[:, k, 1])
    return out


def fill_problem(layout: _Layout, values: np.ndarray, case: Case) -> Problem:
    """Arrays from per-quantity values ``[n, Q]``.

    A cell without a stance holds the status quo and salience 0, and is marked absent
    (``Problem.present``): the engines leave that actor out of that issue.
    """
    n = values.shape[0]
    status_quo = values[:, layout.status_quo]  # [n, I]

    def gather(cells: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        out = values[:, np.where(cells >= 0, cells, 0)]  # [n, A, I]
        return np.where(cells[None] >= 0, out, fallback)

    positions = gather(layout.position, status_quo[:, None, :])
    salience = gather(layout.salience, np.zeros((n, 1, 1)))
    capability = gather(layout.capability, np.zeros((n, 1, 1)))
    if np.all(capability == capability[:, :, :1]):
        capability = capability[:, :, 0]
    held = layout.position >= 0  # an actor without a stance on an issue is absent from it
    present = None if bool(np.all(held)) else np.broadcast_to(held, positions.shape)
    return Problem(
        positions,
        salience,
        capability,
        status_quo,
        case.bargaining_actor_ids,
        case.issue_ids,
        present=present,
    )


def sample_problem(case: Case, n: int, rng: np.random.Generator, perspective: str | None = None) -> Problem:
    """``n`` draws of the case as a batched problem (see the module docstring for the laws)."""
    layout = laws(case, perspective)
    return fill_problem(layout, sample_quantities(layout, n, rng), case)


def point_problem(case: Case, perspective: str | None = None) -> Problem:
    """The point-estimate problem (one draw): the mean of the (perspective's) estimates of each number."""
    layout = laws(case, perspective)
    values = np.array([[law.point for law in layout.laws]])
    return fill_problem(layout, values, case)
