"""Elementary rules of the SMP (KTAB ``Model::vote``, ``vProb``, ``condPCE``, ``bigRfromProb``, ``estNRA``,
``bsUtil``, ``bvDiff``) and who is present where (:class:`_Mask`).

Sums over actors run in index order, as KTAB's do, so that results are bit-identical to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from accord.engines.smp.params import SMPParams


@dataclass(frozen=True)
class _Mask:
    """Who holds a position where (``Problem.present``), for a sub-batch of draws.

    ``present`` ``[n, A, I]``; ``alive`` ``[n, A]``: present on at least one issue (an actor absent
    from every issue is no option, no target and no voter); ``options`` the same, except that a draw
    in which nobody is alive keeps every option (its elections are then meaningless but finite, and
    its outcome is the status quo); ``status_quo`` ``[n, I]`` on the 0-1 scale: the coordinate an
    absent cell holds (a placeholder the model never moves) and the outcome of an issue nobody holds.
    """

    present: np.ndarray
    alive: np.ndarray
    options: np.ndarray
    status_quo: np.ndarray

    @classmethod
    def build(cls, present: np.ndarray, status_quo: np.ndarray) -> _Mask:
        alive: np.ndarray = np.any(present, axis=2)
        options: np.ndarray = alive | ~np.any(alive, axis=1, keepdims=True)
        return cls(present, alive, options, status_quo)

    def rows(self, rows: slice | np.ndarray) -> _Mask:
        return _Mask(self.present[rows], self.alive[rows], self.options[rows], self.status_quo[rows])


def _rows(mask: _Mask | None, rows: slice | np.ndarray) -> _Mask | None:
    return None if mask is None else mask.rows(rows)


_MIN_COALITION = 1e-8  # KTAB Model::coalitions minC


_MIN_CHALLENGE = 1e-10  # KTAB probEduChlg minCltn


_MIN_BARGAIN_W = 1e-6  # KTAB interpBrgnSnPm minW


def _vote(rule: str, w: np.ndarray, du: np.ndarray) -> np.ndarray:
    """An actor's vote for option 1 over option 2 given its weight and utility difference."""
    if rule == "proportional":
        return cast(np.ndarray, w * du)
    if rule == "cubic":
        return cast(np.ndarray, w * (du * du * du))
    r_bin = np.clip(du / 1e-8, -1.0, 1.0)
    if rule == "binary":
        return w * r_bin
    if rule == "prop_bin":
        return w * ((1 - 0.2) * du + 0.2 * r_bin)
    if rule == "prop_cubic":
        return cast(np.ndarray, w * ((1 - 0.5) * du + 0.5 * (du * du * du)))
    # asymmetric prospect: losses count fully, gains two thirds
    return np.where(du < 0.0, w * du, np.where(du > 0.0, (2.0 * w * du) / 3.0, 0.0))


def _victory(model: str, s1: np.ndarray, s2: np.ndarray) -> np.ndarray:
    """Probability that the coalition of strength ``s1`` beats the one of strength ``s2``."""
    if model == "binary":
        thresh = 1.10
        mid = (s1 / (s1 + s2) * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        x1 = np.where(s1 >= thresh * s2, 1.0, np.where(s2 >= thresh * s1, 1e-6, mid))
        x2 = np.where(s1 >= thresh * s2, 1e-6, np.where(s2 >= thresh * s1, 1.0, 1.0 - mid))
    else:
        power = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}[model]
        x1, x2 = s1, s2
        for _ in range(power.bit_length() - 1):
            x1, x2 = x1 * x1, x2 * x2
    return cast(np.ndarray, x1 / (x1 + x2))


def _cond_pce(pv: np.ndarray, option_mask: np.ndarray | None = None) -> np.ndarray:
    """Conditional Condorcet election of the compiled path: P[a] proportional to the product of a's
    pairwise victories (the NumPy path's, on each election's own options, is in ``elections``).

    ``pv`` is ``[n, O, O]``. ``option_mask`` ``[n, K, O]`` describes K elections sharing those pairwise
    probabilities, each among the options it marks (the others get probability 0); by default one
    election among all options. Returns ``[n, K, O]``. The product runs over options in index order,
    as KTAB's does; if every product of an election underflows to zero (KTAB would fail) that
    election's probabilities are computed in log space instead.
    """
    from accord.engines.smp import kernel as smp_kernel

    n, n_opt = pv.shape[:2]
    mask = np.ones((n, 1, n_opt), dtype=bool) if option_mask is None else option_mask
    prod, total = smp_kernel.products(pv, mask)
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


def _election(
    u: np.ndarray, w: np.ndarray, params: SMPParams, option_mask: np.ndarray | None = None
) -> np.ndarray:
    """KTAB ``scalarPCE`` on the compiled path: voters ``[n, V]`` with utilities ``u`` ``[n, V, O]`` elect
    among O options (the NumPy path's is ``elections.election``).

    Coalition strengths start at a tiny constant and add each voter's positive votes in voter order;
    pairwise victory probabilities follow ``params.victory_model``; the option probabilities follow the
    conditional rule. Returns ``[n, O]``.
    """
    pv = _pairwise_victory(u, w, params)
    mask = None if option_mask is None else option_mask[:, None, :]
    return _cond_pce(pv, mask)[:, 0, :]


