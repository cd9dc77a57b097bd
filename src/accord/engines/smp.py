"""Spatial model of politics (SMP) with probabilistic Condorcet elections, as in KAPSARC's KTAB ``smpc``.

Every actor holds a position in an ``I``-dimensional issue space; each turn every actor challenges the
target whose challenge promises it the largest expected gain, the two sides interpolate a bargain, and
each actor then settles the queue of bargains it is part of by a capability-weighted election. The
model's forecast is the probability-weighted mean of the positions in a Condorcet election.

The arithmetic mirrors KTAB operation for operation (same order of additions and products, the same
``round4`` of bargains) so that deterministic runs reproduce KTAB's logged positions; see
``docs/models.md (SMP chapter)`` for the equations and every convention.

Everything here is pure NumPy and batched over Monte Carlo draws: arrays carry a leading draws axis
``n``. Sums over actors are written as explicit loops over one actor axis with whole-array operations
inside, which keeps KTAB's summation order (so knife-edge decisions such as ``round4`` and the
``argmax`` of a challenge come out the same) and makes results bit-identical whatever the batch size.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np

from accord.engines.base import Problem, ProblemError, RoundHook, RoundState, Trajectory

__all__ = ["SMPParams", "SMPEngine", "engine", "run"]

VotingRule = Literal["binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"]
VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]
RiskRange = Literal["min", "mid", "max"]
RiskAdjust = Literal["full", "two_thirds", "half", "one_third", "none"]
ThirdParty = Literal["full", "semi", "none"]
Interpolation = Literal["S2P2", "S1P1", "S2PMax"]


@dataclass(frozen=True)
class SMPParams:
    """Parameters of the SMP; the defaults are KTAB's ``smpc`` defaults.

    ``ktab_compat`` keeps KTAB's two quirks (challenges weight actors by capability x total salience
    while every election weights by capability alone; each actor settles its own bargain queue, so one
    side of a bargain may move while the other does not). With ``ktab_compat=False`` all weights are
    capability x total salience and a bargain is implemented only when both parties choose it.
    """

    deterministic: bool = True
    ktab_compat: bool = True
    voting_rule: VotingRule = "proportional"
    victory_model: VictoryModel = "linear"
    risk_range: RiskRange = "mid"
    risk_adjust: RiskAdjust = "one_third"
    third_party: ThirdParty = "semi"
    interpolation: Interpolation = "S2P2"
    min_gain: float = 1e-5  # a challenge must promise more than this expected gain (KTAB minSigEDU)
    position_tol: float = 1e-3  # positions closer than this (0-1 scale) count as one (KTAB posTol)
    min_turns: int = 2  # the stopping rule is checked from this turn on
    stop_ratio: float = 0.02  # stop when a turn moves less than this fraction of the first turn
    min_sig_delta: float = 1e-4  # added to the first turn's movement to avoid 0/0
    normalize_salience: bool = False  # rescale actors whose saliences sum above 1 (else ProblemError)

    def __post_init__(self) -> None:
        choices = {
            "voting_rule": ("binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"),
            "victory_model": ("linear", "square", "quartic", "octic", "binary"),
            "risk_range": ("min", "mid", "max"),
            "risk_adjust": ("full", "two_thirds", "half", "one_third", "none"),
            "third_party": ("full", "semi", "none"),
            "interpolation": ("S2P2", "S1P1", "S2PMax"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"SMPParams.{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if self.min_turns < 1:
            raise ValueError("SMPParams.min_turns must be at least 1")


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
        alive = present.any(axis=2)
        options = alive | ~alive.any(axis=1, keepdims=True)
        return cls(present, alive, options, status_quo)

    def rows(self, rows: slice | np.ndarray) -> _Mask:
        return _Mask(self.present[rows], self.alive[rows], self.options[rows], self.status_quo[rows])


def _rows(mask: _Mask | None, rows: slice | np.ndarray) -> _Mask | None:
    return None if mask is None else mask.rows(rows)


# ----------------------------------------------------------------------------------------------
# Elementary rules (KTAB Model::vote, Model::vProb, Model::condPCE, Model::bigRfromProb, estNRA)
# ----------------------------------------------------------------------------------------------

_MIN_COALITION = 1e-8  # KTAB Model::coalitions minC
_MIN_CHALLENGE = 1e-10  # KTAB probEduChlg minCltn
_MIN_BARGAIN_W = 1e-6  # KTAB interpBrgnSnPm minW


def _vote(rule: str, w: np.ndarray, du: np.ndarray) -> np.ndarray:
    """An actor's vote for option 1 over option 2 given its weight and utility difference."""
    if rule == "proportional":
        return w * du
    if rule == "cubic":
        return w * (du * du * du)
    r_bin = np.clip(du / 1e-8, -1.0, 1.0)
    if rule == "binary":
        return w * r_bin
    if rule == "prop_bin":
        return w * ((1 - 0.2) * du + 0.2 * r_bin)
    if rule == "prop_cubic":
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
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
    return x1 / (x1 + x2)


