"""Bueno de Mesquita's expected-utility model (EUM) as replicated by Scholz, Calbert & Smith (2011).

Vectorised with NumPy over a batch axis that joins Monte Carlo draws and issues: every issue of every
draw is an independent one-dimensional model, so ``[D, A, I]`` inputs become ``[D * I, A]`` rows and
each round is a handful of array operations on ``[rows, A, A]`` blocks. The paper's pairwise
probability needs, for every pair of positions, a sum over all voters (``A^3`` work per row); here it is
computed from prefix sums over voters sorted by position, because in one dimension the voters who
prefer ``x_i`` to ``x_j`` are exactly those on ``x_i``'s side of the midpoint. That makes a round
``O(A^2 log A)`` per row instead of ``O(A^3)``.

The mathematics, every convention of the reference replications and the variants are documented in
``docs/models-eum.md``; :mod:`accord.engines.eum_oracle` is a loop-by-loop transcription used as the
test oracle. The model is deterministic: ``rng`` is accepted for the engine interface and never used.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from accord.engines.base import Problem, ProblemError, RoundHook, RoundState, Trajectory

__all__ = [
    "EUMParams",
    "EUMEngine",
    "engine",
    "run",
    "status_quo_challenge_eu",
    "status_quo_stability",
    "MOVE_NAMES",
    "NONE",
    "CONFRONTATION",
    "COMPROMISE",
    "CAPITULATION",
]

NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
MOVE_NAMES: tuple[str, ...] = ("none", "confrontation", "compromise", "capitulation")
VARIANTS = ("reference", "paper")
NORMALISATIONS = ("global", "pairwise")


@dataclass(frozen=True)
class EUMParams:
    """Parameters of the EUM; the defaults are the replication's values.

    ``variant``: ``"paper"`` (default) applies the capitulation test as the paper states it;
    ``"reference"`` reproduces the public replications exactly, including their capitulation test that
    can never hold. Everything else is shared by both variants.
    ``normalisation``: ``"global"`` (the replications: one total over all pairs and voters) or
    ``"pairwise"`` (Bueno de Mesquita's: the two probabilities of a pair add up to 1).
    ``q``: probability that the status quo holds without a challenge (the replications drop the
    ``(1 - q)`` better/worse terms, so ``q`` only scales the status-quo utility).
    ``r_min``, ``r_max``: range of the risk exponents (the paper's ``(1 - R/3) / (1 + R/3)`` maps
    ``R in [-1, 1]`` to ``[0.5, 2]``); any ``0 < r_min < 1 < r_max`` works.
    ``danger_exponent``: the exponent every actor uses while dangers are computed (1 in the paper).
    ``tie_tol``: comparisons of expected utilities (absolute), of dangers (relative) and of offer keys
    (relative to the range) treat differences up to this size as ties, so that results never hinge on
    floating-point rounding; 0 gives the references' exact comparisons.
    ``keep_challenges``: keep the ``[D, R, A, A, I]`` offer matrices in the diagnostics.
    ``max_chunk_elements``: bound on ``rows * A * A`` per internal chunk (memory); never changes results.
    """

    variant: Literal["reference", "paper"] = "paper"
    normalisation: Literal["global", "pairwise"] = "global"
    q: float = 1.0
    r_min: float = 0.5
    r_max: float = 2.0
    danger_exponent: float = 1.0
    tie_tol: float = 1e-12
    keep_challenges: bool = True
    max_chunk_elements: int = 1_000_000

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, got {self.variant!r}")
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(f"normalisation must be one of {NORMALISATIONS}, got {self.normalisation!r}")
        if not 0.0 <= self.q <= 1.0:
            raise ValueError(f"q is a probability, got {self.q}")
        if not 0.0 < self.r_min < 1.0 < self.r_max < np.inf:
            raise ValueError(f"need 0 < r_min < 1 < r_max, got r_min={self.r_min}, r_max={self.r_max}")
        if not 0.0 < self.danger_exponent < np.inf:
            raise ValueError(f"danger_exponent must be positive, got {self.danger_exponent}")
        if not 0.0 <= self.tie_tol < 1e-3:
            raise ValueError(f"tie_tol must be in [0, 1e-3), got {self.tie_tol}")
        if int(self.max_chunk_elements) < 1:
            raise ValueError("max_chunk_elements must be at least 1")


# ----------------------------------------------------------------------------------------------------
# Input handling shared with the oracle
# ----------------------------------------------------------------------------------------------------


def validate_problem(problem: Problem, rounds: int) -> Problem:
    """The batched problem, after the checks the EUM adds to :class:`Problem`'s own."""
    if not isinstance(problem, Problem):
        raise ProblemError(f"expected a Problem, got {type(problem).__name__}")
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise ProblemError(f"rounds must be a non-negative integer, got {rounds!r}")
    b = problem.batched()
    if np.any(b.salience > 1.0):
        raise ProblemError("the EUM reads salience as a probability of resistance: it must lie in [0, 1]")
    return b


def effective_range(positions: np.ndarray, scale: tuple[float, float]) -> np.ndarray:
    """Range ``R`` per draw and issue, ``[D, I]``, from the initial positions ``[D, A, I]``.

    The references take the range once from the initial positions and keep it. When all actors start
    at one position (``R = 0``) nothing can move, and any positive number would do; the width of the
    problem's scale is used (1 if that is not positive either) so that a hook that later moves someone
    still gets finite distances.
    """
    spread = positions.max(axis=1) - positions.min(axis=1)
    width = float(scale[1]) - float(scale[0])
    fallback = width if np.isfinite(width) and width > 0 else 1.0
    return np.where(spread > 0, spread, fallback)


def validated_hook_state(state: RoundState, shape: tuple[int, int, int]) -> tuple[np.ndarray, ...]:
    """Positions, salience and capability (``[D, A, I]`` copies) from a hook's returned state."""
    if not isinstance(state, RoundState):
        raise ProblemError(f"a round hook must return a RoundState or None, got {type(state).__name__}")
    pos = np.array(state.positions, dtype=float)
    sal = np.array(state.salience, dtype=float)
    cap = np.array(state.capability, dtype=float)
    if cap.shape == shape[:2]:
        cap = np.repeat(cap[:, :, None], shape[2], axis=2)
    for name, arr in (("positions", pos), ("salience", sal), ("capability", cap)):
        if arr.shape != shape:
            raise ProblemError(f"hook returned {name} of shape {arr.shape}, expected {shape}")
        if not np.all(np.isfinite(arr)):
            raise ProblemError(f"hook returned {name} with NaN or infinite values")
    if np.any(sal < 0) or np.any(sal > 1) or np.any(cap < 0):
        raise ProblemError("hook returned salience outside [0, 1] or negative capability")
    return pos, sal, cap


# ----------------------------------------------------------------------------------------------------
# Batched building blocks; every array has the row (draw x issue) axis first
# ----------------------------------------------------------------------------------------------------


def _power(base: np.ndarray, exponent: np.ndarray | float) -> np.ndarray:
    """``base ** exponent``, skipping the (exact) identity when the exponent is the scalar 1."""
    if np.ndim(exponent) == 0 and float(exponent) == 1.0:
        return base
    return base**exponent


def _risk_from_score(score: np.ndarray, params: EUMParams) -> np.ndarray:
    """Map ``R in [-1, 1]`` to ``r`` through (-1, r_max), (0, 1), (1, r_min): ``(1 - R/k1) / (1 + R/k2)``."""
    lo, hi = params.r_min, params.r_max
    if lo + hi == 2.0:
        return 1.0 - score * (1.0 - lo)
    k2 = (hi - lo) / (lo + hi - 2.0)
    k1 = k2 / (k2 - lo * (k2 + 1.0))
    return (1.0 - score / k1) / (1.0 + score / k2)


def _midpoint_counts(x: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """``counts[b, i, j]`` = number of voters strictly left of the midpoint of ``x_i`` and ``x_j``.

    A batched binary search of the midpoints in the sorted positions ``xs`` (``[b, A]``).
    """
    n_rows, n = x.shape
    mid = ((x[:, :, None] + x[:, None, :]) * 0.5).reshape(n_rows, n * n)
    lo = np.zeros(mid.shape, dtype=np.intp)
    hi = np.full(mid.shape, n, dtype=np.intp)
    for _ in range(int(n).bit_length()):
        probe = (lo + hi) >> 1
        value = np.take_along_axis(xs, np.minimum(probe, n - 1), axis=1)
        left = (value < mid) & (probe < hi)
        lo = np.where(left, probe + 1, lo)
        hi = np.where(left, hi, probe)
    return lo.reshape(n_rows, n, n)


@dataclass
class _Geometry:
    """What a round needs about positions alone: shared by the danger and the offer phase."""

    x: np.ndarray  # [b, A]
    rng: np.ndarray  # [b]
    gap: np.ndarray  # [b, A, A] |x_i - x_j|
    dist: np.ndarray  # [b, A, A] |x_i - x_j| / R
    dist_sorted: np.ndarray  # [b, A, A] each row of dist in ascending order
    order: np.ndarray  # [b, A] actors by position (stable)
    counts: np.ndarray  # [b, A, A] voters strictly left of each pair's midpoint
    lower: np.ndarray  # [b, A, A] x_i < x_j
    upper: np.ndarray  # [b, A, A] x_i > x_j
    distinct: np.ndarray  # [b, A, A] x_i != x_j


def _geometry(x: np.ndarray, rng_: np.ndarray) -> _Geometry:
    gap = np.abs(x[:, :, None] - x[:, None, :])
    dist = gap / rng_[:, None, None]
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    lower = x[:, :, None] < x[:, None, :]
    upper = x[:, :, None] > x[:, None, :]
    return _Geometry(
        x=x,
        rng=rng_,
        gap=gap,
        dist=dist,
        dist_sorted=np.sort(dist, axis=-1),
        order=order,
        counts=_midpoint_counts(x, xs),
        lower=lower,
        upper=upper,
        distinct=lower | upper,
    )


def _probabilities(geo: _Geometry, w: np.ndarray, r: np.ndarray | float, params: EUMParams) -> np.ndarray:
    """``p[b, i, j]``: probability that ``x_i`` prevails over ``x_j`` (section 4 of the paper).

    Voter k supports ``a`` over ``b`` by ``u_kb - u_ka`` with ``u_ka = w_k (|x_k - x_a| / R)^{r_k}``.
    The positive part of that, summed over voters, is the support of the voters on ``a``'s side of the
    pair's midpoint, read off prefix sums of ``u`` over voters in position order.
    """
    n_rows, n = w.shape
    r_col = r[:, :, None] if np.ndim(r) else r
    u = w[:, :, None] * _power(geo.dist, r_col)  # [b, k, a]
    by_position = np.take_along_axis(u, geo.order[:, :, None], axis=1)
    prefix = np.zeros((n_rows, n + 1, n))
    np.cumsum(by_position, axis=1, out=prefix[:, 1:, :])
    left = np.take_along_axis(prefix, geo.counts, axis=1)  # [b, i, j] = prefix[b, c_ij, j]
    left = left - left.transpose(0, 2, 1)  # support for i over j from voters left of the midpoint
    total = prefix[:, -1, :]  # [b, a]: sum over all voters of u_ka
    right = (total[:, None, :] - total[:, :, None]) - left
    support = np.where(geo.lower, left, np.where(geo.upper, right, 0.0))
    support = np.maximum(support, 0.0)
    if params.normalisation == "pairwise":
        pair = support + support.transpose(0, 2, 1)
        safe = np.where(pair > 0, pair, 1.0)
        p = np.where(pair > 0, support / safe, 0.5)
    else:
        coef = 2.0 * (2.0 * np.arange(n) - (n - 1))  # sum_{a,b} |y_a - y_b| = sum_m coef_m y_(m)
        spread = (_power(geo.dist_sorted, r_col) * coef).sum(axis=-1)  # [b, k]
        grand = (w * spread).sum(axis=-1)  # [b]
        safe = np.where(grand > 0, grand, 1.0)
        p = np.where(grand[:, None, None] > 0, support / safe[:, None, None], 0.0)
    return np.where(geo.distinct, p, 0.0)


def _utilities(dist: np.ndarray, rv: np.ndarray | float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``U_s``, ``U_f`` (``[b, A, A]``) and ``U_sq`` (``[b, A, 1]``) seen by row actor with exponent rv."""
    d = np.minimum(dist, 1.0)
    rv_col = rv[:, :, None] if np.ndim(rv) else rv
    us = 2.0 - 4.0 * _power(0.5 - 0.5 * d, rv_col)
    uf = 2.0 - 4.0 * _power(0.5 + 0.5 * d, rv_col)
    usq = 2.0 - 4.0 * _power(np.full((1, 1, 1), 0.5), rv_col)
    return us, uf, usq


def _expected(p: np.ndarray, s_target: np.ndarray, us: np.ndarray, uf: np.ndarray, usq: np.ndarray, q: float):
    """``E = s_b [p U_s + (1 - p) U_f] + (1 - s_b) U_s - q U_sq`` (operation order as in the oracle)."""
    return s_target * (p * us + (1.0 - p) * uf) + (1.0 - s_target) * us - q * usq


def _risk(geo: _Geometry, s: np.ndarray, w: np.ndarray, params: EUMParams) -> np.ndarray:
    """Risk exponents ``[b, A]`` (section 5): dangers at a common exponent, scaled to [-1, 1], mapped."""
    n_rows, n = w.shape
    r0 = params.danger_exponent
    p = _probabilities(geo, w, r0, params)
    us, uf, usq = _utilities(geo.dist, r0)
    # eu[b, i, j]: E(U) of j challenging i, from i's view (target salience s_i)
    eu = _expected(p.transpose(0, 2, 1), s[:, :, None], us, uf, usq, params.q)
    eu[:, np.arange(n), np.arange(n)] = 0.0
    danger = np.ascontiguousarray(eu).sum(axis=-1)
    hi = danger.max(axis=1, keepdims=True)
    lo = danger.min(axis=1, keepdims=True)
    spread = hi - lo
    flat = spread <= params.tie_tol * np.maximum(1.0, np.maximum(np.abs(hi), np.abs(lo)))
    score = np.where(flat, 0.0, (2.0 * danger - hi - lo) / np.where(flat, 1.0, spread))
    return _risk_from_score(score, params)


def _classify(eu_ij: np.ndarray, eu_ji: np.ndarray, variant: str, tol: float) -> np.ndarray:
    """Offer types ``[b, i, j]`` of j's offer to i, judged from i's view (section 6)."""
    conf = (eu_ji - eu_ij > tol) & (eu_ij - 0.0 > tol)
    quadrant = (eu_ji - 0.0 > tol) & (0.0 - eu_ij > tol)
    comp = quadrant & (eu_ji - np.abs(eu_ij) > tol)
    if variant == "reference":
        # The references compare eu_ji with its own absolute value: this never holds.
        cap = quadrant & ~comp & (np.abs(eu_ji) - eu_ji > tol)
    else:
        cap = quadrant & ~comp & (np.abs(eu_ij) - eu_ji > tol)
    kind = np.zeros(eu_ij.shape, dtype=np.int8)
    kind[cap] = CAPITULATION
    kind[comp] = COMPROMISE
    kind[conf] = CONFRONTATION
    return kind


def _pick(mask: np.ndarray, key: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row actor: whether any offer qualifies, and the lowest index with key within tol of the minimum."""
    keyed = np.where(mask, key, np.inf)
    smallest = keyed.min(axis=-1, keepdims=True)
    near = mask & (keyed <= smallest + tol)
    return mask.any(axis=-1), np.argmax(near, axis=-1)


def _round(
    x: np.ndarray, s: np.ndarray, w: np.ndarray, rng_: np.ndarray, params: EUMParams
) -> dict[str, Any]:
    """One round for a chunk of rows: risk exponents, offers, and simultaneous moves."""
    n_rows, n = x.shape
    geo = _geometry(x, rng_)
    r = _risk(geo, s, w, params)
    p = _probabilities(geo, w, r, params)
    us, uf, usq = _utilities(geo.dist, r)
    eu_ij = _expected(p, s[:, None, :], us, uf, usq, params.q)
    eu_ji = _expected(p.transpose(0, 2, 1), s[:, :, None], us, uf, usq, params.q)
    tol = params.tie_tol
    kind = _classify(eu_ij, eu_ji, params.variant, tol)
    kind[~geo.distinct] = NONE
    key_tol = (tol * rng_)[:, None, None]
    abs_ij, abs_ji = np.abs(eu_ij), np.abs(eu_ji)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (abs_ij * x[:, :, None] + abs_ji * x[:, None, :]) / (abs_ij + abs_ji)
    has_conf, j_conf = _pick(kind == CONFRONTATION, geo.gap, key_tol)
    has_comp, j_comp = _pick(kind == COMPROMISE, value, key_tol)
    has_cap, j_cap = _pick(kind == CAPITULATION, geo.gap, key_tol)
    move = np.where(
        has_conf, CONFRONTATION, np.where(has_comp, COMPROMISE, np.where(has_cap, CAPITULATION, NONE))
    )
    j = np.where(has_conf, j_conf, np.where(has_comp, j_comp, j_cap))
    rows = np.arange(n_rows)[:, None]
    cols = np.arange(n)[None, :]
    x_j = x[rows, j]
    e_ij = eu_ij[rows, cols, j]
    e_ji = eu_ji[rows, cols, j]
    moved = move != NONE
    with np.errstate(divide="ignore", invalid="ignore"):
        compromise = x + (x_j - x) * np.abs(e_ij / e_ji)
    new_x = np.where(move == COMPROMISE, compromise, np.where(moved, x_j, x))
    return {
        "x": new_x,
        "risk": r,
        "move": move.astype(np.int8),
        "counterpart": np.where(moved, j, -1),
        "eu_self": np.where(moved, e_ij, 0.0),
        "eu_other": np.where(moved, e_ji, 0.0),
        "offers": kind.transpose(0, 2, 1) if params.keep_challenges else None,  # [b, proposer, receiver]
    }


def _weights_or_equal(w: np.ndarray) -> np.ndarray:
    """Capability x salience weights, or equal weights for rows where all of them are zero."""
    return np.where(w.sum(axis=-1, keepdims=True) > 0, w, 1.0)


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Lowest position whose cumulative weight (ascending positions) reaches half the total, per row.

    With linear utilities this is the smallest weak Condorcet winner among the current positions; it
    is the references' pairwise-vote winner whenever that winner is unique.
    """
    w = _weights_or_equal(w)
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    cumulative = np.cumsum(np.take_along_axis(w, order, axis=-1), axis=-1)
    reached = cumulative >= 0.5 * cumulative[:, -1:]
    return np.take_along_axis(xs, np.argmax(reached, axis=-1)[:, None], axis=-1)[:, 0]


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Capability x salience weighted mean per row (equal weights where all weights are zero)."""
    w = _weights_or_equal(w)
    return (w * x).sum(axis=-1) / w.sum(axis=-1)


# ----------------------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------------------


def _to_rows(a: np.ndarray) -> np.ndarray:
    """``[D, A, I]`` -> ``[D * I, A]`` (contiguous copy)."""
    d, n, i = a.shape
    return np.ascontiguousarray(a.transpose(0, 2, 1)).reshape(d * i, n)


def _from_rows(a: np.ndarray, n_draws: int, n_issues: int) -> np.ndarray:
    """``[D * I, A, ...]`` -> ``[D, A, ..., I]``."""
    shaped = a.reshape((n_draws, n_issues) + a.shape[1:])
    return np.moveaxis(shaped, 1, -1)


def _chunks(n_rows: int, n_actors: int, max_elements: int) -> list[slice]:
    size = max(1, int(max_elements) // max(1, n_actors * n_actors))
    return [slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


def run(
    problem: Problem,
    params: EUMParams | None = None,
    rounds: int = 10,
    rng: np.random.Generator | None = None,
    on_round: RoundHook | None = None,
) -> Trajectory:
    """Run the EUM for ``rounds`` rounds on every draw and issue of ``problem``.

    Returns positions ``[D, R+1, A, I]``, the weighted median ``[D, R+1, I]`` as outcome, and the
    diagnostics described in ``docs/models-eum.md``. ``rng`` is unused (the model is deterministic).
    ``on_round`` is called after each round with the batched state; a returned :class:`RoundState`
    replaces positions, salience and capability from then on (the range ``R`` stays the initial one).
    """
    params = params or EUMParams()
    b = validate_problem(problem, rounds)
    n_draws, n_actors, n_issues = b.positions.shape
    x = _to_rows(b.positions)
    s = _to_rows(b.salience)
    c = _to_rows(np.asarray(b.capability_per_issue(), dtype=float))
    rng_rows = np.ascontiguousarray(effective_range(b.positions, problem.scale)).reshape(-1)
    n_rows = x.shape[0]
    chunks = _chunks(n_rows, n_actors, params.max_chunk_elements)

    history_x = [x]
    outcome = [weighted_median(x, c * s)]
    mean = [weighted_mean(x, c * s)]
    per_round: dict[str, list[np.ndarray]] = {
        k: [] for k in ("risk", "move", "counterpart", "eu_self", "eu_other")
    }
    offers: list[np.ndarray] = []
    for k in range(1, rounds + 1):
        w = c * s
        parts = [_round(x[sl], s[sl], w[sl], rng_rows[sl], params) for sl in chunks]
        x = np.concatenate([part["x"] for part in parts])
        for name, store in per_round.items():
            store.append(np.concatenate([part[name] for part in parts]))
        if params.keep_challenges:
            offers.append(np.concatenate([part["offers"] for part in parts]))
        if on_round is not None:
            state = RoundState(
                round=k,
                positions=_from_rows(x, n_draws, n_issues).copy(),
                salience=_from_rows(s, n_draws, n_issues).copy(),
                capability=_from_rows(c, n_draws, n_issues).copy(),
                outcome=weighted_median(x, c * s).reshape(n_draws, n_issues),
            )
            returned = on_round(state)
            if returned is not None:
                pos_h, sal_h, cap_h = validated_hook_state(returned, b.positions.shape)
                x, s, c = _to_rows(pos_h), _to_rows(sal_h), _to_rows(cap_h)
        history_x.append(x)
        outcome.append(weighted_median(x, c * s))
        mean.append(weighted_mean(x, c * s))

    def stack_rows(items: list[np.ndarray], empty_shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        """``R`` arrays ``[rows, A, ...]`` -> ``[D, R, A, ..., I]``."""
        if not items:
            return np.zeros((n_draws, 0) + empty_shape + (n_issues,), dtype=dtype)
        return np.stack([_from_rows(a, n_draws, n_issues) for a in items], axis=1).astype(dtype, copy=False)

    positions = stack_rows(history_x, (n_actors,), float)
    diagnostics: dict[str, Any] = {
        "mean": np.stack([m.reshape(n_draws, n_issues) for m in mean], axis=1),
        "risk": stack_rows(per_round["risk"], (n_actors,), float),
        "move": stack_rows(per_round["move"], (n_actors,), np.int8),
        "counterpart": stack_rows(per_round["counterpart"], (n_actors,), np.int64),
        "eu_self": stack_rows(per_round["eu_self"], (n_actors,), float),
        "eu_other": stack_rows(per_round["eu_other"], (n_actors,), float),
        "move_names": MOVE_NAMES,
        "range": rng_rows.reshape(n_draws, n_issues),
    }
    if params.keep_challenges:
        diagnostics["offers"] = stack_rows(offers, (n_actors, n_actors), np.int8)
        diagnostics["challenges"] = diagnostics["offers"] != NONE
    return Trajectory(
        positions=positions,
        outcome=np.stack([m.reshape(n_draws, n_issues) for m in outcome], axis=1),
        diagnostics=diagnostics,
        engine="eum",
        params=asdict(params),
    )


# ----------------------------------------------------------------------------------------------------
# Can a frozen status quo hold?
# ----------------------------------------------------------------------------------------------------


def status_quo_challenge_eu(
    problem: Problem, params: EUMParams | None = None, resistance: float = 1.0
) -> np.ndarray:
    """``[D, A, I]``: each actor's expected utility of challenging the status quo, from its own view.

    The status quo is treated as a hypothetical actor at ``problem.status_quo`` that casts no votes and
    resists with probability ``resistance`` (1: a challenge is always contested). Everything else is the
    start of round 1: the actors' risk exponents for the initial positions, their votes, the same
    normalisation of the probability (global: the round's total over actor pairs; pairwise: this
    pair's absolute support) and the initial range ``R`` (distances to the status quo clipped at 1).
    """
    params = params or EUMParams()
    if not 0.0 <= resistance <= 1.0:
        raise ValueError(f"resistance is a probability, got {resistance}")
    b = validate_problem(problem, 0)
    n_draws, n, n_issues = b.positions.shape
    x = _to_rows(b.positions)
    s = _to_rows(b.salience)
    c = _to_rows(np.asarray(b.capability_per_issue(), dtype=float))
    sq = np.ascontiguousarray(b.status_quo).reshape(-1)  # [D * I]
    rng_ = np.ascontiguousarray(effective_range(b.positions, problem.scale)).reshape(-1)
    out = np.empty_like(x)
    for sl in _chunks(x.shape[0], n, params.max_chunk_elements):
        out[sl] = _status_quo_eu_rows(x[sl], s[sl], c[sl] * s[sl], sq[sl], rng_[sl], params, resistance)
    return _from_rows(out, n_draws, n_issues)


def _status_quo_eu_rows(
    x: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    sq: np.ndarray,
    rng_: np.ndarray,
    params: EUMParams,
    resistance: float,
) -> np.ndarray:
    geo = _geometry(x, rng_)
    r = _risk(geo, s, w, params)
    to_sq = np.abs(x - sq[:, None]) / rng_[:, None]  # [b, k]
    to_actor = geo.dist  # [b, k, i]
    votes = w[:, :, None] * (_power(to_sq[:, :, None], r[:, :, None]) - _power(to_actor, r[:, :, None]))
    support = np.maximum(votes, 0.0).sum(axis=1)  # [b, i]
    if params.normalisation == "pairwise":
        pair = np.abs(votes).sum(axis=1)
        p = np.where(pair > 0, support / np.where(pair > 0, pair, 1.0), 0.5)
    else:
        n = x.shape[1]
        coef = 2.0 * (2.0 * np.arange(n) - (n - 1))
        grand = (w * (_power(geo.dist_sorted, r[:, :, None]) * coef).sum(axis=-1)).sum(axis=-1)
        p = np.where(grand[:, None] > 0, support / np.where(grand > 0, grand, 1.0)[:, None], 0.0)
    p = np.where(x != sq[:, None], p, 0.0)
    d = np.minimum(to_sq, 1.0)
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5**r
    return resistance * (p * us + (1.0 - p) * uf) + (1.0 - resistance) * us - params.q * usq


def status_quo_stability(
    problem: Problem, params: EUMParams | None = None, resistance: float = 1.0
) -> np.ndarray:
    """``[D, I]`` booleans: True where no actor with positive capability gains by challenging the status quo.

    "Gains" means an expected utility above ``params.tie_tol`` in :func:`status_quo_challenge_eu`.
    """
    params = params or EUMParams()
    eu = status_quo_challenge_eu(problem, params, resistance)
    cap = np.asarray(problem.batched().capability_per_issue())
    return ~np.any((cap > 0) & (eu > params.tie_tol), axis=1)


class EUMEngine:
    """The EUM as an :class:`~accord.engines.base.Engine`: registry name ``eum``."""

    name = "eum"

    def run(
        self,
        problem: Problem,
        params: EUMParams | None = None,
        rounds: int = 10,
        rng: np.random.Generator | None = None,
        on_round: RoundHook | None = None,
    ) -> Trajectory:
        return run(problem, params, rounds, rng, on_round)


engine = EUMEngine()