def _pairwise_victory(u: np.ndarray, w: np.ndarray, params: SMPParams) -> np.ndarray:
    """``[n, O, O]``, on the compiled path: the probability that option a beats option b, from voters
    ``[n, V]`` weighted by ``w`` (the NumPy path takes each election's own pairs, in ``elections``).

    Coalition strengths start at a tiny constant and add each voter's positive votes in voter order (the
    order KTAB sums in, which the exact match depends on); an option against itself is a coin toss.
    """
    from accord.engines.smp import kernel as smp_kernel

    n_opt = u.shape[2]
    coal = smp_kernel.coalitions(u, w, params.voting_rule, _MIN_COALITION)
    pv = _victory(params.victory_model, coal, np.swapaxes(coal, 1, 2))
    idx = np.arange(n_opt)
    pv[:, idx, idx] = 0.5
    return pv


_VOTER_BLOCK = 2**17  # voters are taken in blocks of about this many (draw, voter, option, option) elements


def _coalitions(u: np.ndarray, w: np.ndarray, rule: str) -> np.ndarray:
    """Coalition strengths ``[n, a, c]``: KTAB's minimum plus each voter's positive vote for a over c.

    The votes of a block of voters are computed at once in one buffer, then added one voter at a time,
    in voter order (the order KTAB sums in).
    """
    n, n_voters, n_opt = u.shape
    coal = np.full((n, n_opt, n_opt), _MIN_COALITION)
    size = max(1, min(n_voters, _VOTER_BLOCK // max(1, n * n_opt * n_opt)))
    buf = np.empty((n, size, n_opt, n_opt))
    for k0 in range(0, n_voters, size):
        k1 = min(k0 + size, n_voters)
        v = np.subtract(u[:, k0:k1, :, None], u[:, k0:k1, None, :], out=buf[:, : k1 - k0])
        if rule == "proportional":
            np.multiply(w[:, k0:k1, None, None], v, out=v)
        else:
            v[...] = _vote(rule, w[:, k0:k1, None, None], v)
        np.maximum(v, 0.0, out=v)
        for q in range(k1 - k0):
            np.add(coal, v[:, q], out=coal)
    return coal


def _risk_from_prob(p: np.ndarray, rng_name: str, options: np.ndarray | None = None) -> np.ndarray:
    """KTAB ``bigRfromProb``: map election probabilities to risk attitudes (most likely = most averse).

    When every option is equally likely (e.g. all actors at one position) KTAB divides by zero; here
    everybody is then risk neutral (R = 0). The range runs over the ``options`` (default: all).
    """
    if options is None:
        p_min = p.min(axis=1, keepdims=True)
        p_max = p.max(axis=1, keepdims=True)
    else:
        p_min = np.where(options, p, np.inf).min(axis=1, keepdims=True)
        p_max = np.where(options, p, -np.inf).max(axis=1, keepdims=True)
    span = p_max - p_min
    safe = np.where(span > 0.0, span, 1.0)
    if rng_name == "min":
        r = (p - p_min) / safe
    elif rng_name == "mid":
        r = (3 * p - (p_max + 2 * p_min)) / (2 * safe)
    else:
        r = (2 * p - (p_max + p_min)) / safe
    return np.where(span > 0.0, r, 0.0)


def _est_risk(r_h: np.ndarray, r_i: np.ndarray, adjust: str) -> np.ndarray:
    """h's estimate of i's risk attitude (KTAB ``estNRA``), anchored on h's own attitude."""
    if adjust == "full":
        return r_i + 0.0 * r_h
    if adjust == "two_thirds":
        return (r_h + (2.0 * r_i)) / 3.0
    if adjust == "half":
        return cast(np.ndarray, (r_h + r_i) / 2)
    if adjust == "one_third":
        return cast(np.ndarray, ((2.0 * r_h) + r_i) / 3.0)
    return r_h + 0.0 * r_i


def _util(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB ``bsUtil``: utility (1 - d)(1 + R d) of a normalised distance d in [0, 1].

    Beyond 1 (only reachable through round-off) KTAB flattens the curve to (1 - d)(1 + R).
    """
    u = (1.0 - d) * (1.0 + d * r)
    if np.any(d > 1.0):
        u = np.where(d <= 1.0, u, (1.0 - d) * (1.0 + r))
    return cast(np.ndarray, u)


def _wdist(diff: list[np.ndarray], sal: list[np.ndarray]) -> np.ndarray:
    """KTAB ``bvDiff``: salience-weighted Euclidean distance normalised by the saliences.

    ``diff`` and ``sal`` hold one broadcastable array per dimension; an actor with no salience at all
    is indifferent (distance 0 to everything) instead of KTAB's division by zero.
    """
    ds_sqr: np.ndarray | float = 0.0
    ss_sqr: np.ndarray | float = 0.0
    for dk, sk in zip(diff, sal, strict=True):
        ds = dk * sk
        ds_sqr = ds_sqr + ds * ds
        ss_sqr = ss_sqr + sk * sk
    has = ss_sqr > 0.0  # np.where broadcasts the saliences' [.., 1] over the distances' last axis
    return np.where(has, np.sqrt(ds_sqr / np.where(has, ss_sqr, 1.0)), 0.0)


def _pick(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``a[d, idx[d, k], ...]`` for every draw d and k, ``[n, K, ...]`` (``take_along_axis`` on axis 1
    without building its index grids: the same values, a fraction of the time on small arrays)."""
    return cast(np.ndarray, a[np.arange(a.shape[0])[:, None], idx])


def _row_sum(x: np.ndarray) -> np.ndarray:
    """Sum over the last axis in index order starting from 0.0 (KTAB ``sum``)."""
    total = np.zeros(x.shape[:-1])
    for k in range(x.shape[-1]):
        total = total + x[..., k]
    return total
