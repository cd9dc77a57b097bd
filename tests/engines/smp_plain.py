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
    """One option at a time, in option order (the log-space fallback of the engine left out)."""
    n, n_opt = pv.shape[:2]
    mask = np.ones((n, 1, n_opt), dtype=bool) if option_mask is None else option_mask
    prod = np.ones(mask.shape)
    for j in range(n_opt):
        prod = np.where(mask[:, :, j : j + 1], prod * pv[:, None, :, j], prod)
    prod = np.where(mask, prod, 0.0)
    total = np.zeros(mask.shape[:2])
    for i in range(n_opt):
        total = total + prod[:, :, i]
    return cast(np.ndarray, prod / total[:, :, None])


def state_totals(u_pos, u_init, u_rcvr, target, alive=None):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
    """``_queue_utilities``' sums: status quo and each bargain, one actor's position at a time."""
    n, n_act = target.shape
    total = u_init + u_rcvr
    sq_total = np.zeros((n, n_act))
    idx = np.arange(n_act)
    tj = target[:, None, :]
    for m in range(n_act):
        here = np.ones((n, 1, 1), dtype=bool) if alive is None else alive[:, m, None, None]
        keep = (idx[None, None, :] != m) & (tj != m) & here
        total = np.where(keep, total + u_pos[:, :, m, None], total)
        sq_total = np.where(here[:, :, 0], sq_total + u_pos[:, :, m], sq_total)
    return sq_total, total


__all__ = ["cond_pce", "pairwise_victory", "state_totals", "third_parties", "util", "_row_sum"]
