"""One EUM round on a chunk of rows (draw x issue): geometry, support, probabilities, risk, offers, moves.

Every array has the row axis first; masks are floats used as multipliers (faster than ``np.where`` at
these sizes, the same bits).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

import numpy as np

from accord.engines.eum.params import CAPITULATION, COMPROMISE, CONFRONTATION, NONE, EUMParams


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


# Stands for a geometry array a round no longer needs (dropped to lower the peak memory)
_DROPPED = np.empty(0)

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

    The sign mask is stored as floats (-1/0/1) and used as a multiplier: on these array sizes that is
    several times faster than ``np.where`` and gives the same bits. Five ``[b, A, A]`` arrays: the
    bases of ``U_s`` and ``U_f`` are made from ``half`` when needed, and ``x_i > x_j`` from ``sign``.
    """

    gap: np.ndarray  # [b, i, j] |x_i - x_j|
    sign: np.ndarray  # [b, i, j] +1.0 where x_i < x_j, -1.0 where x_i > x_j, 0.0 where equal
    order: np.ndarray  # [b, k] actors in ascending position (stable): voters are taken in this order
    voter_dist: np.ndarray  # [b, k, a] |x_order[k] - x_a| / R
    left_index: np.ndarray  # [b, i, j] flat index of (c_ij, j) in a [b, A + 1, A] prefix-sum array
    half: (
        np.ndarray
    )  # [b, i, j] 0.5 d_ij, d = min(|x_i - x_j| / R, 1): U_s has base 0.5 - half, U_f 0.5 + half


def _geometry(x: np.ndarray, rng_: np.ndarray) -> _Geometry:
    n_rows, n = x.shape
    gap = np.abs(x[:, :, None] - x[:, None, :])
    half = gap / rng_[:, None, None]
    np.minimum(half, 1.0, out=half)
    half *= 0.5
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    left_index = _midpoint_counts(x, order, xs)
    left_index *= n
    left_index += (np.arange(n_rows, dtype=np.intp) * ((n + 1) * n))[:, None, None] + np.arange(
        n, dtype=np.intp
    )
    sign = (x[:, :, None] < x[:, None, :]).astype(float)
    sign -= x[:, :, None] > x[:, None, :]
    voter_dist = np.abs(xs[:, :, None] - x[:, None, :])
    voter_dist /= rng_[:, None, None]
    return _Geometry(gap, sign, order, voter_dist, left_index, half)


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
    r_sorted = np.take_along_axis(r, geo.order, axis=1)[:, :, None] if np.ndim(r) else None
    prefix = np.zeros((n_rows, n + 1, n))
    u = np.empty((n_rows, n))  # one voter's u at a time (memory: no [b, A, A] array of them)
    for k in range(n):  # sequential prefix sums over voters (faster than a strided cumsum)
        if r_sorted is None:
            np.multiply(w_sorted[:, k], _power(geo.voter_dist[:, k], r), out=u)
        else:
            np.power(geo.voter_dist[:, k], r_sorted[:, k], out=u)
            u *= w_sorted[:, k]
        np.add(prefix[:, k], u, out=prefix[:, k + 1])
    left = np.take(prefix, geo.left_index)  # [b, i, j]: sum of u_kj over voters left of the midpoint
    total = prefix[:, n, :].copy()
    del prefix
    left -= left.transpose(0, 2, 1)  # ... minus u_ki: support for i over j from the left voters
    support = total[:, None, :] - total[:, :, None]  # support from all voters, whose right part is
    support *= geo.sign < 0  # ... (T_j - T_i) - left where x_i > x_j; left itself where x_i < x_j
    left *= geo.sign
    support += left
    return cast(np.ndarray, np.maximum(support, 0.0, out=support))


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
    us = np.subtract(0.5, geo.half)  # the base of U_s, then U_s itself, in place
    uf = np.add(geo.half, 0.5)  # the base of U_f, then U_f
    if isinstance(rv, np.ndarray) and rv.ndim:
        rv_col = rv[:, :, None]
        np.power(us, rv_col, out=us)
        np.power(uf, rv_col, out=uf)
        usq = 2.0 - 4.0 * 0.5**rv_col
    else:
        if float(rv) != 1.0:  # x ** 1 == x exactly: skipped
            np.power(us, rv, out=us)
            np.power(uf, rv, out=uf)
        usq = 2.0 - 4.0 * 0.5 ** float(rv)
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
    return cast(np.ndarray, np.subtract(base, out, out=out))


def _risk(geo: _Geometry, s: np.ndarray, w: np.ndarray, params: EUMParams) -> np.ndarray:
    """Risk exponents ``[b, A]``: dangers at a common exponent, scaled to [-1, 1], mapped (docs, step 4).

    danger_i = sum over j != i of E(U) of j challenging i, from i's view (target salience s_i, p_ji).
    Sums run over C-contiguous rows only, so that results never depend on the chunk size.
    """
    n = w.shape[1]
    p = _probabilities(geo, w, params.danger_exponent, params)
    eu = np.empty_like(p)  # _expected(base, du, s_i, p_ji), with p dropped before base and du exist
    np.subtract(1.0, p.transpose(0, 2, 1), out=eu)
    del p
    base, du = _utility_terms(geo, params.danger_exponent, params.q)
    eu *= du
    del du
    eu *= s[:, :, None]
    np.subtract(base, eu, out=eu)
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
    return cast(np.ndarray, kind)


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
    """The references' weighted position value of a compromise:
    ``(|eu_ij| x_i + |eu_ji| x_j) / (|eu_ij| + |eu_ji|)``."""
    a_ij = np.abs(eu_ij)
    value = a_ij * x[:, :, None]
    a_ji = np.abs(eu_ji)
    a_ij += a_ji  # the denominator
    a_ji *= x[:, None, :]
    value += a_ji
    with np.errstate(divide="ignore", invalid="ignore"):
        value /= a_ij
    return cast(np.ndarray, value)


def _round(
    x: np.ndarray, s: np.ndarray, w: np.ndarray, rng_: np.ndarray, params: EUMParams
) -> dict[str, Any]:
    """One round for a chunk of rows: risk exponents, offers, and simultaneous moves."""
    n_rows, n = x.shape
    geo = _geometry(x, rng_)
    r = _risk(geo, s, w, params)
    p = _probabilities(geo, w, r, params)
    key = geo.gap  # the offers' keys start as distances (owned: nothing else reads them from here)
    geo = replace(geo, sign=_DROPPED, voter_dist=_DROPPED, left_index=_DROPPED)  # memory: used up
    base, du = _utility_terms(geo, r, params.q)
    del geo
    eu_ij = _expected(base, du, s[:, None, :], p)
    eu_ji = _expected(base, du, s[:, :, None], p.transpose(0, 2, 1))
    del p, base, du
    kind = _classify(eu_ij, eu_ji, params.variant, params.tie_tol)
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
