"""A plain, loop-by-loop implementation of the expected-utility model, used as a test oracle.

This module follows the equations of Scholz, Calbert & Smith (2011) one at a time, with Python loops
over actors and plain floats, so that a reader can check each line against ``docs/models.md (EUM chapter)``.
It is slow (``O(A^3)`` Python operations per round and issue) on purpose: the vectorised engine in
:mod:`accord.engines.eum` must agree with it, and the benchmark uses it as the baseline.

It shares with the vectorised engine only the parameter object, the move codes and the input handling
(validation, the range R, checking a hook's returned state); every formula of the model is written out
again here, independently, in the order of ``docs/models.md (EUM chapter)``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

from accord.engines.base import Problem, RoundHook, RoundState, Trajectory
from accord.engines.eum import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    MOVE_NAMES,
    NONE,
    EUMParams,
    effective_range,
    validate_problem,
    validated_hook_state,
)

__all__ = ["run", "status_quo_challenge_eu", "OracleEngine", "oracle"]


# ----------------------------------------------------------------------------------------------------
# Votes and the weighted median (docs/models.md (EUM chapter), steps 1 and 7)
# ----------------------------------------------------------------------------------------------------


def vote(k: int, a: float, b: float, x: list[float], w: list[float], r: list[float], rng_: float) -> float:
    """Voter k's support for position ``a`` over position ``b``, with k's own risk exponent."""
    return float(w[k] * ((abs(x[k] - b) / rng_) ** r[k] - (abs(x[k] - a) / rng_) ** r[k]))


def weighted_median(x: list[float], w: list[float]) -> float:
    """Lowest position whose cumulative weight (positions in ascending order) reaches half the total.

    This is the smallest weak Condorcet winner among the current positions; with zero total weight
    every actor counts once.
    """
    if sum(w) <= 0.0:
        w = [1.0] * len(x)
    order = sorted(range(len(x)), key=lambda i: (x[i], i))
    total = 0.0
    cumulative = []
    for i in order:
        total += w[i]
        cumulative.append(total)
    for pos, i in enumerate(order):
        if cumulative[pos] >= 0.5 * total:
            return x[i]
    return x[order[-1]]


def weighted_mean(x: list[float], w: list[float]) -> float:
    """Capability x salience weighted mean; with zero total weight every actor counts once."""
    if sum(w) <= 0.0:
        w = [1.0] * len(x)
    top = 0.0
    bottom = 0.0
    for xi, wi in zip(x, w, strict=True):
        top += wi * xi
        bottom += wi
    return top / bottom


# ----------------------------------------------------------------------------------------------------
# Probability of success (step 2)
# ----------------------------------------------------------------------------------------------------


def global_total(x: list[float], w: list[float], r: list[float], rng_: float) -> float:
    """Sum of absolute support over every voter and every ordered pair of actor positions."""
    n = len(x)
    total = 0.0
    for k in range(n):
        for a in range(n):
            for b in range(n):
                total += abs(vote(k, x[a], x[b], x, w, r, rng_))
    return total


def probability(
    i: int, j: int, x: list[float], w: list[float], r: list[float], rng_: float, total: float, pairwise: bool
) -> float:
    """Probability that i's position prevails over j's.

    ``global``: positive support for i over j divided by ``total``; ``pairwise``: divided by the
    absolute support in this pair only. Equal positions never contest (0); an empty denominator gives 0
    (global) or 1/2 (pairwise).
    """
    if x[i] == x[j]:
        return 0.0
    top = 0.0
    pair = 0.0
    for k in range(len(x)):
        v = vote(k, x[i], x[j], x, w, r, rng_)
        if v > 0:
            top += v
        pair += abs(v)
    if pairwise:
        return top / pair if pair > 0 else 0.5
    return top / total if total > 0 else 0.0


# ----------------------------------------------------------------------------------------------------
# Utilities and the expected utility of a challenge, seen by a viewer with exponent rv (step 3)
# ----------------------------------------------------------------------------------------------------


def distance(a: float, b: float, rng_: float) -> float:
    """Distance on the unit scale, clipped at 1 (only a hook can move anyone outside the initial range)."""
    return min(abs(a - b) / rng_, 1.0)


def u_success(a: float, b: float, rv: float, rng_: float) -> float:
    return float(2.0 - 4.0 * (0.5 - 0.5 * distance(a, b, rng_)) ** rv)


def u_failure(a: float, b: float, rv: float, rng_: float) -> float:
    return float(2.0 - 4.0 * (0.5 + 0.5 * distance(a, b, rng_)) ** rv)


def u_status_quo(rv: float) -> float:
    return float(2.0 - 4.0 * 0.5**rv)


def expected_utility(
    p: float, s_target: float, a: float, b: float, rv: float, q: float, rng_: float
) -> float:
    """E(U) of the actor at ``a`` challenging the actor at ``b`` (salience ``s_target``), exponent ``rv``.

    E = s_b [p U_s + (1 - p) U_f] + (1 - s_b) U_s - q U_sq; the references drop the (1 - q) terms.
    """
    us = u_success(a, b, rv, rng_)
    uf = u_failure(a, b, rv, rng_)
    return s_target * (p * us + (1.0 - p) * uf) + (1.0 - s_target) * us - q * u_status_quo(rv)


# ----------------------------------------------------------------------------------------------------
# Risk exponents (step 4)
# ----------------------------------------------------------------------------------------------------


def risk_from_score(score: float, params: EUMParams) -> float:
    """Map R in [-1, 1] to r, through (-1, r_max), (0, 1), (1, r_min): r = (1 - R/k1) / (1 + R/k2)."""
    lo, hi = params.r_min, params.r_max
    if lo + hi == 2.0:
        return 1.0 - score * (1.0 - lo)
    k2 = (hi - lo) / (lo + hi - 2.0)
    k1 = k2 / (k2 - lo * (k2 + 1.0))
    return (1.0 - score / k1) / (1.0 + score / k2)


def risk_exponents(
    x: list[float], s: list[float], w: list[float], rng_: float, params: EUMParams
) -> list[float]:
    """Every actor's risk exponent for this round, all computed from the same start-of-round state."""
    n = len(x)
    r0 = [params.danger_exponent] * n
    pairwise = params.normalisation == "pairwise"
    total = global_total(x, w, r0, rng_)
    danger = []
    for i in range(n):
        d = 0.0
        for j in range(n):
            if j != i:
                p = probability(j, i, x, w, r0, rng_, total, pairwise)
                d += expected_utility(p, s[i], x[j], x[i], r0[i], params.q, rng_)
        danger.append(d)
    hi, lo = max(danger), min(danger)
    spread = hi - lo
    if spread <= params.tie_tol * max(1.0, abs(hi), abs(lo)):
        return [risk_from_score(0.0, params)] * n
    return [risk_from_score((2.0 * di - hi - lo) / spread, params) for di in danger]


