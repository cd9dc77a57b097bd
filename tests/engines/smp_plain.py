"""The SMP's NumPy loops as they were before they were blocked and buffered (main at d4de1e0), kept as
the reference the engine's NumPy path is checked against, bit for bit (``test_smp_blocks.py``).

Plain and slow on purpose: one third party, one voter, one option at a time, allocating as they go.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from accord.engines.smp.params import SMPParams
from accord.engines.smp.rules import _MIN_COALITION, _row_sum, _victory, _vote


def util(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    u = (1.0 - d) * (1.0 + d * r)
    if np.any(d > 1.0):
        u = np.where(d <= 1.0, u, (1.0 - d) * (1.0 + r))
    return cast(np.ndarray, u)


def third_party_vote(params, w_m, p_im, p_jm, u_mi, u_mj, u_mm):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    if params.third_party == "full":
        a, b, c, d = u_mi + u_mi + u_mi, u_mj + u_mj + u_mj, u_mi + u_mi + u_mi, u_mj + u_mj + u_mj
    elif params.third_party == "semi":
        a, b, c, d = u_mi + u_mi + u_mm, u_mj + u_mj + u_mj, u_mi + u_mi + u_mi, u_mj + u_mj + u_mm
    else:
        a, b, c, d = u_mi + u_mi + u_mm, u_mj + u_mj + u_mm, u_mi + u_mi + u_mm, u_mj + u_mj + u_mm
    u_with_i = (p_im * a) + (p_jm * b)
    u_with_j = (p_im * c) + (p_jm * d)
    return _vote(params.voting_rule, w_m, u_with_i - u_with_j)


def third_parties(dist, r_hi, w_chal, base_ij, base_ji, params: SMPParams):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    """One third party m at a time, in actor order."""
    n, n_act = w_chal.shape
    ch_ij, ch_ji = base_ij.copy(), base_ji.copy()
    for m in range(n_act):
        r_im = r_hi[:, :, m][:, :, None]  # [n, i, 1]
        u_mi = util(dist[:, m, :][:, :, None], r_im)
        u_mj = util(dist[:, m, None, :], r_im)
        u_mm = util(dist[:, m, m][:, None, None], r_im)
        w_m = w_chal[:, m, None, None]
        c_m = _vote(params.voting_rule, w_m, u_mi - u_mj)
        c_mi = base_ij + np.maximum(c_m, 0.0)
        c_mj = base_ji - np.minimum(c_m, 0.0)
        p_im = c_mi / (c_mi + c_mj)
        p_jm = 1.0 - p_im
        v = third_party_vote(params, w_m, p_im, p_jm, u_mi, u_mj, u_mm)
        v[:, m, :] = 0.0
        v[:, :, m] = 0.0
        ch_ij = ch_ij + np.maximum(v, 0.0)
        ch_ji = ch_ji - np.minimum(v, 0.0)
    return ch_ij, ch_ji


def pairwise_victory(u: np.ndarray, w: np.ndarray, params: SMPParams) -> np.ndarray:
    """One voter at a time, in voter order."""
    n, n_voters, n_opt = u.shape
    coal = np.full((n, n_opt, n_opt), _MIN_COALITION)
    for k in range(n_voters):
        v = _vote(params.voting_rule, w[:, k, None, None], u[:, k, :, None] - u[:, k, None, :])
        coal = coal + np.maximum(v, 0.0)
    pv = _victory(params.victory_model, coal, np.swapaxes(coal, 1, 2))
    idx = np.arange(n_opt)
    pv[:, idx, idx] = 0.5
    return pv


def cond_pce(pv: np.ndarray, option_mask: np.ndarray | None = None) -> np.ndarray:
    """One option at a time, in option order, with the engine's log-space fallback."""
    n, n_opt = pv.shape[:2]
    mask = np.ones((n, 1, n_opt), dtype=bool) if option_mask is None else option_mask
    prod = np.ones(mask.shape)
    for j in range(n_opt):
        prod = np.where(mask[:, :, j : j + 1], prod * pv[:, None, :, j], prod)
    prod = np.where(mask, prod, 0.0)
    total = np.zeros(mask.shape[:2])
    for i in range(n_opt):
        total = total + prod[:, :, i]
    bad = ~(total > 0.0)
    if np.any(bad):
        d, k = np.nonzero(bad)
        logs = np.zeros((len(d), n_opt))
        for j in range(n_opt):
            logs = logs + np.where(mask[d, k, j][:, None], np.log(np.maximum(pv[d, :, j], 1e-300)), 0.0)
        logs = np.where(mask[d, k], logs, -np.inf)
        rel = np.exp(logs - logs.max(axis=1, keepdims=True))
        prod[d, k] = rel
        total[d, k] = _row_sum(rel)
    return cast(np.ndarray, prod / total[:, :, None])


