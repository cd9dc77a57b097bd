"""The SMP's third-party loop as one compiled loop (Numba, no ``fastmath``): the same IEEE operations
in the same order as the NumPy code in :mod:`accord.engines.smp.blocks`, so the results are bit-identical.

Numba is optional (``pip install accord[fast]``); without it, or for small problems where importing and
loading the compiled code costs more than it saves, the engine uses NumPy. Compiled code is cached on
disk (``cache=True``), so only the first run on a machine pays for compilation. Importing this module
imports Numba: the engine does so only when it has chosen the compiled path.
"""

from __future__ import annotations

import numpy as np

from accord.engines.numba_load import load

numba = load()  # Numba without the SciPy import of its BLAS probe: see numba_load

__all__ = ["VOTING_RULES", "THIRD_PARTY", "coalitions", "products", "state_utilities", "third_parties"]

VOTING_RULES = ("proportional", "cubic", "binary", "prop_bin", "prop_cubic", "asym_prospect")
THIRD_PARTY = ("full", "semi", "none")


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _vote(rule: int, w: float, du: float) -> float:
    if rule == 0:
        return w * du
    if rule == 1:
        return w * (du * du * du)
    r_bin = min(max(du / 1e-8, -1.0), 1.0)
    if rule == 2:
        return w * r_bin
    if rule == 3:
        return w * ((1 - 0.2) * du + 0.2 * r_bin)
    if rule == 4:
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if du < 0.0:
        return w * du
    if du > 0.0:
        return (2.0 * w * du) / 3.0
    return 0.0


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _util(d: float, r: float) -> float:
    if d <= 1.0:
        return (1.0 - d) * (1.0 + d * r)
    return (1.0 - d) * (1.0 + r)


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _util_flat(d: float, r: float) -> float:
    """:func:`_util` without the branch (a select the compiler can vectorise): for d > 1 it computes
    (1 - d)(1 + 1.0 * r), and 1.0 * r is r exactly, so the bits are the same."""
    return (1.0 - d) * (1.0 + min(d, 1.0) * r)


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _semi_votes(ch_ij, ch_ji, base_ij, base_ji, dist, b, i, m, r, w, u_mi, u_mm, j0, j1):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """Third party m's proportional, semi-committed votes in the contests (i, j), j0 <= j < j1: the
    arithmetic of :func:`_kernel` (``rule == 0``, ``tp == 1``) in the same order, in a loop without
    branches so that it runs on SIMD lanes (each j is its own element: nothing is reassociated)."""
    a = u_mi + u_mi + u_mm
    c = u_mi + u_mi + u_mi
    for j in range(j0, j1):
        u_mj = _util_flat(dist[b, m, j], r)
        c_m = w * (u_mi - u_mj)
        c_mi = base_ij[b, i, j] + max(c_m, 0.0)
        c_mj = base_ji[b, i, j] - min(c_m, 0.0)
        p_im = c_mi / (c_mi + c_mj)
        p_jm = 1.0 - p_im
        bb = u_mj + u_mj + u_mj
        d = u_mj + u_mj + u_mm
        v = w * (((p_im * a) + (p_jm * bb)) - ((p_im * c) + (p_jm * d)))
        ch_ij[b, i, j] += max(v, 0.0)
        ch_ji[b, i, j] -= min(v, 0.0)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _kernel_semi(dist, r_hi, w_chal, base_ij, base_ji):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    """:func:`_kernel` for KTAB's defaults (proportional votes, semi-committed third parties)."""
    n, n_act = w_chal.shape
    ch_ij = base_ij.copy()
    ch_ji = base_ji.copy()
    for b in range(n):
        for i in range(n_act):
            for m in range(n_act):
                if m == i:
                    continue
                r = r_hi[b, i, m]
                u_mi = _util(dist[b, m, i], r)
                u_mm = _util(dist[b, m, m], r)
                w = w_chal[b, m]
                # m is a principal, not a third party, in the contest j = m: skipped
                _semi_votes(ch_ij, ch_ji, base_ij, base_ji, dist, b, i, m, r, w, u_mi, u_mm, 0, m)
                _semi_votes(ch_ij, ch_ji, base_ij, base_ji, dist, b, i, m, r, w, u_mi, u_mm, m + 1, n_act)
    return ch_ij, ch_ji


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _kernel(dist, r_hi, w_chal, base_ij, base_ji, rule, tp):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    n, n_act = w_chal.shape
    ch_ij = base_ij.copy()
    ch_ji = base_ji.copy()
    for b in range(n):
        for i in range(n_act):
            for m in range(n_act):
                if m == i:
                    continue
                r = r_hi[b, i, m]
                u_mi = _util(dist[b, m, i], r)
                u_mm = _util(dist[b, m, m], r)
                w = w_chal[b, m]
                for j in range(n_act):
                    if j == m:  # m is a principal there: no vote
                        continue
                    u_mj = _util(dist[b, m, j], r)
                    c_m = _vote(rule, w, u_mi - u_mj)
                    c_mi = base_ij[b, i, j] + max(c_m, 0.0)
                    c_mj = base_ji[b, i, j] - min(c_m, 0.0)
                    p_im = c_mi / (c_mi + c_mj)
                    p_jm = 1.0 - p_im
                    if tp == 0:
                        a = u_mi + u_mi + u_mi
                        bb = u_mj + u_mj + u_mj
                        c = u_mi + u_mi + u_mi
                        d = u_mj + u_mj + u_mj
                    elif tp == 1:
                        a = u_mi + u_mi + u_mm
                        bb = u_mj + u_mj + u_mj
                        c = u_mi + u_mi + u_mi
                        d = u_mj + u_mj + u_mm
                    else:
                        a = u_mi + u_mi + u_mm
                        bb = u_mj + u_mj + u_mm
                        c = u_mi + u_mi + u_mm
                        d = u_mj + u_mj + u_mm
                    v = _vote(rule, w, ((p_im * a) + (p_jm * bb)) - ((p_im * c) + (p_jm * d)))
                    ch_ij[b, i, j] += max(v, 0.0)
                    ch_ji[b, i, j] -= min(v, 0.0)
    return ch_ij, ch_ji


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _coalitions(u, w, rule, start):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    n, n_voters, n_opt = u.shape
    coal = np.full((n, n_opt, n_opt), start)
    for b in range(n):
        for k in range(n_voters):
            wk = w[b, k]
            for a in range(n_opt):
                ua = u[b, k, a]
                for c in range(n_opt):
                    coal[b, a, c] += max(_vote(rule, wk, ua - u[b, k, c]), 0.0)
    return coal