# ----------------------------------------------------------------------------------------------------
# Offers and moves (steps 5 and 6)
# ----------------------------------------------------------------------------------------------------


def greater(a: float, b: float, tol: float) -> bool:
    """``a > b`` with differences up to ``tol`` counted as ties."""
    return a - b > tol


def classify(eu_ij: float, eu_ji: float, variant: str, tol: float) -> int:
    """Type of j's offer to i, judged from i's view (eu_ij: i challenges j; eu_ji: j challenges i)."""
    if greater(eu_ji, eu_ij, tol) and greater(eu_ij, 0.0, tol):
        return CONFRONTATION
    if greater(eu_ji, 0.0, tol) and greater(0.0, eu_ij, tol):
        if greater(eu_ji, abs(eu_ij), tol):
            return COMPROMISE
        if variant == "reference":
            # The references' test: it compares eu_ji with its own absolute value and never holds.
            if greater(abs(eu_ji), eu_ji, tol):
                return CAPITULATION
        elif greater(abs(eu_ij), eu_ji, tol):
            return CAPITULATION
    return NONE


def pick(candidates: list[tuple[float, int]], tol: float) -> int:
    """Lowest actor index among the candidates whose key is within ``tol`` of the smallest key."""
    smallest = min(key for key, _ in candidates)
    return min(j for key, j in candidates if key <= smallest + tol)


