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
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from accord.engines.base import Problem, ProblemError, RoundHook, RoundState, Trajectory

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
]

NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
MOVE_NAMES: tuple[str, ...] = ("none", "confrontation", "compromise", "capitulation")
VARIANTS = ("reference", "paper")
NORMALISATIONS = ("global", "pairwise")


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
        if isinstance(self.rounds, bool) or not isinstance(self.rounds, int) or self.rounds < 0:
            raise ValueError(f"rounds must be a non-negative integer, got {self.rounds!r}")


# ----------------------------------------------------------------------------------------------------
# Input handling shared with the oracle
# ----------------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------------
# Batched building blocks; every array has the row (draw x issue) axis first
# ----------------------------------------------------------------------------------------------------


def _power(base: np.ndarray, exponent: np.ndarray | float) -> np.ndarray:
    """``base ** exponent``, skipping the (exact) identity when the exponent is the scalar 1."""
    if np.ndim(exponent) == 0 and float(exponent) == 1.0:
        return base
    return base**exponent


def _risk_from_score(score: np.ndarray, params: EUMParams) -> np.ndarray:
    """Map ``R in [-1, 1]`` to ``r`` through (-1, r_max), (0, 1), (1, r_min): ``(1 - R/k1) / (1 + R/k2)``."""
    lo, hi = params.r_min, params.r_max
    if lo + hi == 2.0:
        return 1.0 - score * (1.0 - lo)
    k2 = (hi - lo) / (lo + hi - 2.0)
    k1 = k2 / (k2 - lo * (k2 + 1.0))
    return (1.0 - score / k1) / (1.0 + score / k2)


# Up to this many actors, counting voters left of each midpoint by brute force (A^3 byte comparisons,
# vectorised over rows) is fastest; above it, one binary search per row (np.searchsorted, A^2 log A).
# Both give the same integers.
_BRUTE_FORCE_COUNT_MAX_ACTORS = 48


