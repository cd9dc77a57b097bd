"""The SMP's driver: inputs as the model sees them, the turn loop with KTAB's stopping rule, round hooks,
the choice of backend, and the engine object.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Literal

import numpy as np

from accord.engines.base import Problem, ProblemError, RoundHook, RoundState, Trajectory
from accord.engines.smp.assess import _assess, _Assessment
from accord.engines.smp.params import SMPParams
from accord.engines.smp.rules import _Mask, _row_sum, _rows
from accord.engines.smp.turn import _turn

__all__ = ["SMPEngine", "actor_capability", "engine", "run"]


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
    return x, s, actor_capability(b.capability, s), lo, span, mask


def actor_capability(capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """One capability per actor ``[D, A]`` from ``[D, A]`` or per-issue ``[D, A, I]`` capabilities.

    The SMP's contests are over whole positions, so an actor brings one weight to all of them. Where an
    actor's capability differs by issue, that weight is its capability on each issue weighted by how
    much the issue matters to it (salience; the plain mean if it has none); where it is the same on
    every issue, exactly that number.
    """
    cap = np.asarray(capability, dtype=float)
    if cap.ndim == 2:
        return np.array(cap)
    uniform = np.all(cap == cap[:, :, :1], axis=2)
    total = _row_sum(salience)
    weighted = _row_sum(cap * salience) / np.where(total > 0, total, 1.0)
    blended = np.where(total > 0, weighted, cap.mean(axis=2))
    return np.where(uniform, cap[:, :, 0], blended)


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


# What the compiled kernels save over NumPy, measured, grows about as runs x turns x actors^3 (the
# third-party loop): ~0.1 s on one 80-actor run since the NumPy path works in blocks (100 turns allowed:
# 5.1e7 units, 2e-9 s per unit; 0.27 s before) and ~0.75 s on 10,000 runs of the 7-actor default case
# (3.4e8 units, 2e-9 s per unit). Importing Numba and loading the cached kernels cost ~0.75 s when
# this was set, ~0.5 s since numba_load skips SciPy's import; the line stays where it was (a cautious one).
_COMPILE_WORTH = 2.5e8


def compile_work(n_runs: int, n_actors: int, rounds: int) -> float:
    """The units of :data:`_COMPILE_WORTH`: runs x turns allowed x actors^3."""
    return float(n_runs) * max(rounds, 1) * float(n_actors) ** 3


def _backend(choice: str, work: float) -> Literal["numpy", "numba"]:
    """Resolve ``SMPParams.backend``: ``auto`` becomes ``numba`` or ``numpy``."""
    import sys

    if choice == "numba":
        if not _numba_installed():
            raise ProblemError("SMPParams(backend='numba') needs Numba: pip install 'accord[fast]'")
        return "numba"
    if choice == "numpy":
        return "numpy"
    loaded = "numba" in sys.modules
    if (loaded or work >= _COMPILE_WORTH) and _numba_installed():
        return "numba"
    return "numpy"


def worth_compiling(work: float) -> bool:
    """True when Numba is installed and ``work`` (:func:`compile_work`) repays loading it."""
    return work >= _COMPILE_WORTH and _numba_installed()


def _numba_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("numba") is not None


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
    rounds: int | None = None,
    rng: np.random.Generator | None = None,
    on_round: RoundHook | None = None,
) -> Trajectory:
    """Run the SMP for at most ``rounds`` turns (default ``params.rounds``, KTAB: 100) with KTAB's
    stopping rule.

    Returned arrays always have ``rounds + 1`` turns; a draw that stops early keeps its last state for
    the remaining turns, and ``diagnostics["turns"]`` says after how many turns each draw stopped.
    ``outcome`` is the forecast at each turn: the mean of the distinct positions weighted by their
    probability of winning the risk-aware Condorcet election. Deterministic mode never touches
    ``rng``; stochastic mode takes one 64-bit word from it per draw.
    """
    params = params or SMPParams()
    rounds = params.rounds if rounds is None else rounds
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise ProblemError(f"rounds must be a non-negative integer, got {rounds!r}")
    x, s, cap, lo, span, mask = _prepare(problem, params)
    n_draws, n_act, n_dims = x.shape
    params = replace(params, backend=_backend(params.backend, compile_work(n_draws, n_act, rounds)))
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
    """Repeat each draw's last state for the turns after it stopped (draws grouped by their last turn:
    one copy per group instead of a gather over every turn of every draw)."""
    n_turns = arrays[0].shape[1]
    for t in sorted(set(turns[turns < n_turns - 1].tolist())):  # not np.unique: it loads numpy.ma (~15 ms)
        rows = np.flatnonzero(turns == t)
        for arr in arrays:
            arr[rows, t + 1 :] = arr[rows, t : t + 1]


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
    if got[2].ndim == 3 and got[2].shape == got[0].shape:  # per-issue capability: one weight per actor
        got[2] = actor_capability(got[2], got[1])
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
    """The SMP as a registry entry (``Engine`` protocol), its parameters held."""

    name = "smp"
    Params = SMPParams

    def __init__(self, params: SMPParams | None = None) -> None:
        self.params = params or SMPParams()

    def run(
        self,
        problem: Problem,
        params: SMPParams | None = None,
        rounds: int | None = None,
        rng: np.random.Generator | None = None,
        on_round: RoundHook | None = None,
    ) -> Trajectory:
        return run(problem, params=params or self.params, rounds=rounds, rng=rng, on_round=on_round)


engine = SMPEngine()