def one_round(
    x: list[float], c: list[float], s: list[float], rng_: float, params: EUMParams
) -> dict[str, Any]:
    """One round for one (draw, issue): risk exponents, offers seen by each receiver, simultaneous moves."""
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]
    r = risk_exponents(x, s, w, rng_, params)
    pairwise = params.normalisation == "pairwise"
    total = global_total(x, w, r, rng_)
    tol = params.tie_tol
    new_x = list(x)
    move = [NONE] * n
    counterpart = [-1] * n
    eu_self = [0.0] * n
    eu_other = [0.0] * n
    offers = [[NONE] * n for _ in range(n)]  # offers[j][i]: type of j's offer to i
    for i in range(n):
        found: dict[int, list[tuple[int, float, float]]] = {
            CONFRONTATION: [],
            COMPROMISE: [],
            CAPITULATION: [],
        }
        for j in range(n):
            if j == i or x[j] == x[i]:
                continue
            p_ij = probability(i, j, x, w, r, rng_, total, pairwise)
            p_ji = probability(j, i, x, w, r, rng_, total, pairwise)
            eu_ij = expected_utility(p_ij, s[j], x[i], x[j], r[i], params.q, rng_)
            eu_ji = expected_utility(p_ji, s[i], x[j], x[i], r[i], params.q, rng_)
            kind = classify(eu_ij, eu_ji, params.variant, tol)
            offers[j][i] = kind
            if kind != NONE:
                found[kind].append((j, eu_ij, eu_ji))
        chosen = None
        if found[CONFRONTATION]:
            j = pick([(abs(x[i] - x[j]), j) for j, _, _ in found[CONFRONTATION]], tol * rng_)
            chosen = (CONFRONTATION, j)
        elif found[COMPROMISE]:
            keys = []
            for j, eu_ij, eu_ji in found[COMPROMISE]:
                value = (abs(eu_ij) * x[i] + abs(eu_ji) * x[j]) / (abs(eu_ij) + abs(eu_ji))
                keys.append((value, j))
            chosen = (COMPROMISE, pick(keys, tol * rng_))
        elif found[CAPITULATION]:
            j = pick([(abs(x[i] - x[j]), j) for j, _, _ in found[CAPITULATION]], tol * rng_)
            chosen = (CAPITULATION, j)
        if chosen is None:
            continue
        kind, j = chosen
        eu_ij, eu_ji = next((a, b) for jj, a, b in found[kind] if jj == j)
        if kind == COMPROMISE:
            new_x[i] = x[i] + (x[j] - x[i]) * abs(eu_ij / eu_ji)
        else:
            new_x[i] = x[j]
        move[i], counterpart[i], eu_self[i], eu_other[i] = kind, j, eu_ij, eu_ji
    return {
        "x": new_x,
        "risk": r,
        "move": move,
        "counterpart": counterpart,
        "eu_self": eu_self,
        "eu_other": eu_other,
        "offers": offers,
    }


# ----------------------------------------------------------------------------------------------------
# Driver: rounds outside, (draw, issue) inside, so that a round hook sees the whole batch
# ----------------------------------------------------------------------------------------------------


