"""The EUM driver: rows of (draw, issue), groups of rows sharing who is present, the recorder, the engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, cast

import numpy as np

import accord.engines.eum.backend as backend
from accord.engines.base import Problem, RoundHook, RoundState, Trajectory
from accord.engines.eum.geometry import _round
from accord.engines.eum.params import (
    MOVE_NAMES,
    NONE,
    EUMParams,
    effective_range,
    validate_problem,
    validated_hook_state,
)

__all__ = ["EUMEngine", "engine", "run", "weighted_mean", "weighted_median"]


def _weights_or_equal(w: np.ndarray) -> np.ndarray:
    """Capability x salience weights, or equal weights for rows where all of them are zero."""
    return np.where(w.sum(axis=-1, keepdims=True) > 0, w, 1.0)


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Lowest position whose cumulative weight (ascending positions) reaches half the total, per row.

    With linear utilities this is the smallest weak Condorcet winner among the current positions; it
    is the references' pairwise-vote winner whenever that winner is unique.
    """
    w = _weights_or_equal(w)
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    cumulative = np.cumsum(np.take_along_axis(w, order, axis=-1), axis=-1)
    reached = cumulative >= 0.5 * cumulative[:, -1:]
    return np.take_along_axis(xs, np.argmax(reached, axis=-1)[:, None], axis=-1)[:, 0]


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Capability x salience weighted mean per row (equal weights where all weights are zero)."""
    w = _weights_or_equal(w)
    return cast(np.ndarray, (w * x).sum(axis=-1) / w.sum(axis=-1))


def _to_rows(a: np.ndarray) -> np.ndarray:
    """``[D, A, I]`` -> ``[D * I, A]`` (contiguous copy)."""
    d, n, i = a.shape
    return np.ascontiguousarray(a.transpose(0, 2, 1)).reshape(d * i, n)


def _from_rows(a: np.ndarray, n_draws: int, n_issues: int) -> np.ndarray:
    """``[D * I, ...]`` -> ``[D, ..., I]`` (a view)."""
    shaped = a.reshape((n_draws, n_issues) + a.shape[1:])
    return shaped.transpose(0, *range(2, shaped.ndim), 1)  # np.moveaxis(shaped, 1, -1), cheaper


def _chunks(n_rows: int, n_actors: int, max_elements: int) -> list[slice]:
    size = max(1, int(max_elements) // max(1, n_actors * n_actors))
    return [slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


@dataclass(frozen=True)
class _Group:
    """Rows (draw x issue) that share one set of present actors: they run as a smaller model.

    ``rows`` and ``cols`` are index arrays into the ``[D * I, A]`` row layout; ``cols is None`` means
    every actor (the whole batch, the path taken when nobody is absent, so that results are the ones
    the engine gives without a mask).
    """

    rows: np.ndarray
    cols: np.ndarray | None

    def take(self, a: np.ndarray) -> np.ndarray:
        if self.cols is None:
            return a
        return cast(np.ndarray, a[self.rows][:, self.cols])

    def put(self, out: np.ndarray, values: np.ndarray) -> None:
        if self.cols is None:
            out[...] = values
        else:
            out[np.ix_(self.rows, self.cols)] = values


def _groups(present_rows: np.ndarray | None, n_rows: int) -> list[_Group]:
    """Rows grouped by their pattern of present actors; rows where nobody is present are left out."""
    if present_rows is None or bool(np.all(present_rows)):
        return [_Group(np.arange(n_rows), None)]
    patterns, inverse = np.unique(present_rows, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    groups = []
    for g, pattern in enumerate(patterns):
        if pattern.any():
            groups.append(_Group(np.flatnonzero(inverse == g), np.flatnonzero(pattern)))
    return groups


def _outcomes(
    x: np.ndarray, w: np.ndarray, groups: list[_Group], status_quo: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted median and mean per row over the present actors; the status quo where nobody is."""
    if len(groups) == 1 and groups[0].cols is None:
        return weighted_median(x, w), weighted_mean(x, w)
    median, mean = status_quo.copy(), status_quo.copy()
    for g in groups:
        xg, wg = g.take(x), g.take(w)
        median[g.rows], mean[g.rows] = weighted_median(xg, wg), weighted_mean(xg, wg)
    return median, mean


