"""The SMP engine against KTAB's own ``smpc`` outputs, plus its contract (batching, hooks, edge cases)."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accord.engines.base import Problem, ProblemError, RoundState, Trajectory
from accord.engines.smp import SMPEngine, SMPParams, engine, run
from accord.formats.ktab import read_ktab_csv

repo_root = Path(__file__).resolve().parents[2]
shared = repo_root.parent / "shared"
KTAB_REF = shared / "reference" / "ktab"

STRICT = ["dummyData_3Dim", "SOE-Pol-Comp", "SOE-Policy"]
LOOSE = ["dummyData_6Dim", "dummyData-a080"]


def _ref_dir(name: str) -> Path:
    folder = KTAB_REF / name
    if not (folder / f"{name}.csv").is_file():
        pytest.fail(f"KTAB reference scenario missing: expected {folder}/{name}.csv (shared dir {shared})")
    return folder


@cache
def _scenario(name: str) -> tuple[Problem, np.ndarray, np.ndarray]:
    """The scenario as a Problem, KTAB's positions [T+1, A, I] and win probabilities [T+1, A]."""
    folder = _ref_dir(name)
    sc = read_ktab_csv(folder / f"{name}.csv")
    n_act, n_dim = sc.positions.shape
    problem = Problem(
        positions=sc.positions,
        salience=sc.saliences / 100.0,
        capability=sc.capability,
        status_quo=np.full(n_dim, 50.0),
        actors=tuple(sc.actor_names),
        issues=tuple(sc.dimension_names),
    )
    pos = pd.read_csv(folder / "positions_by_turn.csv")
    actor = {a: i for i, a in enumerate(sc.actor_names)}
    dim = {d: k for k, d in enumerate(sc.dimension_names)}
    ref = np.full((pos.turn.max() + 1, n_act, n_dim), np.nan)
    for row in pos.itertuples():
        ref[row.turn, actor[row.actor.strip()], dim[row.dimension.strip()]] = row.position_0_100
    assert not np.isnan(ref).any()
    win = pd.read_csv(folder / "win_prob_by_turn.csv")
    assert [a.strip() for a in win.actor] == sc.actor_names
    return problem, ref, win.iloc[:, 1:].to_numpy(dtype=float).T


@cache
def _ktab_run(name: str) -> Trajectory:
    problem, _, _ = _scenario(name)
    return run(problem)


def _compare(name: str) -> tuple[float, float, int, int]:
    _, ref, ref_win = _scenario(name)
    traj = _ktab_run(name)
    turns = int(traj.diagnostics["turns"][0])
    ref_turns = ref.shape[0] - 1
    n = min(turns, ref_turns) + 1
    pos_diff = float(np.abs(traj.positions[0, :n] - ref[:n]).max())
    win_diff = float(np.abs(traj.diagnostics["win_prob"][0, :n] - ref_win[:n]).max())
    print(
        f"{name}: turns {turns} (KTAB {ref_turns}), "
        f"max |position diff| {pos_diff:.4f}, win prob {win_diff:.4f}"
    )
    return pos_diff, win_diff, turns, ref_turns


@pytest.mark.parametrize("name", STRICT)
def test_matches_ktab_positions_turns_and_win_probabilities(name: str) -> None:
    pos_diff, win_diff, turns, ref_turns = _compare(name)
    assert turns == ref_turns
    assert pos_diff <= 0.01
    assert win_diff <= 0.01


@pytest.mark.parametrize("name", LOOSE)
def test_larger_scenarios_against_ktab(name: str) -> None:
    # Measured: both match KTAB's logged positions (2 decimals) and win probabilities (4 decimals) exactly.
    pos_diff, win_diff, turns, ref_turns = _compare(name)
    assert turns == ref_turns
    assert pos_diff <= 0.01
    assert win_diff <= 0.01


def test_trajectory_layout_and_forecast() -> None:
    problem, ref, _ = _scenario("SOE-Pol-Comp")
    traj = _ktab_run("SOE-Pol-Comp")
    n_act, n_dim = problem.positions.shape
    assert traj.engine == "smp"
    assert traj.positions.shape == (1, 101, n_act, n_dim)
    assert traj.outcome.shape == (1, 101, n_dim)
    for key in ("win_prob", "risk", "target"):
        assert traj.diagnostics[key].shape == (1, 101, n_act)
    assert np.array_equal(traj.positions[0, 0], problem.positions)
    turns = traj.diagnostics["turns"][0]
    # after stopping, every array holds the last state
    assert np.array_equal(
        traj.positions[0, turns:], np.broadcast_to(traj.positions[0, turns], (101 - turns, n_act, n_dim))
    )
    assert np.array_equal(
        traj.outcome[0, turns:], np.broadcast_to(traj.outcome[0, turns], (101 - turns, n_dim))
    )
    # risk attitudes span KTAB's "Mid" range [-1/2, 1] every turn
    risk = traj.diagnostics["risk"][0, : turns + 1]
    assert np.allclose(risk.min(axis=1), -0.5) and np.allclose(risk.max(axis=1), 1.0)
    # the forecast is the probability-weighted mean of positions: inside their range
    lo, hi = traj.positions[0].min(axis=1), traj.positions[0].max(axis=1)
    assert np.all(traj.outcome[0] >= lo - 1e-9) and np.all(traj.outcome[0] <= hi + 1e-9)