def run(
    problem: Problem,
    params: EUMParams | None = None,
    rounds: int = 10,
    rng: np.random.Generator | None = None,
    on_round: RoundHook | None = None,
) -> Trajectory:
    """Run the model with plain loops; same signature and output layout as :func:`accord.engines.eum.run`.

    ``rng`` is accepted and unused: the model is deterministic.
    """
    params = params or EUMParams()
    b = validate_problem(problem, rounds)
    n_draws, n_actors, n_issues = b.positions.shape
    pos = b.positions.copy()
    sal = b.salience.copy()
    cap = np.array(b.capability_per_issue(), dtype=float)
    ranges = effective_range(pos, problem.scale)  # [D, I]

    positions = np.zeros((n_draws, rounds + 1, n_actors, n_issues))
    outcome = np.zeros((n_draws, rounds + 1, n_issues))
    mean = np.zeros((n_draws, rounds + 1, n_issues))
    shape = (n_draws, rounds, n_actors, n_issues)
    risk = np.zeros(shape)
    move = np.zeros(shape, dtype=np.int8)
    counterpart = np.full(shape, -1, dtype=np.int64)
    eu_self = np.zeros(shape)
    eu_other = np.zeros(shape)
    offers = np.zeros((n_draws, rounds, n_actors, n_actors, n_issues), dtype=np.int8)

    def record(k: int) -> None:
        positions[:, k] = pos
        for d in range(n_draws):
            for t in range(n_issues):
                x = pos[d, :, t].tolist()
                w = (cap[d, :, t] * sal[d, :, t]).tolist()
                outcome[d, k, t] = weighted_median(x, w)
                mean[d, k, t] = weighted_mean(x, w)

    record(0)
    for k in range(1, rounds + 1):
        for d in range(n_draws):
            for t in range(n_issues):
                res = one_round(
                    pos[d, :, t].tolist(),
                    cap[d, :, t].tolist(),
                    sal[d, :, t].tolist(),
                    float(ranges[d, t]),
                    params,
                )
                pos[d, :, t] = res["x"]
                risk[d, k - 1, :, t] = res["risk"]
                move[d, k - 1, :, t] = res["move"]
                counterpart[d, k - 1, :, t] = res["counterpart"]
                eu_self[d, k - 1, :, t] = res["eu_self"]
                eu_other[d, k - 1, :, t] = res["eu_other"]
                offers[d, k - 1, :, :, t] = res["offers"]
        if on_round is not None:
            record(k)  # the hook sees this round's outcome
            state = RoundState(
                round=k,
                positions=pos.copy(),
                salience=sal.copy(),
                capability=cap.copy(),
                outcome=outcome[:, k].copy(),
            )
            returned = on_round(state)
            if returned is not None:
                pos, sal, cap = validated_hook_state(returned, pos.shape)
        record(k)

    diagnostics: dict[str, Any] = {
        "mean": mean,
        "risk": risk,
        "move": move,
        "counterpart": counterpart,
        "eu_self": eu_self,
        "eu_other": eu_other,
        "move_names": MOVE_NAMES,
        "range": ranges,
    }
    if params.keep_challenges:
        diagnostics["offers"] = offers
        diagnostics["challenges"] = offers != NONE
    return Trajectory(
        positions=positions,
        outcome=outcome,
        diagnostics=diagnostics,
        engine="eum-oracle",
        params=asdict(params),
    )


def status_quo_challenge_eu(
    problem: Problem, params: EUMParams | None = None, resistance: float | None = None
) -> np.ndarray:
    """Loop version of :func:`accord.engines.eum.status_quo_challenge_eu` (``[D, A, I]``).

    Each actor i, with its round-1 risk exponent, challenges a hypothetical actor at the status quo who
    casts no votes and resists with probability ``resistance`` (default: the capability-weighted mean
    salience of the actors).
    """
    params = params or EUMParams()
    b = validate_problem(problem, 0)
    n_draws, n, n_issues = b.positions.shape
    cap = np.asarray(b.capability_per_issue(), dtype=float)
    ranges = effective_range(b.positions, problem.scale)
    out = np.zeros((n_draws, n, n_issues))
    pairwise = params.normalisation == "pairwise"
    for d in range(n_draws):
        for t in range(n_issues):
            x = b.positions[d, :, t].tolist()
            s = b.salience[d, :, t].tolist()
            c = cap[d, :, t].tolist()
            sq = float(b.status_quo[d, t])
            rng_ = float(ranges[d, t])
            w = [c[k] * s[k] for k in range(n)]
            if resistance is not None:
                res = resistance
            else:
                res = sum(c[k] * s[k] for k in range(n)) / sum(c) if sum(c) > 0 else sum(s) / n
            r = risk_exponents(x, s, w, rng_, params)
            total = global_total(x, w, r, rng_)
            for i in range(n):
                if x[i] == sq:
                    p = 0.0
                else:
                    top = 0.0
                    pair = 0.0
                    for k in range(n):
                        v = w[k] * ((abs(x[k] - sq) / rng_) ** r[k] - (abs(x[k] - x[i]) / rng_) ** r[k])
                        top += max(v, 0.0)
                        pair += abs(v)
                    if pairwise:
                        p = top / pair if pair > 0 else 0.5
                    else:
                        p = top / total if total > 0 else 0.0
                out[d, i, t] = expected_utility(p, res, x[i], sq, r[i], params.q, rng_)
    return out


class OracleEngine:
    """The oracle as an :class:`~accord.engines.base.Engine` (registry name ``eum-oracle``)."""

    name = "eum-oracle"

    def run(
        self,
        problem: Problem,
        params: EUMParams | None = None,
        rounds: int = 10,
        rng: np.random.Generator | None = None,
        on_round: RoundHook | None = None,
    ) -> Trajectory:
        return run(problem, params, rounds, rng, on_round)


oracle = OracleEngine()
