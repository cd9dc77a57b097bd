"""Can a frozen status quo hold? The EUM's expected utility of challenging it, per actor."""

from __future__ import annotations

from typing import cast

import numpy as np

from accord.engines.base import Problem
from accord.engines.eum.engine import _chunks, _from_rows, _groups, _to_rows
from accord.engines.eum.geometry import _geometry, _power, _risk, _support
from accord.engines.eum.params import EUMParams, effective_range, validate_problem


def status_quo_challenge_eu(
    problem: Problem, params: EUMParams | None = None, resistance: float | None = None
) -> np.ndarray:
    """``[D, A, I]``: each actor's expected utility of challenging the status quo, from its own view.

    The status quo is treated as a hypothetical actor at ``problem.status_quo`` that casts no votes and
    resists a challenge with probability ``resistance``; by default the capability-weighted mean
    salience of the actors (the status quo is defended as much as the actors, weighted by their
    capability, care about the issue). Everything else is the start of round 1 with the same
    formulas: the actors' risk exponents for the initial positions, their votes for ``x_i`` over the
    status quo, the same normalisation of the probability (global: the round's total over the actors'
    pairs; pairwise: this pair's absolute support) and the initial range ``R`` (distances to the status
    quo clipped at 1).
    """
    params = params or EUMParams()
    if resistance is not None and not 0.0 <= resistance <= 1.0:
        raise ValueError(f"resistance is a probability, got {resistance}")
    b = validate_problem(problem, 0)
    n_draws, n, n_issues = b.positions.shape
    x = _to_rows(b.positions)
    s = _to_rows(b.salience)
    c = _to_rows(np.asarray(b.capability_per_issue(), dtype=float))
    if resistance is None:
        cap_total = c.sum(axis=-1)
        res = np.where(
            cap_total > 0, (c * s).sum(axis=-1) / np.where(cap_total > 0, cap_total, 1.0), s.mean(-1)
        )
    else:
        res = np.full(x.shape[0], float(resistance))
    sq = np.ascontiguousarray(b.status_quo).reshape(-1)  # [D * I]
    rng_ = np.ascontiguousarray(effective_range(b.positions, problem.scale, b.present)).reshape(-1)
    present = None if b.present is None else _to_rows(b.present)
    if present is not None and resistance is None:  # the defence counts the present actors only
        cp = np.where(present, c, 0.0)
        cap_total = cp.sum(axis=-1)
        res = np.where(cap_total > 0, (cp * s).sum(axis=-1) / np.where(cap_total > 0, cap_total, 1.0), 0.0)
    out = np.zeros_like(x)  # absent actors: 0 (they cannot challenge)
    for g in _groups(present, x.shape[0]):
        xg, sg, cg = g.take(x), g.take(s), g.take(c)
        rows = g.rows
        eu = np.empty_like(xg)
        for sl in _chunks(xg.shape[0], xg.shape[1], params.max_chunk_elements):
            r = rows[sl]
            eu[sl] = _status_quo_eu_rows(xg[sl], sg[sl], cg[sl] * sg[sl], sq[r], rng_[r], params, res[r])
        g.put(out, eu)
    return np.ascontiguousarray(_from_rows(out, n_draws, n_issues))


def _status_quo_eu_rows(
    x: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    sq: np.ndarray,
    rng_: np.ndarray,
    params: EUMParams,
    resistance: np.ndarray,
) -> np.ndarray:
    geo = _geometry(x, rng_)
    r = _risk(geo, s, w, params)
    to_sq = np.abs(x - sq[:, None]) / rng_[:, None]  # [b, k]
    to_actor = np.abs(x[:, :, None] - x[:, None, :]) / rng_[:, None, None]  # [b, i, k]
    # votes[b, i, k]: voter k's support for x_i over the status quo
    votes = w[:, None, :] * (_power(to_sq, r)[:, None, :] - _power(to_actor, r[:, None, :]))
    support = np.maximum(votes, 0.0).sum(axis=-1)  # [b, i]
    if params.normalisation == "pairwise":
        pair = np.abs(votes).sum(axis=-1)
        p = np.where(pair > 0, support / np.where(pair > 0, pair, 1.0), 0.5)
    else:
        grand = 2.0 * _support(geo, w, r).sum(axis=(1, 2))  # the round's global total
        p = np.where(grand[:, None] > 0, support / np.where(grand > 0, grand, 1.0)[:, None], 0.0)
    p = np.where(x != sq[:, None], p, 0.0)
    d = np.minimum(to_sq, 1.0)
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5**r
    res = resistance[:, None]
    return cast(np.ndarray, res * (p * us + (1.0 - p) * uf) + (1.0 - res) * us - params.q * usq)


def status_quo_stability(
    problem: Problem, params: EUMParams | None = None, resistance: float | None = None
) -> np.ndarray:
    """``[D, I]`` booleans: True where no present actor with positive capability gains by challenging
    the status quo.

    "Gains" means an expected utility above ``params.tie_tol`` in :func:`status_quo_challenge_eu`.
    """
    params = params or EUMParams()
    eu = status_quo_challenge_eu(problem, params, resistance)
    cap = np.asarray(problem.batched().capability_per_issue())
    able = cap > 0
    if problem.present is not None:
        able &= problem.present_mask()
    return cast(np.ndarray, ~np.any(able & (eu > params.tie_tol), axis=1))
