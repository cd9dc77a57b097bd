"""The steps of one row's EUM round, as compiled loops (Numba, no ``fastmath``): :mod:`.kernel` runs them.

Each step does the IEEE operations of :mod:`accord.engines.eum.geometry` in the same order, so results are
the NumPy code's bits: sums over actors follow NumPy's pairwise summation (:func:`_pairwise_sum`), powers
call the same C library ``pow``, and voters are taken in the same stable position order.

Actors at equal positions form a *position group* (:func:`_position_groups`). Everything a round derives
from positions alone (distances, voters left of a midpoint, prefix sums of votes, supports, probabilities,
and the powers of the receivers' utilities) is the same float for every member of a group, so it is
computed once per group and read through ``grp``: the same operations on the same operands, hence the same
bits. In the Monte Carlo shapes actors meet at each other's positions, leaving 6-7 groups of 11 actors
after the first round, which saves about 40% of the ``pow`` calls. Arrays are flat: ``[gi * ng + gj]`` for
pairs of groups, ``[i * m + j]`` for pairs of actors.
"""

from __future__ import annotations

import numba
import numpy as np

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
    """``grp[i]``: actor ``i``'s group of equal positions, numbered in ascending position; ``rep[g]``: its
    first member in position order. Returns the number of groups."""
    ng = 0
    for t in range(m):
        if t == 0 or xs[t] != xs[t - 1]:
            rep[ng] = order[t]
            ng += 1
        grp[order[t]] = ng - 1
    return ng


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _midpoint_counts(xs, xc, rep, m, ng, cnt):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """``cnt[ga * ng + gb]``: voters strictly left of the midpoint ``(x_ga + x_gb) * 0.5``, the same
    integers as a search.

    Groups are in ascending position, so the midpoints of group ``ga`` with groups ``gb >= ga`` never
    decrease and one pointer per ``ga`` sweeps the voters once (no binary search).
    """
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
    """``dist[ga * ng + gb] = |x_ga - x_gb| / R`` and ``half[ga * ng + gb] = min(dist, 1) / 2``.

    One division per pair of groups serves both: a voter's distance to a position (``geometry``'s
    ``voter_dist``) is the distance between their groups, and ``|a - b| == |b - a|`` exactly.
    """
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

    ``rexp[k]`` is actor ``k``'s exponent, or ``scalar_r`` for everyone when ``rexp`` is empty. A voter
    at a position contributes ``0 ** r * w = 0`` there, and adding 0 to the (non-negative) prefix
    changes no bit, so that power is skipped.
    """
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
    """Risk exponents ``r[:m]`` from the danger-phase probabilities ``p``: ``geometry._risk``.

    The expected utility of ``j`` challenging ``i`` depends on ``j``'s group only (``i``'s salience is the
    target's), so it is computed once per group; the danger sums it over actors, in actor order.
    """
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
    """Receiver ``i``'s offers (``kinds[:m]``), move type and counterpart: ``geometry._classify``,
    ``_choose``.

    The powers come first, once per group (the bases depend on the distance only); in ``i``'s own group
    both bases are 1/2, whose power is the one in ``U_sq``. Per group too: ``U_s - q U_sq``, the term
    ``(1 - p_ij)(U_s - U_f)`` that the proposer's salience scales, and the whole of ``eu_ji`` (``i``'s
    salience). Offer types are built without branches (``conf + 2 comp + 3 cap`` as NumPy does): they are
    unpredictable, and a mispredicted branch costs more than the arithmetic.
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