class _Recorder:
    """Results in their final layout (``[D, R, A, I]`` etc.), written row chunk by row chunk.

    Row ``b`` of the batch is draw ``b // I``, issue ``b % I``; writes go through transposed views
    with those two index arrays, so nothing is copied or reshaped at the end.
    """

    FIELDS = {
        "risk": np.float64,
        "move": np.int8,
        "counterpart": np.int64,
        "eu_self": np.float64,
        "eu_other": np.float64,
    }

    def __init__(self, shape: tuple[int, int, int], rounds: int, keep_challenges: bool) -> None:
        d, n, i = shape
        self.n_issues = i
        self.fields = {name: np.zeros((d, rounds, n, i), dtype=dt) for name, dt in self.FIELDS.items()}
        self.positions = np.zeros((d, rounds + 1, n, i))
        self.outcome = np.zeros((d, rounds + 1, i))
        self.mean = np.zeros((d, rounds + 1, i))
        self.offers = np.zeros((d, rounds, n, n, i), dtype=np.int8) if keep_challenges else None

    def chunk(self, k: int, rows: np.ndarray, cols: np.ndarray | None, part: dict[str, Any]) -> None:
        """Round ``k``'s results for the rows ``rows`` and the actors ``cols`` (None: all)."""
        draw, issue = rows // self.n_issues, rows % self.n_issues
        if cols is None:
            for name, store in self.fields.items():
                store.transpose(0, 3, 1, 2)[draw, issue, k - 1] = part[name]
            if self.offers is not None:  # part: [rows, receiver, proposer] -> [D, R, proposer, receiver, I]
                self.offers.transpose(0, 4, 1, 3, 2)[draw, issue, k - 1] = part["offers"]
            return
        d2, i2, c2 = draw[:, None], issue[:, None], cols[None, :]
        counterpart = part["counterpart"]
        part = {**part, "counterpart": np.where(counterpart >= 0, cols[np.maximum(counterpart, 0)], -1)}
        for name, store in self.fields.items():
            store.transpose(0, 3, 1, 2)[d2, i2, k - 1, c2] = part[name]
        if self.offers is not None:
            view = self.offers.transpose(0, 4, 1, 3, 2)
            view[d2[:, :, None], i2[:, :, None], k - 1, c2[:, :, None], cols[None, None, :]] = part["offers"]

    def arrays(self) -> dict[str, np.ndarray]:
        """Every result array by name, for a kernel that writes a whole run (offers: empty if not kept)."""
        out = {"positions": self.positions, "outcome": self.outcome, "mean": self.mean, **self.fields}
        out["offers"] = self.offers if self.offers is not None else np.empty((0,) * 5, dtype=np.int8)
        return out

    def whole(self, k: int, part: dict[str, Any]) -> None:
        """Round ``k``'s results for every row and actor (``[D * I, ...]`` in row order): plain copies."""
        d = self.positions.shape[0]
        for name, store in self.fields.items():
            store[:, k - 1] = _from_rows(part[name], d, self.n_issues)
        if self.offers is not None:  # part: [rows, receiver, proposer] -> [D, proposer, receiver, I]
            self.offers[:, k - 1] = _from_rows(part["offers"], d, self.n_issues).transpose(0, 2, 1, 3)

    def state(self, k: int, x: np.ndarray, outcomes: tuple[np.ndarray, np.ndarray], n_draws: int) -> None:
        """Positions, weighted median and mean after round ``k`` (``k = 0``: the input)."""
        self.positions[:, k] = _from_rows(x, n_draws, self.n_issues)
        self.outcome[:, k] = outcomes[0].reshape(n_draws, self.n_issues)
        self.mean[:, k] = outcomes[1].reshape(n_draws, self.n_issues)

    def diagnostics(self) -> dict[str, Any]:
        diagnostics: dict[str, Any] = dict(self.fields)
        diagnostics["mean"] = self.mean
        diagnostics["move_names"] = MOVE_NAMES
        if self.offers is not None:
            diagnostics["offers"] = self.offers
            diagnostics["challenges"] = self.offers != NONE
        return diagnostics


def _numpy_round(
    k: int,
    x: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    rng_rows: np.ndarray,
    groups: list[_Group],
    params: EUMParams,
    record: _Recorder,
) -> np.ndarray:
    """Round ``k`` with NumPy, group by group and chunk by chunk; returns the new positions."""
    moved = x.copy()
    for g in groups:
        xg, sg, wg, rg = g.take(x), g.take(s), g.take(w), rng_rows[g.rows]
        out = np.empty_like(xg)
        for sl in _chunks(xg.shape[0], xg.shape[1], params.max_chunk_elements):
            part = _round(xg[sl], sg[sl], wg[sl], rg[sl], params)
            out[sl] = part["x"]
            record.chunk(k, g.rows[sl], g.cols, part)
        g.put(moved, out)
    return moved