def state_utilities(u_pos, u_init, u_rcvr, target, here):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    """``_queue_utilities``' sums: status quo and each bargain, one actor's position at a time."""
    n, n_act = target.shape
    total = u_init + u_rcvr
    sq_total = np.zeros((n, n_act))
    idx = np.arange(n_act)
    tj = target[:, None, :]
    for m in range(n_act):
        h = here[:, m, None, None]
        keep = (idx[None, None, :] != m) & (tj != m) & h
        total = np.where(keep, total + u_pos[:, :, m, None], total)
        sq_total = np.where(h[:, :, 0], sq_total + u_pos[:, :, m], sq_total)
    count = np.maximum(here.sum(axis=1), 1).astype(float)[:, None, None]
    return np.concatenate([sq_total[:, :, None], total], axis=2) / count


def election(u, w, params, option_mask=None):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    """``_election``: all options' pairwise victories, then the conditional election."""
    pv = pairwise_victory(u, w, params)
    mask = None if option_mask is None else option_mask[:, None, :]
    return cond_pce(pv, mask)[:, 0, :]


def settle(u, target, w_elec, params, uniforms):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    """``_settle``: every option's pairwise victories, then each queue's election among its options."""
    n, n_act = target.shape
    idx = np.arange(n_act)
    valid = target >= 0
    in_queue = valid[:, None, :] & (
        (idx[None, :, None] == idx[None, None, :]) | (target[:, None, :] == idx[None, :, None])
    )
    mask = np.concatenate([np.ones((n, n_act, 1), dtype=bool), in_queue], axis=2)
    n_opt = n_act + 1
    prob = cond_pce(pairwise_victory(u, w_elec, params), mask)
    if uniforms is None:
        return np.argmax(np.where(mask, prob, -1.0), axis=2)
    cum = np.zeros((n, n_act))
    choice = np.full((n, n_act), -1)
    last = n_opt - 1 - np.argmax(mask[:, :, ::-1], axis=2)
    for m in range(n_opt):
        cum = cum + np.where(mask[:, :, m], prob[:, :, m], 0.0)
        hit = mask[:, :, m] & (choice < 0) & (uniforms <= cum)
        choice = np.where(hit, m, choice)
    return np.where(choice < 0, last, choice)


def unique(x, tol, options=None):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    """``_unique``: the greedy loop over every actor."""
    n, n_act, n_dims = x.shape
    sq = 0.0
    for k in range(n_dims):
        dk = x[:, :, None, k] - x[:, None, :, k]
        sq = sq + dk * dk
    equiv = np.sqrt(sq) < tol
    if options is not None:
        equiv &= options[:, :, None] & options[:, None, :]
    is_unique = np.zeros((n, n_act), dtype=bool)
    for i in range(n_act):
        is_unique[:, i] = ~np.any(equiv[:, i, :i] & is_unique[:, :i], axis=1)
    if options is not None:
        is_unique &= options
    matches = equiv & is_unique[:, None, :]
    rep = n_act - 1 - np.argmax(matches[:, :, ::-1], axis=2)
    return is_unique, rep


__all__ = [
    "cond_pce",
    "election",
    "pairwise_victory",
    "settle",
    "state_utilities",
    "third_parties",
    "unique",
    "util",
]
