"""The queue elections of a turn on NumPy, each on its own options only.

Actor k's queue holds the status quo, k's own bargain and the bargains that target k: a few options of
the A + 1. KTAB's conditional Condorcet election of a queue multiplies, for each of its options, the
pairwise victory probabilities against the queue's other options, so only the pairs inside some queue
are ever used. This module computes the coalition strengths of those pairs alone (each distinct pair
once), instead of all (A + 1)^2, with the same operations in the same order as
:func:`accord.engines.smp.rules._pairwise_victory` and :func:`accord.engines.smp.rules._cond_pce`:
voters add in voter order, products run over a queue's options in option order (an option outside the
queue multiplies by nothing; ``x * 1.0 == x`` bit for bit), sums over options in option order (an
option outside adds ``0.0``, which changes no sum of non-negative terms).
"""

from __future__ import annotations

import numpy as np

from accord.engines.smp.params import SMPParams
from accord.engines.smp.rules import _MIN_COALITION, _coalitions, _victory, _vote

__all__ = ["election", "queue_choices", "queue_options"]


def queue_options(target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each queue's options in ascending order, ``[n, k, L]`` (padded with 0), and which are real.

    Option 0 is the status quo, option 1 + i initiator i's bargain: in k's queue if i challenged
    somebody and i is k or i's target is k.
    """
    n, n_act = target.shape
    idx = np.arange(n_act)
    in_queue = (target >= 0)[:, None, :] & (
        (idx[:, None] == idx[None, :]) | (target[:, None, :] == idx[:, None])
    )
    mask = np.concatenate([np.ones((n, n_act, 1), dtype=bool), in_queue], axis=2)
    count = mask.sum(axis=2)
    width = int(count.max())
    real = np.arange(width) < count[:, :, None]
    opts = np.argsort(~mask, axis=2, kind="stable")[:, :, :width]
    return np.where(real, opts, 0), real


_PAIR_ELEMENTS = 2**18  # option pairs are taken in chunks of about this many (voter, pair) elements


def _pair_coalitions(
    u: np.ndarray, w: np.ndarray, params: SMPParams, d_p: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Coalition strengths of ``lo`` over ``hi`` and of ``hi`` over ``lo``, for each pair (in draw ``d_p``).

    ``fl(u_hi - u_lo) == -fl(u_lo - u_hi)`` bit for bit (rounding to nearest is symmetric), and every
    voting rule but the asymmetric prospect is odd in it (``vote(w, -x) == -vote(w, x)``), so one set of
    votes serves both directions: ``hi``'s coalition gains ``-min(v, 0)`` where ``lo``'s gains
    ``max(v, 0)``. Each direction's votes add in voter order from KTAB's minimum. Pairs are independent:
    they go in chunks that bound the memory.
    """
    u_v, w_v = np.swapaxes(u, 0, 1), np.swapaxes(w, 0, 1)  # [V, n, O], [V, n]
    size = max(1, _PAIR_ELEMENTS // max(1, u_v.shape[0]))
    parts = [
        _pair_chunk(u_v, w_v, params.voting_rule, d_p[s], lo[s], hi[s])
        for s in (slice(p0, p0 + size) for p0 in range(0, max(len(d_p), 1), size))
    ]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _pair_chunk(
    u_v: np.ndarray, w_v: np.ndarray, rule: str, d_p: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_pair_coalitions` for one chunk of pairs."""
    du = u_v[:, d_p, lo] - u_v[:, d_p, hi]  # [V, P]
    w_p = w_v[:, d_p]
    v = _vote(rule, w_p, du)
    # per voter: its votes for lo, and minus its votes for hi; hi's total is kept negated, so that one
    # addition per voter updates both (-(x + y) == -x + (-y) bit for bit)
    gains = np.empty((len(v), 2, len(d_p)))
    np.maximum(v, 0.0, out=gains[:, 0])
    if rule != "asym_prospect":
        np.minimum(v, 0.0, out=gains[:, 1])
    else:
        np.negative(np.maximum(_vote(rule, w_p, -du), 0.0), out=gains[:, 1])
    acc = np.repeat(np.array([[_MIN_COALITION], [-_MIN_COALITION]]), len(d_p), axis=1)
    for k in range(len(v)):  # in voter order
        np.add(acc, gains[k], out=acc)
    return acc[0], np.negative(acc[1])


def _factors(
    u: np.ndarray, w: np.ndarray, params: SMPParams, opts: np.ndarray, real: np.ndarray
) -> np.ndarray:
    """``F[e, l']``: the probability that queue member e beats its queue's option l' (1.0 past its end).

    Members e are the real entries of ``opts`` in ``np.nonzero`` order. Only the pairs of options
    sharing a queue are computed, each unordered pair once.
    """
    n, _, n_opt = u.shape
    d_e, k_e, _ = np.nonzero(real)
    a = opts[real][:, None]  # [M, 1]
    c = opts[d_e, k_e]  # [M, L]
    d_full = np.broadcast_to(d_e[:, None], c.shape)
    lo, hi = np.minimum(a, c), np.maximum(a, c)
    need = np.zeros((n, n_opt, n_opt), dtype=bool)
    need[d_full, lo, hi] = True
    need[:, np.arange(n_opt), np.arange(n_opt)] = False
    d_p, lo_p, hi_p = np.nonzero(need)
    ids = np.full((n, n_opt, n_opt), len(d_p))  # an option against itself: the entry past the pairs
    ids[d_p, lo_p, hi_p] = np.arange(len(d_p))
    s_lo, s_hi = _pair_coalitions(u, w, params, d_p, lo_p, hi_p)
    pv_lo = np.append(_victory(params.victory_model, s_lo, s_hi), 0.5)  # lo beats hi; a coin toss
    pv_hi = np.append(_victory(params.victory_model, s_hi, s_lo), 0.5)
    pair = ids[d_full, lo, hi]
    f = np.where(a < c, pv_lo[pair], pv_hi[pair])
    return np.where(real[d_e, k_e], f, 1.0)


def _queue_probabilities(f: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Each queue's election ``[n, k, L]`` (KTAB ``condPCE``) from its members' factors ``f``."""
    prod = np.ones(len(f))
    for j in range(real.shape[2]):
        prod = prod * f[:, j]
    full = np.zeros(real.shape)
    full[real] = prod
    total = np.zeros(real.shape[:2])
    for i in range(real.shape[2]):
        total = total + full[:, :, i]
    bad = ~(total > 0.0)
    if np.any(bad):  # every product underflowed: the same election in log space
        d_e, k_e, _ = np.nonzero(real)
        sel = bad[d_e, k_e]
        logs = np.zeros(int(sel.sum()))
        for j in range(real.shape[2]):
            logs = logs + np.where(real[d_e[sel], k_e[sel], j], np.log(np.maximum(f[sel, j], 1e-300)), 0.0)
        q_logs = np.full(real.shape, -np.inf)
        q_logs[real & bad[:, :, None]] = logs
        d, k = np.nonzero(bad)
        rel = np.exp(q_logs[d, k] - q_logs[d, k].max(axis=1, keepdims=True))
        full[d, k] = rel
        summed = np.zeros(len(d))
        for i in range(real.shape[2]):
            summed = summed + rel[:, i]
        total[d, k] = summed
    return full / total[:, :, None]


def queue_choices(
    u: np.ndarray, target: np.ndarray, w_elec: np.ndarray, params: SMPParams, uniforms: np.ndarray | None
) -> np.ndarray:
    """:func:`accord.engines.smp.turn._settle` on NumPy: each actor's option (0 = status quo, 1 + i = i's
    bargain), the most likely of its queue (the first on ties) or, with ``uniforms``, a draw."""
    opts, real = queue_options(target)
    prob = _queue_probabilities(_factors(u, w_elec, params, opts, real), real)
    if uniforms is None:
        best = np.argmax(np.where(real, prob, -1.0), axis=2)
        return np.take_along_axis(opts, best[:, :, None], axis=2)[:, :, 0]
    n, n_act = target.shape
    cum = np.zeros((n, n_act))
    choice = np.full((n, n_act), -1)
    for m in range(real.shape[2]):
        cum = cum + np.where(real[:, :, m], prob[:, :, m], 0.0)
        hit = real[:, :, m] & (choice < 0) & (uniforms <= cum)
        choice = np.where(hit, opts[:, :, m], choice)
    last = np.take_along_axis(opts, (real.sum(axis=2) - 1)[:, :, None], axis=2)[:, :, 0]
    return np.where(choice < 0, last, choice)


def election(
    u: np.ndarray, w: np.ndarray, params: SMPParams, option_mask: np.ndarray | None = None
) -> np.ndarray:
    """:func:`accord.engines.smp.rules._election` on NumPy: voters ``[n, V]`` with utilities ``u``
    ``[n, V, O]`` elect among the options of ``option_mask`` (default all); returns ``[n, O]``.

    Only the options in the election enter the coalitions (the others never enter a product), and the
    products and sums run over them in option order, as KTAB's do (``accumulate`` is sequential by
    definition: each partial result is the previous one times, or plus, the next term).
    """
    n, _, n_opt = u.shape
    if option_mask is None:
        opts, real = np.broadcast_to(np.arange(n_opt), (n, n_opt)), np.ones((n, n_opt), dtype=bool)
    else:
        count = option_mask.sum(axis=1)
        width = max(1, int(count.max()))
        real = np.arange(width) < count[:, None]
        opts = np.where(real, np.argsort(~option_mask, axis=1, kind="stable")[:, :width], 0)
    u_in = np.take_along_axis(u, opts[:, None, :], axis=2) if option_mask is not None else u
    coal = _coalitions(u_in, w, params.voting_rule)
    pv = _victory(params.victory_model, coal, np.swapaxes(coal, 1, 2))
    idx = np.arange(pv.shape[1])
    pv[:, idx, idx] = 0.5
    p_in = _condorcet(pv, real)
    prob = np.zeros((n, n_opt))
    d, k = np.nonzero(real)
    prob[d, opts[d, k]] = p_in[d, k]
    return prob


def _condorcet(pv: np.ndarray, real: np.ndarray) -> np.ndarray:
    """KTAB ``condPCE`` among the ``real`` options ``[n, O]`` of pairwise probabilities ``pv`` ``[n, O, O]``:
    each option's product of its victories over the others, normalised; ``[n, O]``, 0 outside."""
    factors = np.where(real[:, None, :], pv, 1.0)
    prod = np.where(real, np.multiply.accumulate(factors, axis=2)[:, :, -1], 0.0)
    total = np.add.accumulate(prod, axis=1)[:, -1]
    bad = ~(total > 0.0)
    if np.any(bad):  # every product underflowed: the same election in log space
        logs = np.zeros(prod.shape)
        for j in range(prod.shape[1]):
            logs = logs + np.where(real[:, j, None], np.log(np.maximum(pv[:, :, j], 1e-300)), 0.0)
        logs = np.where(real, logs, -np.inf)
        rel = np.exp(logs - logs.max(axis=1, keepdims=True))
        prod = np.where(bad[:, None], rel, prod)
        total = np.where(bad, np.add.accumulate(rel, axis=1)[:, -1], total)
    return prod / total[:, None]