def _cond_pce(pv: np.ndarray, option_mask: np.ndarray | None = None) -> np.ndarray:
    """Conditional Condorcet election: P[a] proportional to the product of a's pairwise victories.

    ``pv`` is ``[n, O, O]``. ``option_mask`` ``[n, K, O]`` describes K elections sharing those pairwise
    probabilities, each among the options it marks (the others get probability 0); by default one
    election among all options. Returns ``[n, K, O]``. The product runs over options in index order,
    as KTAB's does; if every product of an election underflows to zero (KTAB would fail) that
    election's probabilities are computed in log space instead.
    """
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
    return prod / total[:, :, None]


def _election(
    u: np.ndarray, w: np.ndarray, params: SMPParams, option_mask: np.ndarray | None = None
) -> np.ndarray:
    """KTAB ``scalarPCE``: voters ``[n, V]`` with utilities ``u`` ``[n, V, O]`` elect among O options.

    Coalition strengths start at a tiny constant and add each voter's positive votes in voter order;
    pairwise victory probabilities follow ``params.victory_model``; the option probabilities follow the
    conditional rule. Returns ``[n, O]``.
    """
    pv = _pairwise_victory(u, w, params)
    return _cond_pce(pv, None if option_mask is None else option_mask[:, None, :])[:, 0, :]


def _pairwise_victory(u: np.ndarray, w: np.ndarray, params: SMPParams) -> np.ndarray:
    """``[n, O, O]``: the probability that option a beats option b, from voters ``[n, V]`` weighted by ``w``.

    Coalition strengths start at a tiny constant and add each voter's positive votes in voter order (the
    order KTAB sums in, which the exact match depends on); an option against itself is a coin toss.
    """
    n, n_voters, n_opt = u.shape
    coal = np.full((n, n_opt, n_opt), _MIN_COALITION)
    for k in range(n_voters):
        v = _vote(params.voting_rule, w[:, k, None, None], u[:, k, :, None] - u[:, k, None, :])
        coal = coal + np.maximum(v, 0.0)
    pv = _victory(params.victory_model, coal, np.swapaxes(coal, 1, 2))
    idx = np.arange(n_opt)
    pv[:, idx, idx] = 0.5
    return pv


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
        return (r_h + r_i) / 2
    if adjust == "one_third":
        return ((2.0 * r_h) + r_i) / 3.0
    return r_h + 0.0 * r_i


