"""One SMP turn: challenges (with the third-party loop), bargains and the queue elections."""

from __future__ import annotations

from typing import cast

import numpy as np

from accord.engines.smp.assess import _Assessment, _chunks, _election_weights
from accord.engines.smp.blocks import state_utilities, third_parties
from accord.engines.smp.elections import queue_choices
from accord.engines.smp.params import SMPParams
from accord.engines.smp.rules import (
    _MIN_BARGAIN_W,
    _MIN_CHALLENGE,
    _cond_pce,
    _est_risk,
    _Mask,
    _pairwise_victory,
    _pick,
    _row_sum,
    _rows,
    _util,
    _vote,
    _wdist,
)


def _challenges(
    dist: np.ndarray,
    risk: np.ndarray,
    w_chal: np.ndarray,
    s_tot: np.ndarray,
    params: SMPParams,
    alive: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's best target and its estimated probability of beating it (KTAB ``probEduChlg``).

    All quantities are i's own estimates (h = k = i). The target j yields outright with probability
    1 - s_j; otherwise they contest, and every third party n joins the side it prefers given its view
    of the little contest between i and j (semi-commitment by default). Shapes: ``[n, i, j]`` inside,
    one loop over third parties n. Returns ``target`` ``[n, A]`` (-1: no challenge) and ``p_win``.
    """
    n, n_act = risk.shape
    r_hi = _est_risk(risk[:, :, None], risk[:, None, :], params.risk_adjust)  # [n, h, i]
    d_t = np.swapaxes(dist, 1, 2)  # d_t[:, i, j] = dist[:, j, i]
    u_ii = _util(np.diagonal(dist, axis1=1, axis2=2), np.diagonal(r_hi, axis1=1, axis2=2))[:, :, None]
    u_ij = _util(dist, np.diagonal(r_hi, axis1=1, axis2=2)[:, :, None])  # U^i[i, j]
    u_ji = _util(d_t, r_hi)  # U^i[j, i]: i's view (risk r_ij) of j's utility for i's position
    u_jj = _util(np.diagonal(dist, axis1=1, axis2=2)[:, None, :], r_hi)  # U^i[j, j]

    w_i = w_chal[:, :, None]
    w_j = w_chal[:, None, :]
    c_i = _vote(params.voting_rule, w_i, u_ii - u_ij)
    c_j = _vote(params.voting_rule, w_j, u_ji - u_jj)
    ch_ij = (_MIN_CHALLENGE + np.maximum(c_i, 0.0)) + np.maximum(c_j, 0.0)
    ch_ji = (_MIN_CHALLENGE - np.minimum(c_i, 0.0)) - np.minimum(c_j, 0.0)
    base_ij, base_ji = ch_ij, ch_ji

    idx = np.arange(n_act)
    ch_ij, ch_ji = _third_parties(dist, r_hi, w_chal, base_ij, base_ji, params)

    p_ij = ch_ij / (ch_ij + ch_ji)
    p_ji = ch_ji / (ch_ij + ch_ji)
    s_j = s_tot[:, None, :]
    eu_sq = u_ii + u_ij
    eu_vict = u_ii + u_ii
    eu_lose = u_ij + u_ij
    eu_contest = p_ij * eu_vict + p_ji * eu_lose
    eu_chlg = (1 - s_j) * eu_vict + s_j * eu_contest
    gain = eu_chlg - eu_sq

    ok = (gain > params.min_gain) & (idx[:, None] != idx[None, :])
    if alive is not None:  # nobody challenges, or is challenged by, an actor absent from every issue
        ok &= alive[:, :, None] & alive[:, None, :]
    masked = np.where(ok, gain, -np.inf)
    best = np.argmax(masked, axis=2)
    has = np.any(ok, axis=2)
    target = np.where(has, best, -1)
    p_win = np.where(has, p_ij[np.arange(n)[:, None], idx[None, :], best], 0.0)
    return target, p_win


def _third_parties(
    dist: np.ndarray,
    r_hi: np.ndarray,
    w_chal: np.ndarray,
    base_ij: np.ndarray,
    base_ji: np.ndarray,
    params: SMPParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Coalition strengths ``ch_ij``, ``ch_ji`` after every third party m has joined a side
    (:func:`accord.engines.smp.blocks.third_parties`, or its compiled twin: the same bits).

    Each third party m votes in every contest (i, j) it is not a principal of, KTAB
    ``thirdPartyVoteSU``: it compares joining i with joining j, summing three positions' utility as i
    estimates them, and its votes are added to the running totals one third party at a time, in actor
    order, exactly as KTAB sums.
    """
    if params.backend == "numba":
        from accord.engines.smp import kernel as smp_kernel

        return smp_kernel.third_parties(
            dist, r_hi, w_chal, base_ij, base_ji, params.voting_rule, params.third_party
        )
    return third_parties(dist, r_hi, w_chal, base_ij, base_ji, params)


def _round4(x: np.ndarray) -> np.ndarray:
    """KTAB's ``round4``: ``(int)(0.5 + 10000 x) / 10000`` (truncation toward zero)."""
    return np.trunc(0.5 + (x * 10000.0)) / 10000.0


def _bargains(
    x: np.ndarray,
    s: np.ndarray,
    target: np.ndarray,
    p_win: np.ndarray,
    params: SMPParams,
    present: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The initiator's interpolated bargain for every challenge: positions for initiator and target.

    Per dimension, the two positions are averaged with weights (salience x win probability)^2 (S2P2),
    a tiny weight tilting toward each side's own position, and rounded to 4 decimals. On an issue
    where either side is absent (``present``), both keep their own coordinate.
    """
    b_i, b_j = _interpolate(x, s, target, p_win, params)
    if present is None:
        return b_i, b_j
    tj = np.maximum(target, 0)
    x_j = _pick(x, tj)
    both = present & _pick(present, tj)
    return np.where(both, b_i, x), np.where(both, b_j, x_j)


def _interpolate(
    x: np.ndarray, s: np.ndarray, target: np.ndarray, p_win: np.ndarray, params: SMPParams
) -> tuple[np.ndarray, np.ndarray]:
    """The bargain positions of :func:`_bargains` on every issue."""
    tj = np.maximum(target, 0)
    x_j = _pick(x, tj)
    s_j = _pick(s, tj)
    p_i = p_win[:, :, None]
    p_j = 1 - p_i
    if params.interpolation == "S2PMax":
        di = np.where(p_j > p_i, p_j - p_i, 0.0)
        dj = np.where(p_i > p_j, p_i - p_j, 0.0)
        si2, sj2 = s * s, s_j * s_j
        dik = (di * sj2) / ((di * sj2) + _MIN_BARGAIN_W + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + _MIN_BARGAIN_W + ((1 - dj) * sj2))
        return x + dik * (x_j - x), x_j + djk * (x - x_j)
    if params.interpolation == "S2P2":
        wi, wj = (s * s) * (p_i * p_i), (s_j * s_j) * (p_j * p_j)
    else:
        wi, wj = s * p_i, s_j * p_j
    denom = wi + _MIN_BARGAIN_W + wj
    b_i = _round4(((wi + _MIN_BARGAIN_W) * x + wj * x_j) / denom)
    b_j = _round4((wi * x + (_MIN_BARGAIN_W + wj) * x_j) / denom)
    return b_i, b_j


def _queue_utilities(
    x: np.ndarray,
    s: np.ndarray,
    asm: _Assessment,
    target: np.ndarray,
    b_init: np.ndarray,
    b_rcvr: np.ndarray,
    params: SMPParams,
    alive: np.ndarray | None = None,
) -> np.ndarray:
    """Utility to every actor of the state after each bargain, ``[n, A voters, 1 + A bargains]``.

    Option 0 is the status quo; option 1 + i is initiator i's bargain, assumed implemented by both
    parties. A state's utility is the mean over actors' positions of the voter's utility for them
    (over the ``alive`` actors' positions only, when some are absent from every issue).
    """
    n, n_act, n_dims = x.shape
    own = _est_risk(asm.risk, asm.risk, params.risk_adjust)
    u_pos = _util(asm.dist, own[:, :, None])  # [n, a, m]: a's utility of m's current position
    r_a = asm.risk[:, :, None]
    diff_i = [x[:, :, None, k] - b_init[:, None, :, k] for k in range(n_dims)]
    diff_j = [x[:, :, None, k] - b_rcvr[:, None, :, k] for k in range(n_dims)]
    sal = [s[:, :, None, k] for k in range(n_dims)]
    u_init = _util(_wdist(diff_i, sal), r_a)  # [n, a, b]
    u_rcvr = _util(_wdist(diff_j, sal), r_a)
    here = np.ones((n, n_act), dtype=bool) if alive is None else alive
    if params.backend == "numba":
        from accord.engines.smp import kernel as smp_kernel

        return smp_kernel.state_utilities(u_pos, u_init, u_rcvr, target, here)
    return state_utilities(u_pos, u_init, u_rcvr, target, here)


def _settle(
    u: np.ndarray,
    target: np.ndarray,
    w_elec: np.ndarray,
    params: SMPParams,
    uniforms: np.ndarray | None,
) -> np.ndarray:
    """Each actor's choice from its queue: option index (0 = status quo, 1 + i = i's bargain).

    Actor k's queue holds the status quo, its own bargain and every bargain targeting it; the options
    are elected by all actors weighted by ``w_elec``. Deterministic mode takes the most likely option
    (first in queue order on ties); stochastic mode draws from the probabilities with ``uniforms``.
    """
    if params.backend != "numba":
        return queue_choices(u, target, w_elec, params, uniforms)
    n, n_act = target.shape
    idx = np.arange(n_act)
    valid = target >= 0
    in_queue = valid[:, None, :] & (
        (idx[None, :, None] == idx[None, None, :]) | (target[:, None, :] == idx[None, :, None])
    )
    mask = np.concatenate([np.ones((n, n_act, 1), dtype=bool), in_queue], axis=2)  # [n, k, option]
    n_opt = n_act + 1  # the status quo and one bargain per actor
    pv = _pairwise_victory(u, w_elec, params)  # every actor votes on every option
    prob = _cond_pce(pv, mask)  # the queue elections of all actors k at once
    if uniforms is None:
        return cast(np.ndarray, np.argmax(np.where(mask, prob, -1.0), axis=2))
    cum = np.zeros((n, n_act))
    choice = np.full((n, n_act), -1)
    last = n_opt - 1 - np.argmax(mask[:, :, ::-1], axis=2)
    for m in range(n_opt):
        cum = cum + np.where(mask[:, :, m], prob[:, :, m], 0.0)
        hit = mask[:, :, m] & (choice < 0) & (uniforms <= cum)
        choice = np.where(hit, m, choice)
    return np.where(choice < 0, last, choice)


def _turn_chunk(
    x: np.ndarray,
    s: np.ndarray,
    cap: np.ndarray,
    asm: _Assessment,
    params: SMPParams,
    uniforms: np.ndarray | None,
    mask: _Mask | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One bargaining turn from positions ``x`` (0-1 scale). Returns new positions and the targets."""
    s_tot = _row_sum(s)
    w_chal = s_tot * cap
    w_elec = _election_weights(s, cap, params)
    alive = None if mask is None else mask.alive
    target, p_win = _challenges(asm.dist, asm.risk, w_chal, s_tot, params, alive)
    b_init, b_rcvr = _bargains(x, s, target, p_win, params, None if mask is None else mask.present)
    u = _queue_utilities(x, s, asm, target, b_init, b_rcvr, params, alive)
    choice = _settle(u, target, w_elec, params, uniforms)
    n, n_act = target.shape
    idx = np.arange(n_act)
    b = np.maximum(choice - 1, 0)  # the initiator of the chosen bargain
    is_init = b == idx[None, :]
    mine = np.where(
        is_init[:, :, None],
        _pick(b_init, b),
        _pick(b_rcvr, b),
    )
    moves = choice > 0
    if not params.ktab_compat:
        # a bargain binds only if both parties chose it
        partner = np.where(is_init, _pick(target, b), b)
        partner_choice = _pick(choice, np.maximum(partner, 0))
        moves = moves & (partner_choice == choice)
    new_x = np.where(moves[:, :, None], mine, x)
    return new_x, target


def _turn(
    x: np.ndarray,
    s: np.ndarray,
    cap: np.ndarray,
    dist: np.ndarray,
    risk: np.ndarray,
    params: SMPParams,
    uniforms: np.ndarray | None,
    mask: _Mask | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_turn_chunk` over chunks of draws."""
    parts = []
    for c in _chunks(x.shape[0], x.shape[1]):
        now = _Assessment(dist[c], risk[c], np.empty(0), np.empty(0))
        u_c = None if uniforms is None else uniforms[c]
        parts.append(_turn_chunk(x[c], s[c], cap[c], now, params, u_c, _rows(mask, c)))
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