def run(
    problem: Problem,
    params: EUMParams | None = None,
    rounds: int | None = None,
    rng: np.random.Generator | None = None,
    on_round: RoundHook | None = None,
) -> Trajectory:
    """Run the EUM for ``rounds`` rounds (default ``params.rounds``) on every draw and issue of ``problem``.

    Returns positions ``[D, R+1, A, I]``, the weighted median ``[D, R+1, I]`` as outcome, and the
    diagnostics described in ``docs/models.md (EUM chapter)``. ``rng`` is unused (the model is deterministic).
    ``on_round`` is called after each round with the batched state; a returned :class:`RoundState`
    replaces positions, salience and capability from then on (the range ``R`` stays the initial one),
    and index ``k`` of the trajectory records the state as the hook left it.
    """
    params = params or EUMParams()
    rounds = params.rounds if rounds is None else rounds
    b = validate_problem(problem, rounds)
    n_draws, n_actors, n_issues = b.positions.shape
    x = _to_rows(b.positions)
    s = _to_rows(b.salience)
    c = _to_rows(np.asarray(b.capability_per_issue(), dtype=float))
    present = None if b.present is None else _to_rows(b.present)
    rng_rows = np.ascontiguousarray(effective_range(b.positions, problem.scale, b.present)).reshape(-1)
    sq_rows = np.ascontiguousarray(b.status_quo).reshape(-1)
    compiled = backend.choose(params, x.shape[0] * n_actors**2 * max(rounds, 1)) == "numba"
    groups = [] if compiled else _groups(present, x.shape[0])  # the kernel compacts rows itself
    mask = np.ones(x.shape, dtype=bool) if present is None else present
    record = _Recorder(b.positions.shape, rounds, params.keep_challenges)

    def outcomes(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if compiled:
            return backend.compiled_outcomes(x, w, mask, sq_rows)
        return _outcomes(x, w, groups, sq_rows)

    if compiled and on_round is None:  # rows never meet: every round of a row in one pass
        backend.compiled_run(x, s, c * s, rng_rows, mask, sq_rows, params, record.arrays())
        return _trajectory(record, rng_rows, params, rounds)
    record.state(0, x, outcomes(x, c * s), n_draws)
    for k in range(1, rounds + 1):
        w = c * s
        if compiled:
            part = backend.compiled_round(x, s, w, rng_rows, mask, params)
            record.whole(k, part)
            x = part["x"]
        else:
            x = _numpy_round(k, x, s, w, rng_rows, groups, params, record)
        if on_round is not None:
            state = RoundState(
                round=k,
                positions=_from_rows(x, n_draws, n_issues).copy(),
                salience=_from_rows(s, n_draws, n_issues).copy(),
                capability=_from_rows(c, n_draws, n_issues).copy(),
                outcome=outcomes(x, w)[0].reshape(n_draws, n_issues),
            )
            returned = on_round(state)
            if returned is not None:
                pos_h, sal_h, cap_h = validated_hook_state(returned, b.positions.shape)
                x, s, c = _to_rows(pos_h), _to_rows(sal_h), _to_rows(cap_h)
        record.state(k, x, outcomes(x, c * s), n_draws)
    return _trajectory(record, rng_rows, params, rounds)


def _trajectory(record: _Recorder, rng_rows: np.ndarray, params: EUMParams, rounds: int) -> Trajectory:
    diagnostics = record.diagnostics()
    diagnostics["range"] = rng_rows.reshape(record.outcome.shape[0], record.n_issues)
    return Trajectory(
        positions=record.positions,
        outcome=record.outcome,
        diagnostics=diagnostics,
        engine="eum",
        params={**asdict(params), "rounds": rounds},
    )


class EUMEngine:
    """The EUM as an :class:`~accord.engines.base.Engine`: registry name ``eum``, its parameters held."""

    name = "eum"
    Params = EUMParams

    def __init__(self, params: EUMParams | None = None) -> None:
        self.params = params or EUMParams()

    def run(
        self,
        problem: Problem,
        params: EUMParams | None = None,
        rounds: int | None = None,
        rng: np.random.Generator | None = None,
        on_round: RoundHook | None = None,
    ) -> Trajectory:
        return run(problem, params or self.params, rounds, rng, on_round)


engine = EUMEngine()