def _util(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB ``bsUtil``: utility (1 - d)(1 + R d) of a normalised distance d in [0, 1].

    Beyond 1 (only reachable through round-off) KTAB flattens the curve to (1 - d)(1 + R).
    """
    u = (1.0 - d) * (1.0 + d * r)
    if np.any(d > 1.0):
        u = np.where(d <= 1.0, u, (1.0 - d) * (1.0 + r))
    return u


def _wdist(diff: list[np.ndarray], sal: list[np.ndarray]) -> np.ndarray:
    """KTAB ``bvDiff``: salience-weighted Euclidean distance normalised by the saliences.

    ``diff`` and ``sal`` hold one broadcastable array per dimension; an actor with no salience at all
    is indifferent (distance 0 to everything) instead of KTAB's division by zero.
    """
    ds_sqr = 0.0
    ss_sqr = 0.0
    for dk, sk in zip(diff, sal, strict=True):
        ds = dk * sk
        ds_sqr = ds_sqr + ds * ds
        ss_sqr = ss_sqr + sk * sk
    ds_sqr, ss_sqr = np.broadcast_arrays(ds_sqr, ss_sqr)
    return np.where(ss_sqr > 0.0, np.sqrt(ds_sqr / np.where(ss_sqr > 0.0, ss_sqr, 1.0)), 0.0)


def _row_sum(x: np.ndarray) -> np.ndarray:
    """Sum over the last axis in index order starting from 0.0 (KTAB ``sum``)."""
    total = np.zeros(x.shape[:-1])
    for k in range(x.shape[-1]):
        total = total + x[..., k]
    return total


# ----------------------------------------------------------------------------------------------
# State assessment: distances, unique positions, risk attitudes, win probabilities, forecast
# ----------------------------------------------------------------------------------------------


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
    is_unique = np.zeros((n, n_act), dtype=bool)
    for i in range(n_act):
        is_unique[:, i] = ~np.any(equiv[:, i, :i] & is_unique[:, :i], axis=1)
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
    p_neutral = _election(1.0 - dist, w_elec, params, option_mask=options)  # bsUtil(d, 0) == 1 - d exactly
    risk = _risk_from_prob(p_neutral, params.risk_range, options)
    own = _est_risk(risk, risk, params.risk_adjust)
    u_own = _util(dist, own[:, :, None])  # aUtil[i](i, j): i's own view of every position
    is_unique, rep = _unique(x, params.position_tol, options)
    p_unique = _election(u_own, w_elec, params, option_mask=is_unique)
    win_prob = np.take_along_axis(p_unique, rep, axis=1)
    outcome = np.zeros(x.shape[::2])
    if mask is None:
        for j in range(n_act):
            outcome = outcome + p_unique[:, j, None] * x[:, j, :]
        return _Assessment(dist=dist, risk=risk, win_prob=win_prob, outcome=outcome)
    weight = np.zeros(x.shape[::2])
    for j in range(n_act):
        pj = np.where(mask.present[:, j, :], p_unique[:, j, None], 0.0)
        outcome = outcome + pj * x[:, j, :]
        weight = weight + pj
    outcome = np.where(weight > 0, outcome / np.where(weight > 0, weight, 1.0), mask.status_quo)
    win_prob = np.where(mask.alive, win_prob, 0.0)
    return _Assessment(dist=dist, risk=risk, win_prob=win_prob, outcome=outcome)


# ----------------------------------------------------------------------------------------------
# One turn: challenges, bargains, queues
# ----------------------------------------------------------------------------------------------


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
    for m in range(n_act):  # third party m
        r_im = r_hi[:, :, m][:, :, None]  # i's estimate of m's risk attitude
        u_mi = _util(dist[:, m, :][:, :, None], r_im)  # U^i[m, i]
        u_mj = _util(dist[:, m, None, :], r_im)  # U^i[m, j]
        u_mm = _util(dist[:, m, m][:, None, None], r_im)  # U^i[m, m]
        w_m = w_chal[:, m, None, None]
        c_m = _vote(params.voting_rule, w_m, u_mi - u_mj)
        c_mi = base_ij + np.maximum(c_m, 0.0)
        c_mj = base_ji - np.minimum(c_m, 0.0)
        p_im = c_mi / (c_mi + c_mj)
        p_jm = 1.0 - p_im
        v_m = _third_party_vote(params, w_m, p_im, p_jm, u_mi, u_mj, u_mm)
        v_m[:, m, :] = 0.0  # m is a principal, not a third party, in contests i = m or j = m
        v_m[:, :, m] = 0.0
        ch_ij = ch_ij + np.maximum(v_m, 0.0)  # adding 0.0 leaves a value unchanged, bit for bit
        ch_ji = ch_ji - np.minimum(v_m, 0.0)

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
    p_win = np.where(has, np.take_along_axis(p_ij, best[:, :, None], axis=2)[:, :, 0], 0.0)
    return target, p_win


def _third_party_vote(
    params: SMPParams,
    w_m: np.ndarray,
    p_im: np.ndarray,
    p_jm: np.ndarray,
    u_mi: np.ndarray,
    u_mj: np.ndarray,
    u_mm: np.ndarray,
) -> np.ndarray:
    """KTAB ``thirdPartyVoteSU``: m compares joining i with joining j, summing three positions' utility."""
    if params.third_party == "full":
        a, b, c, d = u_mi + u_mi + u_mi, u_mj + u_mj + u_mj, u_mi + u_mi + u_mi, u_mj + u_mj + u_mj
    elif params.third_party == "semi":
        a, b, c, d = u_mi + u_mi + u_mm, u_mj + u_mj + u_mj, u_mi + u_mi + u_mi, u_mj + u_mj + u_mm
    else:
        a, b, c, d = u_mi + u_mi + u_mm, u_mj + u_mj + u_mm, u_mi + u_mi + u_mm, u_mj + u_mj + u_mm
    u_with_i = (p_im * a) + (p_jm * b)
    u_with_j = (p_im * c) + (p_jm * d)
    return _vote(params.voting_rule, w_m, u_with_i - u_with_j)


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
    x_j = np.take_along_axis(x, tj[:, :, None], axis=1)
    both = present & np.take_along_axis(present, tj[:, :, None], axis=1)
    return np.where(both, b_i, x), np.where(both, b_j, x_j)


def _interpolate(
    x: np.ndarray, s: np.ndarray, target: np.ndarray, p_win: np.ndarray, params: SMPParams
) -> tuple[np.ndarray, np.ndarray]:
    """The bargain positions of :func:`_bargains` on every issue."""
    tj = np.maximum(target, 0)
    x_j = np.take_along_axis(x, tj[:, :, None], axis=1)
    s_j = np.take_along_axis(s, tj[:, :, None], axis=1)
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
    tj = target[:, None, :]
    idx = np.arange(n_act)
    total = u_init + u_rcvr
    sq_total = np.zeros((n, n_act))
    if alive is None:
        for m in range(n_act):
            keep = (idx[None, None, :] != m) & (tj != m)
            total = np.where(keep, total + u_pos[:, :, m, None], total)
            sq_total = sq_total + u_pos[:, :, m]
        return np.concatenate([sq_total[:, :, None], total], axis=2) / n_act
    for m in range(n_act):
        here = alive[:, m, None, None]
        keep = (idx[None, None, :] != m) & (tj != m) & here
        total = np.where(keep, total + u_pos[:, :, m, None], total)
        sq_total = np.where(here[:, :, 0], sq_total + u_pos[:, :, m], sq_total)
    count = np.maximum(alive.sum(axis=1), 1).astype(float)[:, None, None]
    return np.concatenate([sq_total[:, :, None], total], axis=2) / count


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
    n, n_act = target.shape
    idx = np.arange(n_act)
    valid = target >= 0
    in_queue = valid[:, None, :] & (
        (idx[None, :, None] == idx[None, None, :]) | (target[:, None, :] == idx[None, :, None])
    )
    mask = np.concatenate([np.ones((n, n_act, 1), dtype=bool), in_queue], axis=2)  # [n, k, option]
    n_opt = n_act + 1  # the status quo and one bargain per actor
    pv = _pairwise_victory(u, w_elec, params)  # every actor votes on every option
    prob = _cond_pce(pv, mask)  # the queue elections of all actors k at once: [n, k, option]
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
        np.take_along_axis(b_init, b[:, :, None], axis=1),
        np.take_along_axis(b_rcvr, b[:, :, None], axis=1),
    )
    moves = choice > 0
    if not params.ktab_compat:
        # a bargain binds only if both parties chose it
        partner = np.where(is_init, np.take_along_axis(target, b, axis=1), b)
        partner_choice = np.take_along_axis(choice, np.maximum(partner, 0), axis=1)
        moves = moves & (partner_choice == choice)
    new_x = np.where(moves[:, :, None], mine, x)
    return new_x, target


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