def _jittered(name: str, n_draws: int, seed: int = 0) -> Problem:
    problem, _, _ = _scenario(name)
    g = np.random.default_rng(seed)
    shape = (n_draws, *problem.positions.shape)
    return Problem(
        positions=np.clip(problem.positions[None] + g.normal(0.0, 5.0, shape), 0.0, 100.0),
        salience=problem.salience[None] * g.uniform(0.8, 1.0, shape),
        capability=problem.capability[None] * g.uniform(0.8, 1.2, shape[:2]),
        status_quo=np.broadcast_to(problem.status_quo, (n_draws, shape[2])),
    )


def _assert_same(a: Trajectory, b: Trajectory) -> None:
    assert np.array_equal(a.positions, b.positions)
    assert np.array_equal(a.outcome, b.outcome)
    assert a.diagnostics.keys() == b.diagnostics.keys()
    for key in a.diagnostics:
        assert np.array_equal(a.diagnostics[key], b.diagnostics[key]), key


@pytest.mark.parametrize(
    "params",
    [SMPParams(), SMPParams(deterministic=False), SMPParams(ktab_compat=False)],
    ids=["deterministic", "stochastic", "no-quirks"],
)
def test_bit_identical_whatever_the_batch_size(params: SMPParams) -> None:
    problem = _jittered("SOE-Pol-Comp", 6)
    together = run(problem, params, rounds=40, rng=np.random.default_rng(11))
    one_rng = np.random.default_rng(11)
    for d in range(6):
        alone = run(problem.take(slice(d, d + 1)), params, rounds=40, rng=one_rng)
        _assert_same(
            dataclasses.replace(
                together,
                positions=together.positions[d : d + 1],
                outcome=together.outcome[d : d + 1],
                diagnostics={k: v[d : d + 1] for k, v in together.diagnostics.items()},
            ),
            alone,
        )
    # chunks of uneven size, with one generator used in order, give the same draws as well
    chunk_rng = np.random.default_rng(11)
    first = run(problem.take(slice(0, 2)), params, rounds=40, rng=chunk_rng)
    rest = run(problem.take(slice(2, 6)), params, rounds=40, rng=chunk_rng)
    assert np.array_equal(np.concatenate([first.positions, rest.positions]), together.positions)


def test_stochastic_mode_is_reproducible_and_uses_the_seed() -> None:
    problem, _, _ = _scenario("SOE-Pol-Comp")
    params = SMPParams(deterministic=False)
    a = run(problem, params, rounds=30, rng=np.random.default_rng(3))
    b = run(problem, params, rounds=30, rng=np.random.default_rng(3))
    _assert_same(a, b)
    others = [run(problem, params, rounds=30, rng=np.random.default_rng(s)).positions for s in (4, 5, 6)]
    assert any(not np.array_equal(a.positions, o) for o in others)
    # deterministic mode ignores (and does not consume) the generator
    g = np.random.default_rng(9)
    state = g.bit_generator.state
    run(problem, SMPParams(), rounds=3, rng=g)
    assert g.bit_generator.state == state


def test_round_hook_sees_each_turn_and_can_change_the_state() -> None:
    problem, _, _ = _scenario("SOE-Pol-Comp")
    seen: list[int] = []

    def watch(state: RoundState) -> None:
        seen.append(state.round)
        assert state.positions.shape == (1, *problem.positions.shape)
        assert state.salience.shape == (1, *problem.positions.shape)
        assert state.capability.shape == (1, problem.n_actors)
        assert state.outcome.shape == (1, problem.n_issues)

    plain = _ktab_run("SOE-Pol-Comp")
    watched = run(problem, on_round=watch)
    turns = plain.diagnostics["turns"][0]
    assert seen == list(range(1, turns + 1))
    _assert_same(plain, watched)
    _assert_same(plain, run(problem, on_round=lambda s: s))  # returning the input changes nothing

    def pin_xi(state: RoundState) -> RoundState:
        positions = state.positions.copy()
        positions[:, 0, :] = [10.0, 90.0]  # XJ commits to a fixed position from turn 1 on
        return dataclasses.replace(state, positions=positions)

    pinned = run(problem, rounds=5, on_round=pin_xi)
    assert np.all(pinned.positions[0, 1:, 0] == [10.0, 90.0])
    assert not np.array_equal(pinned.positions[0, :6], plain.positions[0, :6])


