"""The EUM's compiled backend (Numba, accord[fast]) gives the NumPy code's results bit for bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from accord.engines import eum
from accord.engines.base import Problem, ProblemError, RoundState
from accord.engines.eum import backend

from .test_eum import random_problem, reference_file

pytest.importorskip("numba", reason="the compiled EUM backend needs accord[fast] (numba)")

from accord.engines.eum import kernel  # noqa: E402  (needs numba)


@pytest.fixture(scope="module")
def ec_problem() -> Problem:
    """The European Community example of the replications (as in test_eum)."""
    actors = reference_file("ec_actors.csv")
    return Problem(
        positions=actors["Position"].to_numpy(float)[:, None],
        salience=actors["Salience"].to_numpy(float)[:, None],
        capability=actors["Capability"].to_numpy(float),
        status_quo=np.array([4.0]),
        scale=(0.0, 10.0),
    )


def assert_trajectories_equal(a, b) -> None:  # noqa: ANN001
    """Positions, outcomes and every diagnostic (the same names in both) bit for bit."""
    np.testing.assert_array_equal(a.positions, b.positions)
    np.testing.assert_array_equal(a.outcome, b.outcome)
    assert a.diagnostics.keys() == b.diagnostics.keys()
    for name, value in a.diagnostics.items():
        if isinstance(value, np.ndarray):
            assert value.dtype == b.diagnostics[name].dtype, name
            np.testing.assert_array_equal(value, b.diagnostics[name], err_msg=name)


def _both(problem: Problem, rounds: int = 6, on_round=None, **kw):  # noqa: ANN001, ANN202
    a = eum.run(problem, eum.EUMParams(backend="numpy", **kw), rounds, on_round=on_round)
    b = eum.run(problem, eum.EUMParams(backend="numba", **kw), rounds, on_round=on_round)
    return a, b


PARAMS = [
    {},
    {"variant": "reference"},
    {"normalisation": "pairwise"},
    {"normalisation": "pairwise", "variant": "reference"},
    {"danger_exponent": 0.7, "r_min": 0.3, "r_max": 3.0},
    {"r_min": 0.25, "r_max": 1.75},  # r_min + r_max == 2: the linear risk map
    {"q": 0.6, "tie_tol": 0.0},
    {"keep_challenges": False},
]


@pytest.mark.parametrize(
    "kw", PARAMS, ids=[",".join(f"{k}={v}" for k, v in kw.items()) or "default" for kw in PARAMS]
)
@pytest.mark.parametrize("grid", [False, True], ids=["continuous", "grid"])
def test_random_batches_bit_identical(kw: dict, grid: bool) -> None:
    problem = random_problem(np.random.default_rng(31), 7, 11, 3, grid=grid)
    assert_trajectories_equal(*_both(problem, **kw))


@pytest.mark.parametrize("actors", [1, 2, 3, 5, 13, 40])
def test_any_number_of_actors_bit_identical(actors: int) -> None:
    problem = random_problem(np.random.default_rng(32 + actors), 4, actors, 2)
    assert_trajectories_equal(*_both(problem))


def test_every_move_type_occurs_and_agrees() -> None:
    """Agreement is not vacuous: the batch has confrontations, compromises and capitulations."""
    a, b = _both(random_problem(np.random.default_rng(7), 6, 9, 2, grid=True), 4)
    assert set(np.unique(a.diagnostics["move"])) == {0, 1, 2, 3}
    assert_trajectories_equal(a, b)


def test_many_actors_bit_identical() -> None:
    """Above 128 actors NumPy's pairwise sums recurse (rows of dangers, the global total over A^2)."""
    problem = random_problem(np.random.default_rng(33), 1, 150, 1)
    assert_trajectories_equal(*_both(problem, rounds=2))


def test_missing_positions_bit_identical() -> None:
    problem = random_problem(np.random.default_rng(34), 9, 8, 3, grid=True)
    present = np.random.default_rng(1).random(problem.positions.shape) > 0.35
    present[:, :2] = True
    present[:, 5] = False  # an actor absent from every issue
    present[0, :, 1] = False  # an issue with nobody on it in one draw
    a, b = _both(dataclasses.replace(problem, present=present))
    assert_trajectories_equal(a, b)
    assert np.all(a.diagnostics["counterpart"][:, :, 5] == 0)  # absent: the NumPy layout's zeros


def test_ec_example_bit_identical(ec_problem) -> None:  # noqa: ANN001
    for variant in ("reference", "paper"):
        assert_trajectories_equal(*_both(ec_problem, rounds=10, variant=variant))


def test_hook_bit_identical(ec_problem) -> None:  # noqa: ANN001
    def mute_and_pull(state: RoundState) -> RoundState:
        salience, positions = state.salience.copy(), state.positions.copy()
        salience[:, 2] *= 0.5
        positions[:, 9] = np.minimum(positions[:, 9] + 1.0, 10.0)
        return RoundState(state.round, positions, salience, state.capability, state.outcome)

    assert_trajectories_equal(*_both(ec_problem, rounds=6, on_round=mute_and_pull))


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 16, 121, 128, 129, 400, 3000, 40_000])
def test_pairwise_sum_is_numpys(n: int) -> None:
    rng = np.random.default_rng(n)
    a = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 9, n)
    assert kernel._pairwise_sum(a, 0, n) == a.sum()
    if n > 4:
        assert kernel._pairwise_sum(a, 3, n - 4) == a[3 : n - 1].sum()