# ----------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------


def _prepare(
    problem: Problem, params: SMPParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float, _Mask | None]:
    """Inputs as the model sees them: positions on [0, 1], saliences, scalar capabilities, the mask.

    An absent cell gets salience 0 and the issue's status quo as its (never moving) coordinate.
    """
    b = problem.batched()
    lo, hi = float(problem.scale[0]), float(problem.scale[1])
    if not hi > lo:
        raise ProblemError(f"scale {problem.scale} must be increasing")
    pos = b.positions
    span = hi - lo
    mask = None
    if problem.has_absent:
        sq = np.clip((b.status_quo - lo) / span, 0.0, 1.0)
        mask = _Mask.build(b.present_mask(), sq)
        pos = np.where(mask.present, pos, b.status_quo[:, None, :])
    if np.any(pos < lo - 1e-9 * span) or np.any(pos > hi + 1e-9 * span):
        raise ProblemError(f"SMP positions must lie within the scale {problem.scale}")
    x = np.clip((pos - lo) / span, 0.0, 1.0)
    s = b.salience.copy() if mask is None else np.where(mask.present, b.salience, 0.0)
    s = _check_salience(s, params)
    cap = b.capability
    if cap.ndim == 3:
        cap = _joint_capability(cap, s)
    return x, s, np.array(cap, dtype=float), lo, span, mask