def _midpoint_counts(x: np.ndarray, order: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """``counts[b, i, j]``: number of voters strictly left of the midpoint of ``x_i`` and ``x_j``.

    ``order`` sorts each row's positions (stably); ``xs`` holds them in that order.
    """
    n_rows, n = x.shape
    if n <= _BRUTE_FORCE_COUNT_MAX_ACTORS:
        mid = (x[:, :, None] + x[:, None, :]) * 0.5
        counts = np.zeros(mid.shape, dtype=np.uint8)  # n < 256: small integers keep this fast
        below = np.empty(mid.shape, dtype=bool)
        for k in range(n):
            np.less(xs[:, k, None, None], mid, out=below)
            counts += below.view(np.uint8)
        return counts.astype(np.intp)
    # One binary search per row (A^2 queries each, so the loop's overhead is negligible). Queries in
    # sorted order (midpoints of sorted positions, same floats) run faster; then back to actor order.
    counts = np.empty((n_rows, n, n), dtype=np.intp)
    rank = np.empty(n, dtype=np.intp)
    for b in range(n_rows):
        in_order = np.searchsorted(xs[b], (xs[b, :, None] + xs[b, None, :]) * 0.5, side="left")
        rank[order[b]] = np.arange(n)
        counts[b] = in_order[rank[:, None], rank[None, :]]
    return counts


@dataclass
class _Geometry:
    """What a round needs about positions alone; shared by the danger phase and the offer phase.

    Masks are stored as floats (0/1, or -1/0/1) and used as multipliers: on these array sizes that
    is several times faster than ``np.where`` and gives the same bits.
    """

    gap: np.ndarray  # [b, i, j] |x_i - x_j|
    upper: np.ndarray  # [b, i, j] 1.0 where x_i > x_j, else 0.0
    sign: np.ndarray  # [b, i, j] +1.0 where x_i < x_j, -1.0 where x_i > x_j, 0.0 where equal
    order: np.ndarray  # [b, k] actors in ascending position (stable): voters are taken in this order
    voter_dist: np.ndarray  # [b, k, a] |x_order[k] - x_a| / R
    left_index: np.ndarray  # [b, i, j] flat index of (c_ij, j) in a [b, A + 1, A] prefix-sum array
    near: np.ndarray  # [b, i, j] 0.5 - 0.5 d_ij, d = min(|x_i - x_j| / R, 1): base of U_s
    far: np.ndarray  # [b, i, j] 0.5 + 0.5 d_ij: base of U_f


def _geometry(x: np.ndarray, rng_: np.ndarray) -> _Geometry:
    n_rows, n = x.shape
    gap = np.abs(x[:, :, None] - x[:, None, :])
    half = gap / rng_[:, None, None]
    np.minimum(half, 1.0, out=half)
    half *= 0.5
    near = 0.5 - half
    half += 0.5
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    left_index = _midpoint_counts(x, order, xs)
    left_index *= n
    left_index += (np.arange(n_rows, dtype=np.intp) * ((n + 1) * n))[:, None, None] + np.arange(
        n, dtype=np.intp
    )
    upper = (x[:, :, None] > x[:, None, :]).astype(float)
    sign = (x[:, :, None] < x[:, None, :]).astype(float)
    sign -= upper
    voter_dist = np.abs(xs[:, :, None] - x[:, None, :])
    voter_dist /= rng_[:, None, None]
    return _Geometry(gap, upper, sign, order, voter_dist, left_index, near, half)


def _support(geo: _Geometry, w: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """``support[b, i, j]``: total positive support of the voters for ``x_i`` over ``x_j``.

    Voter k supports ``a`` over ``b`` by ``u_kb - u_ka``, ``u_ka = w_k (|x_k - x_a| / R)^{r_k}``. In one
    dimension the voters with a positive vote for ``x_i`` are those on ``x_i``'s side of the midpoint,
    so the sum is a difference of prefix sums of ``u`` over voters in position order: ``O(A^2)``
    memory and work per row instead of the direct ``O(A^3)``. Equal positions get exactly zero (their
    columns of ``u`` are equal).
    """
    n_rows, n = w.shape
    w_sorted = np.take_along_axis(w, geo.order, axis=1)[:, :, None]
    if np.ndim(r):
        u = geo.voter_dist ** np.take_along_axis(r, geo.order, axis=1)[:, :, None]  # [b, k, a]
        u *= w_sorted
    else:
        u = w_sorted * _power(geo.voter_dist, r)
    prefix = np.zeros((n_rows, n + 1, n))
    for k in range(n):  # sequential prefix sums over voters (faster than a strided cumsum)
        np.add(prefix[:, k], u[:, k], out=prefix[:, k + 1])
    left = np.take(prefix, geo.left_index)  # [b, i, j]: sum of u_kj over voters left of the midpoint
    left -= left.transpose(0, 2, 1)  # ... minus u_ki: support for i over j from the left voters
    total = prefix[:, n, :]
    support = total[:, None, :] - total[:, :, None]  # support from all voters, whose right part is
    support *= geo.upper  # ... (T_j - T_i) - left where x_i > x_j; left itself where x_i < x_j
    left *= geo.sign
    support += left
    return np.maximum(support, 0.0, out=support)


def _probabilities(geo: _Geometry, w: np.ndarray, r: np.ndarray | float, params: EUMParams) -> np.ndarray:
    """``p[b, i, j]``: probability that ``x_i`` prevails over ``x_j`` (docs, step 2).

    Global: support divided by the sum of absolute support over every voter and ordered pair, which
    equals twice the sum of all supports (``|v| = max(v, 0) + max(-v, 0)``). Pairwise: divided by the
    pair's two supports. Equal positions get 0; empty denominators give 0 (global) or 1/2 (pairwise).
    """
    support = _support(geo, w, r)
    if params.normalisation == "pairwise":
        pair = support + support.transpose(0, 2, 1)
        p = np.where(pair > 0, support / np.where(pair > 0, pair, 1.0), 0.5)
        return np.where(geo.gap > 0, p, 0.0)
    grand = 2.0 * support.sum(axis=(1, 2))
    scale = np.where(grand > 0, 1.0 / np.where(grand > 0, grand, 1.0), 0.0)
    support *= scale[:, None, None]
    return support


def _utility_terms(geo: _Geometry, rv: np.ndarray | float, q: float) -> tuple[np.ndarray, np.ndarray]:
    """``U_s - q U_sq`` and ``U_s - U_f`` seen by the row actor with exponent ``rv`` (``[b, A, A]``).

    ``E = s_b [p U_s + (1 - p) U_f] + (1 - s_b) U_s - q U_sq`` rearranges to
    ``(U_s - q U_sq) - s_b (U_s - U_f)(1 - p)``, so these two terms serve both directions of a pair.
    """
    if np.ndim(rv):
        rv_col = rv[:, :, None]
        us = geo.near**rv_col
        uf = geo.far**rv_col
        usq = 2.0 - 4.0 * 0.5**rv_col
    else:
        us = _power(geo.near, rv) * -4.0
        uf = _power(geo.far, rv) * -4.0
        usq = 2.0 - 4.0 * 0.5 ** float(rv)
    if np.ndim(rv):
        us *= -4.0
        uf *= -4.0
    us += 2.0  # U_s = 2 - 4 (1/2 - d/2)^r
    uf += 2.0  # U_f = 2 - 4 (1/2 + d/2)^r
    np.subtract(us, uf, out=uf)
    us -= q * usq
    return us, uf


def _expected(base: np.ndarray, du: np.ndarray, s_target: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``base - s_target du (1 - p)``; ``p`` may be a transposed view, the result is C-contiguous."""
    out = np.empty_like(base)
    np.subtract(1.0, p, out=out)
    out *= du
    out *= s_target
    return np.subtract(base, out, out=out)


def _risk(geo: _Geometry, s: np.ndarray, w: np.ndarray, params: EUMParams) -> np.ndarray:
    """Risk exponents ``[b, A]``: dangers at a common exponent, scaled to [-1, 1], mapped (docs, step 4).

    danger_i = sum over j != i of E(U) of j challenging i, from i's view (target salience s_i, p_ji).
    Sums run over C-contiguous rows only, so that results never depend on the chunk size.
    """
    n = w.shape[1]
    p = _probabilities(geo, w, params.danger_exponent, params)
    base, du = _utility_terms(geo, params.danger_exponent, params.q)
    eu = _expected(base, du, s[:, :, None], p.transpose(0, 2, 1))
    eu[:, np.arange(n), np.arange(n)] = 0.0
    danger = eu.sum(axis=-1)
    hi = danger.max(axis=1, keepdims=True)
    lo = danger.min(axis=1, keepdims=True)
    spread = hi - lo
    flat = spread <= params.tie_tol * np.maximum(1.0, np.maximum(np.abs(hi), np.abs(lo)))
    score = np.where(flat, 0.0, (2.0 * danger - hi - lo) / np.where(flat, 1.0, spread))
    return _risk_from_score(score, params)


def _classify(eu_ij: np.ndarray, eu_ji: np.ndarray, variant: str, tol: float) -> np.ndarray:
    """Offer types ``[b, i, j]`` of j's offer to i, judged from i's view (docs, step 5).

    Confrontation: ``eu_ji > eu_ij > 0``. In the quadrant ``eu_ij < 0 < eu_ji``: compromise if
    ``eu_ji > |eu_ij|`` (there ``eu_ji - |eu_ij| = eu_ji + eu_ij``), capitulation if ``|eu_ij| > eu_ji``
    (paper) or if ``|eu_ji| > eu_ji`` (the references' test, never true). Every ``>`` is ``> tol``.
    Pairs at equal positions have ``eu_ij == eu_ji`` and so never qualify.
    """
    conf = (eu_ij > tol) & (eu_ji - eu_ij > tol)
    quadrant = (eu_ij < -tol) & (eu_ji > tol)
    both = eu_ij + eu_ji
    comp = quadrant & (both > tol)
    if variant == "reference":
        cap = quadrant & (np.abs(eu_ji) - eu_ji > tol)
    else:
        cap = quadrant & (-both > tol)
    kind = conf.view(np.int8) * np.int8(CONFRONTATION)
    kind += comp.view(np.int8) * np.int8(COMPROMISE)
    kind += cap.view(np.int8) * np.int8(CAPITULATION)
    return kind


def _choose(kind: np.ndarray, key: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each receiver's move type and counterpart ``[b, A]``; overwrites ``key``.

    Best type first (confrontation, compromise, capitulation: rank ``(kind + 3) mod 4``); within it
    the smallest key (distance, or the weighted position value for compromises), ties within ``tol``
    going to the lowest actor index.
    """
    rank = (kind + np.int8(3)) & np.int8(3)
    best = rank.min(axis=-1)
    np.putmask(key, rank != best[:, :, None], np.inf)
    smallest = key.min(axis=-1, keepdims=True)
    smallest += tol
    return (best + np.int8(1)) & np.int8(3), np.argmax(key <= smallest, axis=-1)


def _compromise_value(eu_ij: np.ndarray, eu_ji: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The references' weighted position value of a compromise: ``(|eu_ij| x_i + |eu_ji| x_j) / (|eu_ij| + |eu_ji|)``."""
    a_ij = np.abs(eu_ij)
    a_ji = np.abs(eu_ji)
    value = a_ij * x[:, :, None]
    value += a_ji * x[:, None, :]
    a_ij += a_ji
    with np.errstate(divide="ignore", invalid="ignore"):
        value /= a_ij
    return value


def _round(
    x: np.ndarray, s: np.ndarray, w: np.ndarray, rng_: np.ndarray, params: EUMParams
) -> dict[str, Any]:
    """One round for a chunk of rows: risk exponents, offers, and simultaneous moves."""
    n_rows, n = x.shape
    geo = _geometry(x, rng_)
    r = _risk(geo, s, w, params)
    p = _probabilities(geo, w, r, params)
    base, du = _utility_terms(geo, r, params.q)
    eu_ij = _expected(base, du, s[:, None, :], p)
    eu_ji = _expected(base, du, s[:, :, None], p.transpose(0, 2, 1))
    kind = _classify(eu_ij, eu_ji, params.variant, params.tie_tol)
    key = geo.gap.copy()
    np.copyto(key, _compromise_value(eu_ij, eu_ji, x), where=kind == COMPROMISE)
    move, j = _choose(kind, key, (params.tie_tol * rng_)[:, None, None])
    rows = np.arange(n_rows)[:, None]
    cols = np.arange(n)[None, :]
    x_j = x[rows, j]
    e_ij = eu_ij[rows, cols, j]
    e_ji = eu_ji[rows, cols, j]
    moved = move != NONE
    with np.errstate(divide="ignore", invalid="ignore"):
        compromise = x + (x_j - x) * np.abs(e_ij / e_ji)
    new_x = np.where(move == COMPROMISE, compromise, np.where(moved, x_j, x))
    return {
        "x": new_x,
        "risk": r,
        "move": move,
        "counterpart": np.where(moved, j, -1),
        "eu_self": np.where(moved, e_ij, 0.0),
        "eu_other": np.where(moved, e_ji, 0.0),
        "offers": kind,  # [b, receiver, proposer]
    }


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
    return (w * x).sum(axis=-1) / w.sum(axis=-1)


# ----------------------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------------------


def _to_rows(a: np.ndarray) -> np.ndarray:
    """``[D, A, I]`` -> ``[D * I, A]`` (contiguous copy)."""
    d, n, i = a.shape
    return np.ascontiguousarray(a.transpose(0, 2, 1)).reshape(d * i, n)


def _from_rows(a: np.ndarray, n_draws: int, n_issues: int) -> np.ndarray:
    """``[D * I, ...]`` -> ``[D, ..., I]`` (a view)."""
    shaped = a.reshape((n_draws, n_issues) + a.shape[1:])
    return np.moveaxis(shaped, 1, -1)


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
        return a[self.rows][:, self.cols]

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
    groups = _groups(present, x.shape[0])
    record = _Recorder(b.positions.shape, rounds, params.keep_challenges)
    record.state(0, x, _outcomes(x, c * s, groups, sq_rows), n_draws)
    for k in range(1, rounds + 1):
        w = c * s
        moved = x.copy()
        for g in groups:
            xg, sg, wg, rg = g.take(x), g.take(s), g.take(w), rng_rows[g.rows]
            out = np.empty_like(xg)
            for sl in _chunks(xg.shape[0], xg.shape[1], params.max_chunk_elements):
                part = _round(xg[sl], sg[sl], wg[sl], rg[sl], params)
                out[sl] = part["x"]
                record.chunk(k, g.rows[sl], g.cols, part)
            g.put(moved, out)
        x = moved
        if on_round is not None:
            state = RoundState(
                round=k,
                positions=_from_rows(x, n_draws, n_issues).copy(),
                salience=_from_rows(s, n_draws, n_issues).copy(),
                capability=_from_rows(c, n_draws, n_issues).copy(),
                outcome=_outcomes(x, w, groups, sq_rows)[0].reshape(n_draws, n_issues),
            )
            returned = on_round(state)
            if returned is not None:
                pos_h, sal_h, cap_h = validated_hook_state(returned, b.positions.shape)
                x, s, c = _to_rows(pos_h), _to_rows(sal_h), _to_rows(cap_h)
        record.state(k, x, _outcomes(x, c * s, groups, sq_rows), n_draws)

    diagnostics = record.diagnostics()
    diagnostics["range"] = rng_rows.reshape(n_draws, n_issues)
    return Trajectory(
        positions=record.positions,
        outcome=record.outcome,
        diagnostics=diagnostics,
        engine="eum",
        params={**asdict(params), "rounds": rounds},
    )


# ----------------------------------------------------------------------------------------------------
# Can a frozen status quo hold?
# ----------------------------------------------------------------------------------------------------


def status_quo_challenge_eu(
    problem: Problem, params: EUMParams | None = None, resistance: float | None = None
) -> np.ndarray:
    """``[D, A, I]``: each actor's expected utility of challenging the status quo, from its own view.

    The status quo is treated as a hypothetical actor at ``problem.status_quo`` that casts no votes and
    resists a challenge with probability ``resistance``; by default the capability-weighted mean
    salience of the actors (the status quo is defended as much as the actors, weighted by their
    capability, care about the issue). Everything else is the start of round 1 with the same
    formulas: the actors' risk exponents for the initial positions, their votes for ``x_i`` over the
    status quo, the same normalisation of the probability (global: the round's total over the actors'
    pairs; pairwise: this pair's absolute support) and the initial range ``R`` (distances to the status
    quo clipped at 1).
    """
    params = params or EUMParams()
    if resistance is not None and not 0.0 <= resistance <= 1.0:
        raise ValueError(f"resistance is a probability, got {resistance}")
    b = validate_problem(problem, 0)
    n_draws, n, n_issues = b.positions.shape
    x = _to_rows(b.positions)
    s = _to_rows(b.salience)
    c = _to_rows(np.asarray(b.capability_per_issue(), dtype=float))
    if resistance is None:
        cap_total = c.sum(axis=-1)
        res = np.where(
            cap_total > 0, (c * s).sum(axis=-1) / np.where(cap_total > 0, cap_total, 1.0), s.mean(-1)
        )
    else:
        res = np.full(x.shape[0], float(resistance))
    sq = np.ascontiguousarray(b.status_quo).reshape(-1)  # [D * I]
    rng_ = np.ascontiguousarray(effective_range(b.positions, problem.scale, b.present)).reshape(-1)
    present = None if b.present is None else _to_rows(b.present)
    if present is not None and resistance is None:  # the defence counts the present actors only
        cp = np.where(present, c, 0.0)
        cap_total = cp.sum(axis=-1)
        res = np.where(cap_total > 0, (cp * s).sum(axis=-1) / np.where(cap_total > 0, cap_total, 1.0), 0.0)
    out = np.zeros_like(x)  # absent actors: 0 (they cannot challenge)
    for g in _groups(present, x.shape[0]):
        xg, sg, cg = g.take(x), g.take(s), g.take(c)
        rows = g.rows
        eu = np.empty_like(xg)
        for sl in _chunks(xg.shape[0], xg.shape[1], params.max_chunk_elements):
            r = rows[sl]
            eu[sl] = _status_quo_eu_rows(xg[sl], sg[sl], cg[sl] * sg[sl], sq[r], rng_[r], params, res[r])
        g.put(out, eu)
    return np.ascontiguousarray(_from_rows(out, n_draws, n_issues))


def _status_quo_eu_rows(
    x: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    sq: np.ndarray,
    rng_: np.ndarray,
    params: EUMParams,
    resistance: np.ndarray,
) -> np.ndarray:
    geo = _geometry(x, rng_)
    r = _risk(geo, s, w, params)
    to_sq = np.abs(x - sq[:, None]) / rng_[:, None]  # [b, k]
    to_actor = np.abs(x[:, :, None] - x[:, None, :]) / rng_[:, None, None]  # [b, i, k]
    # votes[b, i, k]: voter k's support for x_i over the status quo
    votes = w[:, None, :] * (_power(to_sq, r)[:, None, :] - _power(to_actor, r[:, None, :]))
    support = np.maximum(votes, 0.0).sum(axis=-1)  # [b, i]
    if params.normalisation == "pairwise":
        pair = np.abs(votes).sum(axis=-1)
        p = np.where(pair > 0, support / np.where(pair > 0, pair, 1.0), 0.5)
    else:
        grand = 2.0 * _support(geo, w, r).sum(axis=(1, 2))  # the round's global total
        p = np.where(grand[:, None] > 0, support / np.where(grand > 0, grand, 1.0)[:, None], 0.0)
    p = np.where(x != sq[:, None], p, 0.0)
    d = np.minimum(to_sq, 1.0)
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5**r
    res = resistance[:, None]
    return res * (p * us + (1.0 - p) * uf) + (1.0 - res) * us - params.q * usq


def status_quo_stability(
    problem: Problem, params: EUMParams | None = None, resistance: float | None = None
) -> np.ndarray:
    """``[D, I]`` booleans: True where no present actor with positive capability gains by challenging the status quo.

    "Gains" means an expected utility above ``params.tie_tol`` in :func:`status_quo_challenge_eu`.
    """
    params = params or EUMParams()
    eu = status_quo_challenge_eu(problem, params, resistance)
    cap = np.asarray(problem.batched().capability_per_issue())
    able = cap > 0
    if problem.present is not None:
        able &= problem.present_mask()
    return ~np.any(able & (eu > params.tie_tol), axis=1)


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