def test_auto_takes_the_compiled_code_only_for_big_runs(monkeypatch) -> None:  # noqa: ANN001
    params = eum.EUMParams()
    assert backend.choose(params, 1e3) == "numpy"
    assert backend.choose(params, 1e9) == "numba"
    assert backend.choose(eum.EUMParams(backend="numpy"), 1e9) == "numpy"
    monkeypatch.setattr(backend, "_numba_installed", lambda: False)
    assert backend.choose(params, 1e9) == "numpy"
    with pytest.raises(ProblemError, match="accord\\[fast\\]"):
        backend.choose(eum.EUMParams(backend="numba"), 1.0)


def test_many_runs_of_a_case_take_the_compiled_code() -> None:
    class Case:  # what for_many_runs reads of a case
        bargaining_actor_ids = tuple("abcdefg")
        issue_ids = tuple("vwxyz")

    lean = eum.EUMParams(keep_challenges=False)
    assert backend.for_many_runs(lean, 10_000, Case(), 10) == dataclasses.replace(lean, backend="numba")
    assert backend.for_many_runs(lean, 10, Case(), 10) is lean
    pinned = eum.EUMParams(backend="numpy")
    assert backend.for_many_runs(pinned, 10_000, Case(), 10) is pinned


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(ValueError, match="backend"):
        eum.EUMParams(backend="fortran")  # type: ignore[arg-type]


@pytest.mark.parametrize("cores", [1, 2, 3])
def test_rows_shared_among_threads_bit_identical(cores: int, monkeypatch) -> None:  # noqa: ANN001
    """The compiled run splits rows among threads (one per core); any split gives the same bits."""
    monkeypatch.setattr(backend, "_cores", lambda: cores)
    monkeypatch.setattr(backend, "_ROWS_PER_THREAD", 4)
    monkeypatch.setattr(backend, "_POOL", None)
    problem = random_problem(np.random.default_rng(35), 5, 9, 3, grid=True)  # 15 rows
    assert len(backend._row_parts(15)) == cores
    assert_trajectories_equal(*_both(problem))


def _distinct_per_row(positions: np.ndarray) -> np.ndarray:
    """Distinct positions per (draw, issue) row of ``positions`` ``[D, A, I]``."""
    rows = np.sort(positions.transpose(0, 2, 1).reshape(-1, positions.shape[1]), axis=1)
    return 1 + (np.diff(rows, axis=1) != 0).sum(axis=1)


@pytest.mark.parametrize("normalisation", ["global", "pairwise"])
def test_monte_carlo_shape_with_shared_positions_bit_identical(normalisation: str) -> None:
    """The benchmark's shape (11 actors, 5 issues, positions on a 0.1 grid, 10 rounds), where the kernel
    computes per group of actors at one position: the groups really form, and every bit agrees."""
    g = np.random.default_rng(5)
    d, a, i = 48, 11, 5
    problem = Problem(
        np.round(g.uniform(0, 100, (d, a, i)), 1),
        g.uniform(0.05, 1, (d, a, i)),
        g.uniform(0.1, 1, (d, a)),
        g.uniform(0, 100, (d, i)),
    )
    numpy_run, compiled = _both(problem, rounds=10, normalisation=normalisation)
    assert_trajectories_equal(numpy_run, compiled)
    shared = _distinct_per_row(numpy_run.positions[:, 5]) < a
    assert shared.mean() > 0.5  # not vacuous: most rows have actors sharing a position mid-run


def test_signed_zero_positions_share_a_group_bit_identical() -> None:
    """-0.0 == 0.0: actors at either zero fall in one group; their results must still be NumPy's bits."""
    g = np.random.default_rng(6)
    positions = g.integers(0, 3, size=(6, 9, 2)).astype(float) * 50.0
    positions[positions == 0.0] = -0.0
    positions[:, ::2][positions[:, ::2] == 0.0] = 0.0
    zero = positions == 0.0
    assert (zero & np.signbit(positions)).any() and (zero & ~np.signbit(positions)).any()
    salience, capability = g.uniform(0.1, 1, positions.shape), g.uniform(0.1, 1, (6, 9))
    problem = Problem(positions, salience, capability, np.zeros((6, 2)))
    for kw in ({}, {"normalisation": "pairwise"}):
        assert_trajectories_equal(*_both(problem, **kw))


def test_many_actors_on_few_positions_bit_identical() -> None:
    """150 actors on 5 positions: groups far smaller than the actors, and the global total still sums
    all 150^2 actor pairs in NumPy's recursive pairwise order."""
    problem = random_problem(np.random.default_rng(35), 2, 150, 1, grid=True)
    assert_trajectories_equal(*_both(problem, rounds=3))
    assert_trajectories_equal(*_both(problem, rounds=3, normalisation="pairwise"))