def _joint_capability(cap: np.ndarray, s: np.ndarray) -> np.ndarray:
    """One capability per actor from per-issue ones ``[D, A, I]``: their salience-weighted mean.

    The SMP bargains over all issues at once with one weight per actor; weighting by salience keeps the
    challenge weight (total salience x capability) equal to the sum over issues of salience x that
    issue's capability. Identical columns give back that column exactly.
    """
    if np.all(cap == cap[:, :, :1]):
        return cap[:, :, 0]
    total = s.sum(axis=2)
    weighted = (s * cap).sum(axis=2) / np.where(total > 0, total, 1.0)
    return np.where(total > 0, weighted, cap.mean(axis=2))


def _check_salience(s: np.ndarray, params: SMPParams) -> np.ndarray:
    total = _row_sum(s)
    over = total > 1.0 + 1e-9
    if np.any(over):
        if not params.normalize_salience:
            d, a = np.argwhere(over)[0]
            raise ProblemError(
                f"SMP saliences of an actor must sum to at most 1 (KTAB: 100); actor {a} (draw {d}) sums to "
                f"{total[d, a]:.6g}; rescale them or set SMPParams(normalize_salience=True)"
            )
        s = np.where(over[:, :, None], s / np.where(over, total, 1.0)[:, :, None], s)
    return s


def _movement(x_new: np.ndarray, x_old: np.ndarray) -> np.ndarray:
    """KTAB ``stateDist``: sum over actors of the Euclidean length of their moves."""
    diff = x_new - x_old
    sq = _row_sum(diff * diff)
    return _row_sum(np.sqrt(sq))


def _draw_streams(
    n_draws: int, params: SMPParams, rng: np.random.Generator | None
) -> list[np.random.Generator]:
    """One generator per draw, each seeded by one 64-bit word of ``rng`` taken in draw order.

    Consuming exactly one word per draw makes a batch reproduce the same draws run one at a time
    (with the same generator, in order) or in any chunking.
    """
    if params.deterministic:
        return []
    source = rng if rng is not None else np.random.default_rng()
    keys = source.integers(0, 2**64, size=n_draws, dtype=np.uint64, endpoint=False)
    return [np.random.default_rng(int(k)) for k in keys]


