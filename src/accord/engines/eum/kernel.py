"""One EUM round, and the round's outcomes, as compiled loops over rows (Numba, no ``fastmath``).

The loops do the IEEE operations of :mod:`accord.engines.eum.geometry` and of the engine's weighted
median and mean in the same order, so results are the NumPy code's bits: sums over actors follow
NumPy's pairwise summation (:func:`_pairwise_sum`), powers call the same C library ``pow``, and voters
are taken in the same stable position order. Rows with absent actors are compacted to the present ones
inside the loop (the NumPy driver does the same with groups of rows), so one call serves a whole batch.

``error_model="numpy"``: divisions follow IEEE (``x / 0`` is inf or NaN, as in NumPy) instead of raising,
which also spares a test per division. Why compiled: in the Monte Carlo shapes (a few hundred rows of 5-15
actors) NumPy spends most of a round on the overhead of ~100 array passes and their temporaries; here each
row's pairs are visited a few times with nothing allocated per row, and memory stays at a few ``[A, A]``
scratch arrays whatever the batch. Numba is optional (``pip install accord[fast]``); :mod:`.engine` imports
this module only when it has chosen the compiled backend. Compiled code is cached on disk (``cache=True``).
"""

from __future__ import annotations

import numba
import numpy as np

from accord.engines.eum.kernel_steps import (
    _geometry,
    _midpoint_counts,
    _pairwise_sum,
    _position_groups,
    _probabilities,
    _receiver,
    _risk,
    _stable_order,
    _support,
)

__all__ = ["outcomes", "round_rows", "run_rows"]