def coalitions(u: np.ndarray, w: np.ndarray, voting_rule: str, start: float) -> np.ndarray:
    """Compiled coalition strengths of :func:`accord.engines.smp.rules._pairwise_victory` (same bits)."""
    args = [np.ascontiguousarray(a, dtype=np.float64) for a in (u, w)]
    result: np.ndarray = _coalitions(*args, VOTING_RULES.index(voting_rule), start)  # type: ignore[call-arg]  # numba stubs
    return result


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _products(pv, mask):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    n, n_el, n_opt = mask.shape
    prod = np.zeros((n, n_el, n_opt))
    total = np.zeros((n, n_el))
    for b in range(n):
        for k in range(n_el):
            for a in range(n_opt):
                if not mask[b, k, a]:
                    continue
                p = 1.0
                for j in range(n_opt):
                    if mask[b, k, j]:
                        p = p * pv[b, a, j]
                prod[b, k, a] = p
            t = 0.0
            for a in range(n_opt):
                t = t + prod[b, k, a]
            total[b, k] = t
    return prod, total


def products(pv: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Compiled products and totals of :func:`accord.engines.smp.rules._cond_pce` (same bits)."""
    result: tuple[np.ndarray, np.ndarray] = _products(
        np.ascontiguousarray(pv, dtype=np.float64), np.ascontiguousarray(mask, dtype=np.bool_)
    )
    return result


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _state_utilities(u_pos, u_init, u_rcvr, target, alive):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    n, n_act, _ = u_pos.shape
    out = np.empty((n, n_act, n_act + 1))
    for b in range(n):
        count = 0
        for m in range(n_act):
            if alive[b, m]:
                count += 1
        count = max(count, 1)
        tgt = target[b]
        total = np.empty(n_act)
        for a in range(n_act):
            sq = 0.0
            for m in range(n_act):
                if alive[b, m]:
                    sq = sq + u_pos[b, a, m]
            out[b, a, 0] = sq / count
            # per bargain c, the sum over m in index order (the loops swapped so that the inner one,
            # over c, has no dependence and runs on SIMD lanes; each total still adds m = 0, 1, ...)
            for c in range(n_act):
                total[c] = u_init[b, a, c] + u_rcvr[b, a, c]
            for m in range(n_act):
                if not alive[b, m]:
                    continue
                u = u_pos[b, a, m]
                for c in range(n_act):
                    total[c] = total[c] + u if (m != c and tgt[c] != m) else total[c]
            for c in range(n_act):
                out[b, a, c + 1] = total[c] / count
    return out


def state_utilities(
    u_pos: np.ndarray, u_init: np.ndarray, u_rcvr: np.ndarray, target: np.ndarray, alive: np.ndarray
) -> np.ndarray:
    """Compiled queue utilities of :func:`accord.engines.smp.turn._queue_utilities` (same bits)."""
    args = [np.ascontiguousarray(a, dtype=np.float64) for a in (u_pos, u_init, u_rcvr)]
    result: np.ndarray = _state_utilities(  # type: ignore[call-arg]  # numba stubs
        *args, np.ascontiguousarray(target, dtype=np.int64), np.ascontiguousarray(alive, dtype=np.bool_)
    )
    return result


def third_parties(
    dist: np.ndarray,
    r_hi: np.ndarray,
    w_chal: np.ndarray,
    base_ij: np.ndarray,
    base_ji: np.ndarray,
    voting_rule: str,
    third_party: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Compiled :func:`accord.engines.smp.turn._third_parties` (same arguments, same bits)."""
    args = [np.ascontiguousarray(a, dtype=np.float64) for a in (dist, r_hi, w_chal, base_ij, base_ji)]
    result: tuple[np.ndarray, np.ndarray]
    if voting_rule == "proportional" and third_party == "semi":
        result = _kernel_semi(*args)  # type: ignore[call-arg]  # numba stubs
        return result
    result = _kernel(*args, VOTING_RULES.index(voting_rule), THIRD_PARTY.index(third_party))  # type: ignore[call-arg]  # numba stubs
    return result