def run(
    problem: Problem,
    params: SMPParams | None = None,
    rounds: int = 100,
    rng: np.random.Generator | None = None,
    on_round: RoundHook | None = None,
) -> Trajectory:
    """Run the SMP for at most ``rounds`` turns (KTAB: 100) with KTAB's stopping rule.

    Returned arrays always have ``rounds + 1`` turns; a draw that stops early keeps its last state for
    the remaining turns, and ``diagnostics["turns"]`` says after how many turns each draw stopped.
    ``outcome`` is the forecast at each turn: the mean of the distinct positions weighted by their
    probability of winning the risk-aware Condorcet election. Deterministic mode never touches
    ``rng``; stochastic mode takes one 64-bit word from it per draw.
    """
    params = params or SMPParams()
    if rounds < 0:
        raise ValueError("rounds must be non-negative")
    x, s, cap, lo, span, mask = _prepare(problem, params)
    n_draws, n_act, n_dims = x.shape
    streams = _draw_streams(n_draws, params, rng)

    pos_out = np.zeros((n_draws, rounds + 1, n_act, n_dims))
    out_out = np.zeros((n_draws, rounds + 1, n_dims))
    win_out = np.zeros((n_draws, rounds + 1, n_act))
    risk_out = np.zeros((n_draws, rounds + 1, n_act))
    target_out = np.full((n_draws, rounds + 1, n_act), -1)
    turns = np.zeros(n_draws, dtype=int)

    asm = _assess(x, s, cap, params, mask)
    _record(pos_out, out_out, win_out, risk_out, np.arange(n_draws), 0, x, asm, lo, span)
    dist, risk, outcome = asm.dist, asm.risk, asm.outcome  # the current state's assessment, all draws
    first_move = np.zeros(n_draws)
    active = np.arange(n_draws)
    for t in range(1, rounds + 1):
        if active.size == 0:
            break
        xa, sa, ca = x[active], s[active], cap[active]
        uniforms = None if params.deterministic else np.stack([streams[d].random(n_act) for d in active])
        ma = _rows(mask, active)
        new_x, target = _turn(xa, sa, ca, dist[active], risk[active], params, uniforms, ma)
        new_asm = _assess(new_x, sa, ca, params, ma)
        if on_round is not None:
            new_x, sa, ca, new_asm = _apply_hook(
                on_round, t, (x, s, cap, outcome), active, (new_x, sa, ca, new_asm), params, lo, span, mask
            )
        moved = _movement(new_x, xa)
        x[active], s[active], cap[active] = new_x, sa, ca
        dist[active], risk[active], outcome[active] = new_asm.dist, new_asm.risk, new_asm.outcome
        _record(pos_out, out_out, win_out, risk_out, active, t, new_x, new_asm, lo, span)
        target_out[active, t] = target
        turns[active] = t
        if t == 1:
            first_move[active] = moved + params.min_sig_delta
        quiet = (moved / first_move[active]) < params.stop_ratio
        done = (t >= rounds) | ((t >= params.min_turns) & quiet)
        active = active[~done]

    _hold_after_stop(turns, pos_out, out_out, win_out, risk_out)
    if mask is not None:  # absent cells are reported as given
        np.copyto(pos_out, problem.batched().positions[:, None], where=~mask.present[:, None])
    return Trajectory(
        positions=pos_out,
        outcome=out_out,
        diagnostics={"win_prob": win_out, "turns": turns, "risk": risk_out, "target": target_out},
        engine="smp",
        params={**asdict(params), "rounds": rounds},
    )


def _record(
    pos_out: np.ndarray,
    out_out: np.ndarray,
    win_out: np.ndarray,
    risk_out: np.ndarray,
    rows: np.ndarray,
    t: int,
    x: np.ndarray,
    asm: _Assessment,
    lo: float,
    span: float,
) -> None:
    """Store one state (positions and forecast back on the problem's scale)."""
    pos_out[rows, t] = x * span + lo
    out_out[rows, t] = asm.outcome * span + lo
    win_out[rows, t] = asm.win_prob
    risk_out[rows, t] = asm.risk


def _hold_after_stop(turns: np.ndarray, *arrays: np.ndarray) -> None:
    """Repeat each draw's last state for the turns after it stopped."""
    n_turns = arrays[0].shape[1]
    src = np.minimum(np.arange(n_turns)[None, :], turns[:, None])
    for arr in arrays:
        idx = src.reshape(src.shape + (1,) * (arr.ndim - 2))
        arr[...] = np.take_along_axis(arr, idx, axis=1)


