"""One EUM round, and the round's outcomes, as compiled loops over rows (Numba, no ``fastmath``).

The loops do the IEEE operations of :mod:`accord.engines.eum.geometry` and of the engine's weighted
median and mean in the same order, so results are the NumPy code's bits: sums over actors follow NumPy's
pairwise summation (:func:`_pairwise_sum`), powers call the same C library ``pow``, voters are taken in the
same stable position order. Rows with absent actors are compacted to the present ones inside the loop.

Actors at equal positions form a *position group* (:func:`_position_groups`). Whatever a round derives from
positions alone (distances, voters left of a midpoint, prefix sums of votes, supports, probabilities, the
receivers' powers) is one float per group, computed once: the same operations on the same operands, hence
the same bits. In the Monte Carlo shapes actors meet at each other's positions (6-7 groups of 11 actors
after the first round), which saves a third of the ``pow`` calls. Flat arrays: ``[gi * ng + gj]`` for pairs of
groups, ``[i * m + j]`` for pairs of actors. One module on purpose: Numba's disk cache (``cache=True``)
keys a function on its own file, so a kernel split across files could run stale inlined code.

``error_model="numpy"``: divisions follow IEEE (``x / 0`` is inf or NaN, as in NumPy), sparing a test per
division. Numba is optional (``accord[fast]``); :mod:`.engine` imports this module only once it chose it.
"""

from __future__ import annotations

import numpy as np

from accord.engines.numba_load import load

numba = load()  # Numba without the SciPy import of its BLAS probe: see numba_load

__all__ = ["outcomes", "round_rows", "run_rows"]