# pragma: numba functions below are typed by Numba; mypy sees them as untyped.


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _scratch(n):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Per-call work arrays, reused by every row: 36 bytes per actor pair, whatever the batch."""
    return (
        np.empty(n, np.int64),  # idx: present actors' columns
        np.empty(n, np.int64),  # order
        np.empty(n),  # xc
        np.empty(n),  # sc
        np.empty(n),  # wc
        np.empty(n),  # xs
        np.empty(n),  # r
        np.empty(n),  # eu_row
        np.empty(n),  # keys
        np.empty(n),  # e_ij
        np.empty(n),  # e_ji
        np.empty(n, np.int64),  # kinds
        np.empty(n * n, np.int32),  # cnt: counts of voters, 4 bytes a pair
        np.empty((n + 1) * n),  # prefix
        np.empty(n * n),  # p
        np.empty(n * n),  # half
        np.empty(n * n),  # dist
        np.empty(0),  # no per-actor exponents (the danger phase's common one)
        np.empty(n, np.int64),  # grp: each actor's position group
        np.empty(n, np.int64),  # rep: one member of each group
        np.empty(n),  # g_base: per group, U_s - q U_sq (and the danger phase's eu)
        np.empty(n),  # g_t: per group, (1 - p_ij)(U_s - U_f)
        np.empty(n),  # g_b: per group, eu_ji
    )


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _row_round(x, s, w, present, R, c, scr, out_x, risk, move, counterpart, eu_self, eu_other, offers, keep):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501
    """One round of one row (1-D arrays; ``offers`` ``[receiver, proposer]``): ``geometry._round``.

    Callers pass whole work arrays, never views made per row: a view costs reference counts on its
    parent, atomic operations that threads sharing the parent would contend for.
    """
    de, q, tol, reference, pairwise, mode, c1, k1, k2, half_base = c
    idx, order, xc, sc, wc, xs, r, eu_row, keys, e_ij, e_ji, kinds = scr[:12]
    cnt, prefix, p, half, dist, no_r, grp, rep, g_base, g_t, g_b = scr[12:]
    n = x.shape[0]
    m = 0
    for a in range(n):
        out_x[a] = x[a]
        risk[a], move[a], counterpart[a], eu_self[a], eu_other[a] = 0.0, 0, 0, 0.0, 0.0
        if keep:
            for t in range(n):
                offers[a, t] = 0
        if present[a]:
            idx[m], xc[m], sc[m], wc[m] = a, x[a], s[a], w[a]
            m += 1
    if m == 0:
        return
    _stable_order(xc, m, order, xs)
    ng = _position_groups(xs, order, m, grp, rep)
    _midpoint_counts(xs, xc, rep, m, ng, cnt)
    _geometry(xc, rep, ng, R, half, dist)
    _support(xc, wc, order, no_r, de, m, grp, rep, ng, dist, cnt, prefix, p)
    _probabilities(xc, rep, grp, m, ng, pairwise, p, prefix)
    _risk(sc, m, half, p, de, q, tol, mode, c1, k1, k2, half_base, grp, ng, g_base, eu_row, r)
    _support(xc, wc, order, r, 1.0, m, grp, rep, ng, dist, cnt, prefix, p)
    _probabilities(xc, rep, grp, m, ng, pairwise, p, prefix)
    for i in range(m):
        mv, j = _receiver(
            i, xc, sc, m, R, half, p, r, q, tol, reference, half_base,
            grp, ng, g_base, g_t, g_b, kinds, keys, e_ij, e_ji,
        )  # fmt: skip
        a = idx[i]
        risk[a], move[a] = r[i], mv
        if keep:
            for t in range(m):
                offers[a, idx[t]] = kinds[t]
        if mv == 0:
            counterpart[a] = -1
            continue
        counterpart[a], eu_self[a], eu_other[a] = idx[j], e_ij[j], e_ji[j]
        if mv == 2:
            out_x[a] = xc[i] + (xc[j] - xc[i]) * abs(e_ij[j] / e_ji[j])
        else:
            out_x[a] = xc[j]


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _row_outcome(x, w, present, status_quo, xc, wc, xs, prod, order):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Weighted median and mean of one row's present actors: ``engine.weighted_median``, ``_mean``.

    A row where nobody is present gets the status quo; all-zero weights count as equal weights.
    """
    m = 0
    for a in range(x.shape[0]):
        if present[a]:
            xc[m], wc[m] = x[a], w[a]
            m += 1
    if m == 0:
        return status_quo, status_quo
    if not _pairwise_sum(wc, 0, m) > 0:
        for t in range(m):
            wc[t] = 1.0
    _stable_order(xc, m, order, xs)
    total = 0.0
    for t in range(m):
        total = wc[order[t]] if t == 0 else total + wc[order[t]]
        prod[t] = total
    half = 0.5 * total
    median = xs[0]
    for t in range(m):
        if prod[t] >= half:
            median = xs[t]
            break
    for t in range(m):
        prod[t] = wc[t] * xc[t]
    return median, _pairwise_sum(prod, 0, m) / _pairwise_sum(wc, 0, m)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def round_rows(x, s, w, rng_, present, c, out_x, risk, move, counterpart, eu_self, eu_other, offers):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501
    """One round for every row ``[N, A]``, written in place (the path of runs with a round hook).

    Absent actors keep their position and get zeros (the NumPy driver's layout); ``offers`` is
    ``[rows, receiver, proposer]`` or has zero rows when offers are not kept. ``c`` holds the
    constants (:func:`accord.engines.eum.backend._constants`), among them 0.5 passed at run time: with
    the constant, LLVM rewrites ``0.5 ** r`` as ``exp2(-r)``, one ulp away from the C library's ``pow``
    that NumPy calls.
    """
    n_rows, n = x.shape
    keep = offers.shape[0] > 0
    scr = _scratch(n)
    xr, sr, wr, pr = np.empty(n), np.empty(n), np.empty(n), np.empty(n, np.bool_)
    ox, rk, es, eo = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    mv, cp = np.empty(n, np.int8), np.empty(n, np.int64)
    off = np.empty((n, n) if keep else (0, 0), np.int8)
    for b in range(n_rows):
        for a in range(n):
            xr[a], sr[a], wr[a], pr[a] = x[b, a], s[b, a], w[b, a], present[b, a]
        _row_round(xr, sr, wr, pr, rng_[b], c, scr, ox, rk, mv, cp, es, eo, off, keep)
        for a in range(n):
            out_x[b, a], risk[b, a], move[b, a], counterpart[b, a] = ox[a], rk[a], mv[a], cp[a]
            eu_self[b, a], eu_other[b, a] = es[a], eo[a]
            if keep:
                for j in range(n):
                    offers[b, a, j] = off[a, j]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def outcomes(x, w, present, status_quo, median, mean):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Weighted median and mean of each row's present actors (the status quo where nobody is)."""
    n = x.shape[1]
    xc, wc, xs, prod, order = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n, np.int64)
    for b in range(x.shape[0]):
        median[b], mean[b] = _row_outcome(x[b], w[b], present[b], status_quo[b], xc, wc, xs, prod, order)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_rows(x, s, w, rng_, present, status_quo, c, b0, b1, positions, outcome, mean, risk, move, counterpart, eu_self, eu_other, offers):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501  # fmt: skip
    """Every round of rows ``b0:b1`` (no hook: rows never meet), one row at a time so that it stays in cache.

    Inputs are rows ``[D * I, A]``; results go straight into the trajectory's layout (row ``b`` is draw
    ``b // I``, issue ``b % I``): ``positions`` ``[D, R + 1, A, I]``, ``outcome`` and ``mean``
    ``[D, R + 1, I]``, the diagnostics ``[D, R, A, I]`` and ``offers`` ``[D, R, proposer, receiver, I]``
    (no draws when not kept). Threads may share one call's arrays with disjoint row ranges.
    """
    n = x.shape[1]
    n_issues = outcome.shape[2]
    rounds = risk.shape[1]
    keep = offers.shape[0] > 0
    scr = _scratch(n)
    xc, wc, xs, prod, order = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n, np.int64)
    cur, nxt, r_row, e_s, e_o = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    mv_row, cp_row = np.empty(n, np.int8), np.empty(n, np.int64)
    off_row = np.empty((n, n) if keep else (0, 0), np.int8)
    sr, wr, pr = np.empty(n), np.empty(n), np.empty(n, np.bool_)
    for b in range(b0, b1):
        d, i = b // n_issues, b % n_issues
        for a in range(n):
            cur[a], sr[a], wr[a], pr[a] = x[b, a], s[b, a], w[b, a], present[b, a]
            positions[d, 0, a, i] = cur[a]
        outcome[d, 0, i], mean[d, 0, i] = _row_outcome(cur, wr, pr, status_quo[b], xc, wc, xs, prod, order)
        for k in range(rounds):
            _row_round(cur, sr, wr, pr, rng_[b], c, scr, nxt, r_row, mv_row, cp_row, e_s, e_o, off_row, keep)
            for a in range(n):
                positions[d, k + 1, a, i] = nxt[a]
                risk[d, k, a, i], move[d, k, a, i], counterpart[d, k, a, i] = r_row[a], mv_row[a], cp_row[a]
                eu_self[d, k, a, i], eu_other[d, k, a, i] = e_s[a], e_o[a]
                if keep:
                    for j in range(n):  # [receiver, proposer] -> [proposer, receiver]
                        offers[d, k, j, a, i] = off_row[a, j]
            outcome[d, k + 1, i], mean[d, k + 1, i] = _row_outcome(
                nxt, wr, pr, status_quo[b], xc, wc, xs, prod, order
            )
            cur, nxt = nxt, cur