def test_round_hook_can_change_capability() -> None:
    problem, _, _ = _scenario("SOE-Pol-Comp")

    def boost(state: RoundState) -> RoundState | None:
        if state.round != 1:
            return None
        capability = state.capability.copy()
        capability[:, 1] *= 50.0
        return dataclasses.replace(state, capability=capability)

    boosted = run(problem, rounds=20, on_round=boost)
    plain = run(problem, rounds=20)
    assert np.array_equal(boosted.positions[0, :2], plain.positions[0, :2])
    assert not np.array_equal(boosted.positions[0, 2:], plain.positions[0, 2:])


def _problem(pos: list, sal: list, cap: list) -> Problem:
    pos = np.asarray(pos, dtype=float)
    return Problem(
        positions=pos, salience=np.asarray(sal, float), capability=np.asarray(cap, float), status_quo=pos[0]
    )


@pytest.mark.parametrize(
    "case",
    [
        ([[30.0, 40.0]], [[0.5, 0.5]], [1.0]),  # one actor
        ([[30.0], [70.0]], [[0.5], [0.6]], [1.0, 2.0]),  # two actors
        ([[50.0, 50.0]] * 4, [[0.3, 0.3]] * 4, [1.0, 2.0, 3.0, 4.0]),  # all at one position
        ([[10.0], [50.0], [90.0]], [[0.0], [0.5], [0.5]], [1.0, 1.0, 1.0]),  # an actor with no salience
        ([[10.0], [50.0], [90.0]], [[0.0], [0.0], [0.0]], [1.0, 1.0, 1.0]),  # nobody cares
        ([[10.0], [50.0], [90.0]], [[0.5], [0.5], [0.5]], [0.0, 0.0, 0.0]),  # nobody has capability
        ([[0.0], [100.0], [100.0], [0.0]], [[1.0]] * 4, [1.0] * 4),  # extremes, full salience
    ],
    ids=[
        "one-actor",
        "two-actors",
        "one-position",
        "zero-salience",
        "all-zero-salience",
        "zero-capability",
        "extremes",
    ],
)
def test_degenerate_inputs_give_defined_results(case: tuple[list, list, list]) -> None:
    problem = _problem(*case)
    for params in (SMPParams(), SMPParams(ktab_compat=False), SMPParams(deterministic=False)):
        traj = run(problem, params, rounds=10, rng=np.random.default_rng(0))
        for arr in (traj.positions, traj.outcome, traj.diagnostics["win_prob"], traj.diagnostics["risk"]):
            assert np.all(np.isfinite(arr))
        assert 1 <= traj.diagnostics["turns"][0] <= 10
        assert np.all(traj.positions >= 0.0) and np.all(traj.positions <= 100.0)


def test_degenerate_cases_have_the_expected_values() -> None:
    one = run(_problem([[30.0, 40.0]], [[0.5, 0.5]], [1.0]))
    assert one.diagnostics["turns"][0] == 2
    assert np.all(one.positions[0] == [30.0, 40.0]) and np.all(one.outcome[0] == [30.0, 40.0])
    assert np.all(one.diagnostics["win_prob"][0] == 1.0)
    same = run(_problem([[50.0, 50.0]] * 4, [[0.3, 0.3]] * 4, [1.0, 2.0, 3.0, 4.0]))
    assert np.all(same.positions == 50.0) and np.all(same.diagnostics["risk"] == 0.0)
    assert np.all(same.diagnostics["win_prob"] == 1.0)  # one shared position wins for sure
    # an actor who cares about nothing yields to whoever challenges it
    idle = run(_problem([[10.0], [50.0], [90.0]], [[0.0], [0.5], [0.5]], [1.0, 1.0, 1.0]))
    assert idle.positions[0, -1, 0, 0] != 10.0