def _apply_hook(
    on_round: RoundHook,
    t: int,
    before: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    active: np.ndarray,
    after: tuple[np.ndarray, np.ndarray, np.ndarray, _Assessment],
    params: SMPParams,
    lo: float,
    span: float,
    mask: _Mask | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Assessment]:
    """Call the round hook on the whole batch; changes are taken for the draws still bargaining only.

    ``before`` is the whole batch's last state (positions, saliences, capabilities, forecast), which
    stopped draws keep; ``after`` the new state of the ``active`` draws. Draws whose arrays the hook
    leaves unchanged keep their exact internal values, so a hook returning its input changes nothing.
    """
    x, s, cap, outcome = (a.copy() for a in before)
    new_x, sa, ca, new_asm = after
    x[active], s[active], cap[active], outcome[active] = new_x, sa, ca, new_asm.outcome
    shown = RoundState(
        round=t, positions=x * span + lo, salience=s, capability=cap, outcome=outcome * span + lo
    )
    passed = (shown.positions.copy(), shown.salience.copy(), shown.capability.copy())
    back = on_round(shown)
    if back is None:
        return new_x, sa, ca, new_asm
    got = [np.asarray(v, dtype=float) for v in (back.positions, back.salience, back.capability)]
    for name, arr, ref in zip(("positions", "salience", "capability"), got, passed, strict=True):
        if arr.shape != ref.shape:
            raise ProblemError(f"round hook returned {name} of shape {arr.shape}, expected {ref.shape}")
        if not np.all(np.isfinite(arr)):
            raise ProblemError(f"round hook returned non-finite {name}")
    if np.any(got[1] < 0) or np.any(got[2] < 0):
        raise ProblemError("round hook returned negative salience or capability")
    # per field, the active draws the hook changed; only those values are taken over
    diffs = [
        np.any(arr[active] != ref[active], axis=tuple(range(1, arr.ndim)))
        for arr, ref in zip(got, passed, strict=True)
    ]
    changed = diffs[0] | diffs[1] | diffs[2]
    if not np.any(changed):
        return new_x, sa, ca, new_asm
    rows = active[diffs[0]]
    if np.any(got[0][rows] < lo - 1e-9 * span) or np.any(got[0][rows] > lo + span * (1 + 1e-9)):
        raise ProblemError("round hook moved positions outside the scale")
    new_x, sa, ca = new_x.copy(), sa.copy(), ca.copy()
    new_x[diffs[0]] = np.clip((got[0][rows] - lo) / span, 0.0, 1.0)
    sa[diffs[1]] = _check_salience(got[1][active[diffs[1]]], params)
    ca[diffs[2]] = got[2][active[diffs[2]]]
    m_changed = _rows(mask, active[changed])
    if mask is not None:  # a hook cannot give an absent cell a position or a salience
        ma = mask.rows(active)
        new_x = np.where(ma.present, new_x, ma.status_quo[:, None, :])
        sa = np.where(ma.present, sa, 0.0)
    re = _assess(new_x[changed], sa[changed], ca[changed], params, m_changed)
    merged = _Assessment(
        new_asm.dist.copy(), new_asm.risk.copy(), new_asm.win_prob.copy(), new_asm.outcome.copy()
    )
    merged.dist[changed], merged.risk[changed] = re.dist, re.risk
    merged.win_prob[changed], merged.outcome[changed] = re.win_prob, re.outcome
    return new_x, sa, ca, merged


class SMPEngine:
    """The SMP as a registry entry (``Engine`` protocol)."""

    name = "smp"

    def run(
        self,
        problem: Problem,
        params: SMPParams | None = None,
        rounds: int = 100,
        rng: np.random.Generator | None = None,
        on_round: RoundHook | None = None,
    ) -> Trajectory:
        return run(problem, params=params, rounds=rounds, rng=rng, on_round=on_round)


engine = SMPEngine()
