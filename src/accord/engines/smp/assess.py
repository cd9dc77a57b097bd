"""State assessment of the SMP: distances, unique positions, risk attitudes, win probabilities, forecast."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.engines.smp.elections import election
from accord.engines.smp.params import SMPParams
from accord.engines.smp.rules import (
    _election,
    _est_risk,
    _Mask,
    _pick,
    _risk_from_prob,
    _row_sum,
    _rows,
    _util,
    _wdist,
)


@dataclass
class _Assessment:
    """What KTAB computes for a state before (and after) bargaining, for a sub-batch of draws."""

    dist: np.ndarray  # [n, A, A] distance from i's ideal (= position) to j's position, i's saliences
    risk: np.ndarray  # [n, A] risk attitudes R_i in the chosen range
    win_prob: np.ndarray  # [n, A] probability that each actor's position wins (shared positions share)
    outcome: np.ndarray  # [n, I] probability-weighted mean position (0-1 scale)


def _distances(x: np.ndarray, s: np.ndarray) -> np.ndarray:
    n_dims = x.shape[2]
    diff = [x[:, :, None, k] - x[:, None, :, k] for k in range(n_dims)]
    sal = [s[:, :, None, k] for k in range(n_dims)]
    return _wdist(diff, sal)


def _unique(x: np.ndarray, tol: float, options: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """KTAB ``ueIndices``: greedy unique positions (first of each class) and each actor's last match.

    Returns ``is_unique`` ``[n, A]`` and ``rep`` ``[n, A]``: the index of the last unique position
    within ``tol`` of the actor's position, which is the class KTAB's ``posProb`` reports. Actors
    outside ``options`` are never unique and match nobody.
    """
    n, n_act, n_dims = x.shape
    sq = 0.0
    for k in range(n_dims):
        dk = x[:, :, None, k] - x[:, None, :, k]
        sq = sq + dk * dk
    equiv = np.sqrt(sq) < tol
    if options is not None:
        equiv &= options[:, :, None] & options[:, None, :]
    # i is unique iff no earlier unique position is within tol: the one solution U of U = F(U), F(U)[i] =
    # no j < i with equiv[i, j] and U[j]. Iterating F from any start fixes entries 0..t-1 after t steps,
    # so the iteration reaches that solution (KTAB's greedy pass) within A steps, mostly in a few.
    earlier = equiv & np.tri(n_act, k=-1, dtype=bool)
    is_unique = ~np.any(earlier, axis=2)
    for _ in range(n_act):
        step = ~np.any(earlier & is_unique[:, None, :], axis=2)
        if np.array_equal(step, is_unique):
            break
        is_unique = step
    if options is not None:
        is_unique &= options
    matches = equiv & is_unique[:, None, :]
    rep = n_act - 1 - np.argmax(matches[:, :, ::-1], axis=2)
    return is_unique, rep


def _election_weights(s: np.ndarray, cap: np.ndarray, params: SMPParams) -> np.ndarray:
    """Weights in elections: capability (KTAB), or capability x total salience without the quirks."""
    return cap if params.ktab_compat else _row_sum(s) * cap


def _assess_chunk(
    x: np.ndarray, s: np.ndarray, cap: np.ndarray, params: SMPParams, mask: _Mask | None = None
) -> _Assessment:
    """Risk attitudes from a risk-neutral election over all positions, then the risk-aware election.

    With a ``mask``, only alive actors are options, and each issue's forecast is the mean over the
    actors present on it (win probabilities renormalised), or its status quo if nobody is.
    """
    w_elec = _election_weights(s, cap, params)
    dist = _distances(x, s)
    n, n_act = dist.shape[:2]
    options = None if mask is None else mask.options
    elect = _election if params.backend == "numba" else election
    p_neutral = elect(1.0 - dist, w_elec, params, options)  # bsUtil(d, 0) == 1 - d exactly
    risk = _risk_from_prob(p_neutral, params.risk_range, options)
    own = _est_risk(risk, risk, params.risk_adjust)
    u_own = _util(dist, own[:, :, None])  # aUtil[i](i, j): i's own view of every position
    is_unique, rep = _unique(x, params.position_tol, options)
    p_unique = elect(u_own, w_elec, params, is_unique)
    win_prob = _pick(p_unique, rep)
    if mask is None:  # the sum over positions in actor order (accumulate: each partial sum adds the next)
        outcome = np.add.accumulate(p_unique[:, :, None] * x, axis=1)[:, -1]
        return _Assessment(dist=dist, risk=risk, win_prob=win_prob, outcome=outcome)
    outcome = np.zeros(x.shape[::2])
    weight = np.zeros(x.shape[::2])
    for j in range(n_act):
        pj = np.where(mask.present[:, j, :], p_unique[:, j, None], 0.0)
        outcome = outcome + pj * x[:, j, :]
        weight = weight + pj
    outcome = np.where(weight > 0, outcome / np.where(weight > 0, weight, 1.0), mask.status_quo)
    win_prob = np.where(mask.alive, win_prob, 0.0)
    return _Assessment(dist=dist, risk=risk, win_prob=win_prob, outcome=outcome)


_CHUNK_ELEMENTS = (
    2**16
)  # draws go in chunks of about this many actor pairs: bounded memory, cache-sized arrays


def _chunks(n_draws: int, n_act: int) -> list[slice]:
    size = max(1, _CHUNK_ELEMENTS // (n_act * n_act))
    return [slice(start, min(start + size, n_draws)) for start in range(0, n_draws, size)]


def _assess(
    x: np.ndarray, s: np.ndarray, cap: np.ndarray, params: SMPParams, mask: _Mask | None = None
) -> _Assessment:
    """:func:`_assess_chunk` over chunks of draws (results do not depend on the chunking)."""
    parts = [
        _assess_chunk(x[c], s[c], cap[c], params, _rows(mask, c)) for c in _chunks(x.shape[0], x.shape[1])
    ]
    if len(parts) == 1:
        return parts[0]
    return _Assessment(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in ("dist", "risk", "win_prob", "outcome"))
    )