# pragma: numba functions below are typed by Numba; mypy sees them as untyped.


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _block_sum(a, start, n):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """NumPy's pairwise sum of a block of at most 128 elements: 8 partial sums, then the rest."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[start + i]
        return res
    r0, r1, r2, r3 = a[start], a[start + 1], a[start + 2], a[start + 3]
    r4, r5, r6, r7 = a[start + 4], a[start + 5], a[start + 6], a[start + 7]
    i = 8
    stop = n - n % 8
    while i < stop:
        p = start + i
        r0 += a[p]
        r1 += a[p + 1]
        r2 += a[p + 2]
        r3 += a[p + 3]
        r4 += a[p + 4]
        r5 += a[p + 5]
        r6 += a[p + 6]
        r7 += a[p + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[start + i]
        i += 1
    return res


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _pairwise_sum(a, start, n):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """NumPy's ``add.reduce`` of ``a[start:start + n]`` (contiguous float64): the same partial sums.

    Above 128 elements NumPy splits in two halves (the first a multiple of 8) and adds their sums; the
    recursion is unrolled onto a small stack (cached Numba code must not be recursive).
    """
    if n <= 128:
        return _block_sum(a, start, n)
    starts = np.empty(64, np.int64)
    sizes = np.empty(64, np.int64)
    stage = np.zeros(64, np.int64)
    values = np.empty(64)
    top, n_values = 0, 0
    starts[0], sizes[0] = start, n
    while top >= 0:
        s0, n0 = starts[top], sizes[top]
        if n0 <= 128:
            values[n_values] = _block_sum(a, s0, n0)
            n_values += 1
            top -= 1
            continue
        half = n0 // 2
        half -= half % 8
        if stage[top] == 2:
            values[n_values - 2] = values[n_values - 2] + values[n_values - 1]
            n_values -= 1
            top -= 1
            continue
        stage[top] += 1
        child = (s0, half) if stage[top] == 1 else (s0 + half, n0 - half)
        top += 1
        starts[top], sizes[top], stage[top] = child[0], child[1], 0
    return values[0]


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _power(base, exponent):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``base ** exponent``; IEEE ``pow(x, 1) == x`` exactly, so the shortcut changes no bit."""
    if exponent == 1.0:
        return base
    return base**exponent


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _stable_order(xc, m, order, xs):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``order[:m]``: a stable ascending sort of ``xc[:m]`` (insertion sort: the rows are short)."""
    for t in range(m):
        v = t
        xv = xc[v]
        u = t - 1
        while u >= 0 and xc[order[u]] > xv:
            order[u + 1] = order[u]
            u -= 1
        order[u + 1] = v
    for t in range(m):
        xs[t] = xc[order[t]]


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _position_groups(xs, order, m, grp, rep):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``grp[i]``: actor ``i``'s group (ascending position), ``rep[g]`` its first member; returns how many."""
    ng = 0
    for t in range(m):
        if t == 0 or xs[t] != xs[t - 1]:
            rep[ng] = order[t]
            ng += 1
        grp[order[t]] = ng - 1
    return ng


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _midpoint_counts(xs, xc, rep, m, ng, cnt):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``cnt[ga * ng + gb]``: voters strictly left of ``(x_ga + x_gb) * 0.5``, the integers of a search: the
    midpoints of ``ga`` with ``gb >= ga`` never decrease, so one pointer per ``ga`` sweeps the voters."""
    first = 0
    for ga in range(ng):
        xa = xc[rep[ga]]
        while first < m and xs[first] < xa:
            first += 1
        c = first
        for gb in range(ga, ng):
            mid = (xa + xc[rep[gb]]) * 0.5
            while c < m and xs[c] < mid:
                c += 1
            cnt[ga * ng + gb] = c
            cnt[gb * ng + ga] = c


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _geometry(xc, rep, ng, rng_, half, dist):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``dist[ga * ng + gb] = |x_ga - x_gb| / R``, ``half = min(dist, 1) / 2``: one division serves both, and
    the voters' distances (``geometry``'s ``voter_dist``) too, as ``|a - b| == |b - a|`` exactly."""
    for ga in range(ng):
        half[ga * ng + ga], dist[ga * ng + ga] = 0.0, 0.0
        xa = xc[rep[ga]]
        for gb in range(ga + 1, ng):
            d = abs(xa - xc[rep[gb]]) / rng_
            h = min(d, 1.0) * 0.5
            half[ga * ng + gb], half[gb * ng + ga] = h, h
            dist[ga * ng + gb], dist[gb * ng + ga] = d, d


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _support(xc, wc, order, rexp, scalar_r, m, grp, rep, ng, dist, cnt, prefix, sup):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``sup[gi * ng + gj]``: :func:`accord.engines.eum.geometry._support`, via the same prefix sums.
    ``rexp[k]`` is actor ``k``'s exponent (``scalar_r`` for all when empty). A voter adds ``0 ** r * w = 0``
    at its own position, which changes no bit of the (non-negative) prefix: that power is skipped."""
    for g in range(ng):
        prefix[g] = 0.0
    for k in range(m):
        voter = order[k]
        wk = wc[voter]
        rk = scalar_r if rexp.shape[0] == 0 else rexp[voter]
        row, nxt, own = k * ng, (k + 1) * ng, grp[voter] * ng
        for g in range(ng):
            d = dist[own + g]
            prefix[nxt + g] = prefix[row + g] + _power(d, rk) * wk if d != 0.0 else prefix[row + g]
    last = m * ng
    for gi in range(ng):
        xi = xc[rep[gi]]
        for gj in range(ng):
            xj = xc[rep[gj]]
            c = cnt[gi * ng + gj] * ng
            up = 1.0 if xi > xj else 0.0
            sign = (1.0 if xi < xj else 0.0) - up
            v = (prefix[last + gj] - prefix[last + gi]) * up + (prefix[c + gj] - prefix[c + gi]) * sign
            sup[gi * ng + gj] = 0.0 if v < 0.0 else v


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _probabilities(xc, rep, grp, m, ng, pairwise, p, flat):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """The group supports in ``p`` become probabilities, in place:
    :func:`accord.engines.eum.geometry._probabilities`.

    Pairwise, both directions of a pair are read before either is written (a group with itself has
    equal positions: 0). Global: the total is NumPy's pairwise sum over every pair of *actors*, in actor
    order, so the supports are laid out per actor pair in ``flat`` first.
    """
    if pairwise:
        for gi in range(ng):
            p[gi * ng + gi] = 0.0
            for gj in range(gi + 1, ng):
                s_ij, s_ji = p[gi * ng + gj], p[gj * ng + gi]
                pair = s_ij + s_ji
                apart = abs(xc[rep[gi]] - xc[rep[gj]]) > 0
                p_ij = s_ij / pair if pair > 0 else 0.5
                p_ji = s_ji / pair if pair > 0 else 0.5
                p[gi * ng + gj] = p_ij if apart else 0.0
                p[gj * ng + gi] = p_ji if apart else 0.0
        return
    for i in range(m):
        row = grp[i] * ng
        for j in range(m):
            flat[i * m + j] = p[row + grp[j]]
    grand = 2.0 * _pairwise_sum(flat, 0, m * m)
    scale = 1.0 / grand if grand > 0 else 0.0
    for t in range(ng * ng):
        p[t] = p[t] * scale


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _terms(half, r, q, usq):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``(U_s - q U_sq, U_s - U_f)`` of one pair seen with exponent ``r``: ``geometry._utility_terms``."""
    us = _power(0.5 - half, r) * -4.0 + 2.0
    uf = _power(half + 0.5, r) * -4.0 + 2.0
    return us - q * usq, us - uf


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _risk(sc, m, half, p, de, q, tol, mode, c1, k1, k2, half_base, grp, ng, g_val, eu_row, r):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501
    """Risk exponents ``r[:m]`` from the danger-phase ``p``: ``geometry._risk``. ``j``'s challenge of ``i``
    depends on ``j``'s group only (the target's salience is ``i``'s); dangers sum it in actor order."""
    usq = 2.0 - 4.0 * _power(half_base, de)
    for i in range(m):
        gi, si = grp[i], sc[i]
        for g in range(ng):
            base, du = _terms(half[gi * ng + g], de, q, usq)
            g_val[g] = base - ((1.0 - p[g * ng + gi]) * du) * si
        for j in range(m):
            eu_row[j] = 0.0 if j == i else g_val[grp[j]]
        r[i] = _pairwise_sum(eu_row, 0, m)
    hi, lo = r[0], r[0]
    for i in range(1, m):
        hi = max(hi, r[i])
        lo = min(lo, r[i])
    spread = hi - lo
    flat = spread <= tol * max(1.0, max(abs(hi), abs(lo)))
    for i in range(m):
        score = 0.0 if flat else (2.0 * r[i] - hi - lo) / spread
        r[i] = 1.0 - score * c1 if mode == 0 else (1.0 - score / k1) / (1.0 + score / k2)


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _receiver(i, xc, sc, m, rng_, half, p, r, q, tol, reference, half_base, grp, ng, g_base, g_t, g_b, kinds, keys, e_ij, e_ji):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501  # fmt: skip
    """Receiver ``i``'s offers (``kinds[:m]``), move and counterpart: ``geometry._classify``, ``_choose``.

    Per group, first: the powers (in ``i``'s own group both bases are 1/2, the power of ``U_sq``),
    ``U_s - q U_sq``, ``(1 - p_ij)(U_s - U_f)`` (scaled by the proposer's salience) and all of ``eu_ji``.
    Offer types are built without branches (``conf + 2 comp + 3 cap`` as NumPy does): unpredictable
    branches cost more than the arithmetic.
    """
    ri = r[i]
    p_half = _power(half_base, ri)
    q_usq = q * (2.0 - 4.0 * p_half)
    si, xi, gi = sc[i], xc[i], grp[i]
    for g in range(ng):
        if g == gi:
            e_s, e_f = p_half, p_half
        else:
            h = half[gi * ng + g]
            e_s, e_f = _power(0.5 - h, ri), _power(h + 0.5, ri)
        us = e_s * -4.0 + 2.0
        du = us - (e_f * -4.0 + 2.0)
        base = us - q_usq
        g_base[g] = base
        g_t[g] = (1.0 - p[gi * ng + g]) * du
        g_b[g] = base - ((1.0 - p[g * ng + gi]) * du) * si
    best, smallest = 3, np.inf
    for j in range(m):
        g = grp[j]
        a = g_base[g] - g_t[g] * sc[j]
        b = g_b[g]
        e_ij[j], e_ji[j] = a, b
        quadrant = (a < -tol) & (b > tol)
        both = a + b
        cap = quadrant & ((abs(b) - b > tol) if reference else (-both > tol))
        kind = int((a > tol) & (b - a > tol)) + 2 * int(quadrant & (both > tol)) + 3 * int(cap)
        kinds[j] = kind
        wa, wb = abs(a), abs(b)
        value = (wa * xi + wb * xc[j]) / (wa + wb)
        key = value if kind == 2 else abs(xi - xc[j])
        keys[j] = key
        rank = (kind + 3) & 3
        if rank < best:
            best, smallest = rank, key
        elif rank == best:
            smallest = min(smallest, key)
    smallest += tol * rng_
    for j in range(m):
        if (kinds[j] + 3) & 3 == best and keys[j] <= smallest:
            return (best + 1) & 3, j
    return (best + 1) & 3, 0


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
def _row_round(x, s, w, present, R, c, scr, out_x, risk, move, counterpart, eu_self, eu_other, offers, keep, ordered):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, E501  # fmt: skip
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
    if not ordered:  # else the caller's _row_outcome of these positions has sorted them into order, xs
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
        _row_round(xr, sr, wr, pr, rng_[b], c, scr, ox, rk, mv, cp, es, eo, off, keep, False)
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
    xc, wc, prod, order, xs = np.empty(n), np.empty(n), np.empty(n), scr[1], scr[5]  # the round's order, xs
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
            _row_round(
                cur, sr, wr, pr, rng_[b], c, scr, nxt, r_row, mv_row, cp_row, e_s, e_o, off_row, keep, True
            )
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
