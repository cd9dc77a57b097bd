"""The turn's inner loops on NumPy for one run or a small batch: the third-party loop in blocks of third
parties with preallocated buffers.

Every element goes through the same IEEE operations as KTAB's loop, on the same operands; only the grouping
into array calls differs. Where this code rewrites an expression it is exact: ``x * y == y * x`` and
``x + y == y + x`` bit for bit; ``1.0 * r == r``; and the utility's clamp for distances beyond 1 becomes
``(1 - d)(1 + min(d, 1) r)``, which for ``d > 1`` is ``(1 - d)(1 + r)`` exactly, so no guard is needed.
Sums over third parties add one third party at a time, in actor order, into the running totals.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from accord.engines.smp.params import SMPParams
from accord.engines.smp.rules import _vote

__all__ = ["state_utilities", "third_parties"]

# third parties are taken in blocks of about this many (draw, m, i, j) elements: large enough that each
# NumPy call does real work, small enough that a block's buffers stay in the core's cache
_BLOCK_ELEMENTS = 2**16


def _util_flat(omd: np.ndarray, d_c: np.ndarray, r: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``_util`` as ``(1 - d) * (1 + min(d, 1) * r)`` from ``omd = 1 - d`` and ``d_c = min(d, 1)``."""
    t = np.multiply(d_c, r, out=out)
    np.add(t, 1.0, out=t)
    return cast(np.ndarray, np.multiply(omd, t, out=t))