def test_invalid_inputs_raise_problem_errors() -> None:
    with pytest.raises(ProblemError, match="sum to at most 1"):
        run(_problem([[30.0, 40.0], [60.0, 70.0]], [[0.7, 0.6], [0.2, 0.2]], [1.0, 1.0]))
    with pytest.raises(ProblemError, match="within the scale"):
        run(_problem([[30.0], [170.0]], [[0.5], [0.5]], [1.0, 1.0]))
    per_issue = Problem(
        positions=np.array([[30.0, 40.0], [60.0, 70.0]]),
        salience=np.full((2, 2), 0.3),
        capability=np.array([[1.0, 2.0], [1.0, 1.0]]),
        status_quo=np.zeros(2),
    )
    # capability differing by issue is taken (salience-weighted per actor), no longer refused
    assert np.all(np.isfinite(run(per_issue).outcome))
    # per-issue capabilities enter as their salience-weighted mean (equal saliences: the plain mean)
    joint = Problem(per_issue.positions, per_issue.salience, np.array([1.5, 1.0]), per_issue.status_quo)
    assert np.allclose(run(per_issue).outcome, run(joint).outcome)
    with pytest.raises(ValueError, match="voting_rule"):
        SMPParams(voting_rule="majority")  # type: ignore[arg-type]


def test_salience_normalisation_and_capability_per_issue() -> None:
    heavy = _problem(
        [[30.0, 40.0], [60.0, 70.0], [50.0, 10.0]], [[0.7, 0.6], [0.2, 0.2], [0.4, 0.4]], [1.0, 2.0, 1.0]
    )
    traj = run(heavy, SMPParams(normalize_salience=True))
    light = _problem(heavy.positions, heavy.salience / np.array([[1.3], [1.0], [1.0]]), heavy.capability)
    assert np.array_equal(traj.positions, run(light).positions)
    flat = dataclasses.replace(light, capability=np.repeat(light.capability[:, None], 2, axis=1))
    assert np.array_equal(run(flat).positions, run(light).positions)


def test_scale_is_taken_from_the_problem() -> None:
    problem, _, _ = _scenario("dummyData_3Dim")
    unit = dataclasses.replace(
        problem, positions=problem.positions / 100.0, scale=(0.0, 1.0), status_quo=problem.status_quo / 100
    )
    a, b = _ktab_run("dummyData_3Dim"), run(unit)
    assert np.array_equal(a.diagnostics["turns"], b.diagnostics["turns"])
    assert np.allclose(a.positions, 100.0 * b.positions, atol=1e-9)


def test_without_the_quirks_both_sides_of_a_bargain_move_together() -> None:
    problem, _, _ = _scenario("SOE-Pol-Comp")
    traj = run(problem, SMPParams(ktab_compat=False), rounds=30)
    target = traj.diagnostics["target"][0]
    moved = np.any(traj.positions[0, 1:] != traj.positions[0, :-1], axis=2)  # [turn, actor]
    assert moved.any()
    for t, i in zip(*np.nonzero(moved), strict=True):
        # a mover is the initiator or the target of an implemented bargain, and its partner moved too
        partners = [target[t + 1, i]] + list(np.nonzero(target[t + 1] == i)[0])
        assert any(p >= 0 and moved[t, p] for p in partners)
    assert not np.array_equal(traj.forecast, _ktab_run("SOE-Pol-Comp").forecast)


def test_rounds_cap_and_engine_protocol() -> None:
    problem, ref, _ = _scenario("SOE-Pol-Comp")
    short = engine.run(problem, rounds=3)
    assert isinstance(engine, SMPEngine) and engine.name == "smp"
    assert short.positions.shape[1] == 4 and short.diagnostics["turns"][0] == 3
    assert np.abs(short.positions[0] - ref[:4]).max() <= 0.01
    assert run(problem, rounds=0).positions.shape == (1, 1, *problem.positions.shape)


def test_round_hook_in_a_batch_sees_stopped_draws_frozen_and_cannot_revive_them() -> None:
    problem = _jittered("SOE-Pol-Comp", 4, seed=5)
    plain = run(problem, rounds=60)
    turns = plain.diagnostics["turns"]
    assert len(set(turns.tolist())) > 1

    def meddle(state: RoundState) -> RoundState:
        stopped = turns < state.round
        assert np.array_equal(state.positions[stopped], plain.positions[stopped, turns[stopped]])
        assert np.array_equal(state.outcome[stopped], plain.outcome[stopped, turns[stopped]])
        positions = state.positions.copy()
        positions[stopped] = 0.0  # ignored: those draws have stopped bargaining
        return dataclasses.replace(state, positions=positions)

    _assert_same(plain, run(problem, rounds=60, on_round=meddle))


def test_internal_chunking_of_draws_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.engines.smp.assess as smp_module

    problem = _jittered("SOE-Pol-Comp", 7, seed=2)
    whole = run(problem, SMPParams(deterministic=False), rounds=30, rng=np.random.default_rng(1))
    monkeypatch.setattr(smp_module, "_CHUNK_ELEMENTS", 3 * problem.n_actors**2)  # chunks of 3 draws
    _assert_same(whole, run(problem, SMPParams(deterministic=False), rounds=30, rng=np.random.default_rng(1)))