def third_parties(
    dist: np.ndarray,
    r_hi: np.ndarray,
    w_chal: np.ndarray,
    base_ij: np.ndarray,
    base_ji: np.ndarray,
    params: SMPParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Coalition strengths ``ch_ij``, ``ch_ji`` after every third party m has joined a side.

    ``dist`` ``[n, A, A]``, ``r_hi`` ``[n, h, i]`` (h's estimate of i's risk), ``w_chal`` ``[n, A]``,
    ``base_*`` ``[n, i, j]``: the contest's principals' own strengths. What depends on (m, i) only (m's
    utility for i's and its own position, as i estimates it) is computed once; the rest per block of
    third parties ``[n, M, i, j]`` in buffers reused from block to block.
    """
    n, n_act = w_chal.shape
    # the running totals side by side: ch_ij, and ch_ji negated, so that one addition per third party
    # updates both (-(x - y) == -x + y bit for bit: rounding to nearest is symmetric)
    acc = np.stack([base_ij, np.negative(base_ji)])
    r_mi = np.ascontiguousarray(np.swapaxes(r_hi, 1, 2))  # [n, m, i]: i's estimate of m's risk
    omd = 1.0 - dist
    d_c = np.minimum(dist, 1.0)
    u_mi = _util_flat(omd, d_c, r_mi)  # [n, m, i]: U^i[m, i]
    mm = np.diagonal(dist, axis1=1, axis2=2)[:, :, None]  # dist[m, m]
    u_mm = _util_flat(1.0 - mm, np.minimum(mm, 1.0), r_mi)  # [n, m, i]: U^i[m, m]
    tp = params.third_party
    a = (u_mi + u_mi) + (u_mi if tp == "full" else u_mm)  # m's sum when joining i and i wins
    c = (u_mi + u_mi) + (u_mm if tp == "none" else u_mi)  # ... when joining j and i wins
    b_own, d_own = tp != "none", tp == "full"  # b, d: ... and j wins; u_mj (own) or u_mm as the third term
    size = max(1, min(n_act, _BLOCK_ELEMENTS // max(1, n * n_act * n_act)))
    buf = np.empty((6, n, size, n_act, n_act))
    split = np.empty((size, 2, n, n_act, n_act))  # per third party: its votes for i, and (negative) for j
    for m0 in range(0, n_act, size):
        m1 = min(m0 + size, n_act)
        k = m1 - m0
        b1, b2, b3, b4, b5, b6 = (x[:, :k] for x in buf)
        w_m = w_chal[:, m0:m1, None, None]
        col = (slice(None), slice(m0, m1), slice(None), None)  # an [n, m, i] term broadcast over j
        u_mj = _util_flat(omd[:, m0:m1, None, :], d_c[:, m0:m1, None, :], r_mi[col], out=b1)
        du = np.subtract(u_mi[col], u_mj, out=b2)
        c_m = _vote_into(params.voting_rule, w_m, du)
        c_mi = np.maximum(c_m, 0.0, out=b3)
        np.add(base_ij[:, None], c_mi, out=c_mi)
        c_mj = np.minimum(c_m, 0.0, out=b4)
        np.subtract(base_ji[:, None], c_mj, out=c_mj)
        p_im = np.divide(c_mi, np.add(c_mi, c_mj, out=b2), out=c_mi)
        p_jm = np.subtract(1.0, p_im, out=c_mj)
        two = np.add(u_mj, u_mj, out=b5)
        d = np.add(two, u_mj if d_own else u_mm[col], out=b6)
        b = np.add(two, u_mj, out=u_mj) if b_own else np.add(two, u_mm[col], out=u_mj)
        with_i = np.add(np.multiply(p_im, a[col], out=b2), np.multiply(p_jm, b, out=b), out=b2)
        with_j = np.add(np.multiply(p_im, c[col], out=p_im), np.multiply(p_jm, d, out=d), out=p_im)
        v = _vote_into(params.voting_rule, w_m, np.subtract(with_i, with_j, out=b2))
        rows = np.arange(k)
        v[:, rows, m0 + rows, :] = 0.0  # m is a principal, not a third party, in contests i = m or j = m
        v[:, rows, :, m0 + rows] = 0.0
        signed = split[:k]
        np.maximum(np.swapaxes(v, 0, 1), 0.0, out=signed[:, 0])
        np.minimum(np.swapaxes(v, 0, 1), 0.0, out=signed[:, 1])
        for q in range(k):  # one third party at a time, in actor order (adding 0.0 changes no bit)
            np.add(acc, signed[q], out=acc)
    return acc[0], np.negative(acc[1])


def _vote_into(rule: str, w: np.ndarray, du: np.ndarray) -> np.ndarray:
    """:func:`~accord.engines.smp.rules._vote`, in place in ``du`` for the proportional rule."""
    if rule == "proportional":
        return cast(np.ndarray, np.multiply(w, du, out=du))
    du[...] = _vote(rule, w, du)
    return du


def state_utilities(
    u_pos: np.ndarray, u_init: np.ndarray, u_rcvr: np.ndarray, target: np.ndarray, here: np.ndarray
) -> np.ndarray:
    """``[n, a, 1 + c]``: voter a's mean utility of the positions in the status quo and after bargain c
    (:func:`accord.engines.smp.turn._queue_utilities`; the twin of ``kernel.state_utilities``).

    ``u_pos[d, a, m]`` is a's utility of m's position, ``u_init``/``u_rcvr`` ``[n, a, c]`` a's utility of
    bargain c's two new positions, ``here`` ``[n, m]`` the actors present somewhere. Each state's sum
    adds the positions in actor order from 0.0 (KTAB's), after the bargain's two parties' new positions.
    """
    n, n_act = target.shape
    idx = np.arange(n_act)
    # row 0: the status quo; row 1 + c: bargain c, which leaves out the positions of its parties (c and
    # c's target), as every state leaves out the positions of the absent actors. A left-out position is
    # added as -0.0, which leaves every sum unchanged bit for bit (x + -0.0 == x, also for x = -0.0).
    skip = np.zeros((n, n_act, n_act + 1, 1), dtype=bool)  # [n, m, row, 1]
    skip[:, :, 1:, 0] = (idx[:, None] == idx[None, :])[None] | (target[:, None, :] == idx[:, None])
    skip |= ~here[:, :, None, None]
    total = np.empty((n, n_act + 1, n_act))  # [n, row, a]: the voters a contiguous
    total[:, 0] = 0.0
    total[:, 1:] = np.swapaxes(u_init, 1, 2) + np.swapaxes(u_rcvr, 1, 2)
    u_row = np.swapaxes(u_pos, 1, 2)[:, :, None, :]  # [n, m, 1, a]
    size = max(1, min(n_act, _BLOCK_ELEMENTS // max(1, n * (n_act + 1) * n_act)))
    for m0 in range(0, n_act, size):
        m1 = min(m0 + size, n_act)
        terms = np.where(skip[:, m0:m1], -0.0, u_row[:, m0:m1])  # [n, m, row, a]
        for q in range(m1 - m0):  # in actor order
            np.add(total, terms[:, q], out=total)
    out = np.ascontiguousarray(np.swapaxes(total, 1, 2))
    count = np.maximum(here.sum(axis=1), 1).astype(float)[:, None, None]
    return cast(np.ndarray, np.divide(out, count, out=out))
