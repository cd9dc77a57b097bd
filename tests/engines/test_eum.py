"""Tests of the expected-utility model: reference replication, oracle agreement, invariances, edge cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.engines import eum, eum_oracle
from accord.engines.base import Problem, ProblemError, RoundState

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "bdm"
VARIANTS = ("reference", "paper")
NORMALISATIONS = ("global", "pairwise")
DIAGNOSTIC_FLOATS = ("mean", "risk", "eu_self", "eu_other")
DIAGNOSTIC_INTS = ("move", "counterpart", "offers", "challenges")


# ----------------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------------


def reference_file(name: str) -> pd.DataFrame:
    """A reference CSV; a missing folder is a failure (never a silent skip)."""
    path = REFERENCE / name
    if not path.is_file():
        pytest.fail(f"EUM reference data missing: {path} (expected the shared folder next to the repository)")
    return pd.read_csv(path)


@pytest.fixture(scope="module")
def ec_actors() -> pd.DataFrame:
    return reference_file("ec_actors.csv")


@pytest.fixture(scope="module")
def ec_problem(ec_actors: pd.DataFrame) -> Problem:
    return Problem(
        positions=ec_actors["Position"].to_numpy(float)[:, None],
        salience=ec_actors["Salience"].to_numpy(float)[:, None],
        capability=ec_actors["Capability"].to_numpy(float),
        status_quo=np.array([4.0]),
        actors=tuple(ec_actors["Actor"]),
        issues=("emission standards",),
        scale=(0.0, 10.0),
    )


def per_round(frame: pd.DataFrame, column: str, actors: tuple[str, ...]) -> np.ndarray:
    """``[rounds, actors]`` table of one column of a per-round, per-actor reference file."""
    return frame.pivot(index="round", columns="actor", values=column)[list(actors)].to_numpy()


def random_problem(
    rng: np.random.Generator, draws: int, actors: int, issues: int, grid: bool = False, per_issue: bool = True
) -> Problem:
    """A random problem; ``grid`` draws coarse values so that ties and duplicate positions are common."""
    shape = (draws, actors, issues)
    cap_shape = shape if per_issue else shape[:2]
    if grid:
        positions = rng.integers(0, 5, size=shape).astype(float) * 25.0
        salience = rng.integers(0, 5, size=shape) / 4
        capability = rng.integers(0, 5, size=cap_shape) / 4
    else:
        positions = rng.uniform(0.0, 100.0, size=shape)
        salience = rng.uniform(0.0, 1.0, size=shape)
        capability = rng.uniform(0.0, 1.0, size=cap_shape)
    return Problem(positions, salience, capability, status_quo=rng.uniform(0.0, 100.0, size=(draws, issues)))


def assert_trajectories_equal(a, b) -> None:
    """Bit-identical trajectories, every diagnostic included."""
    np.testing.assert_array_equal(a.positions, b.positions)
    np.testing.assert_array_equal(a.outcome, b.outcome)
    for name in DIAGNOSTIC_FLOATS + DIAGNOSTIC_INTS:
        np.testing.assert_array_equal(a.diagnostics[name], b.diagnostics[name], err_msg=name)


def assert_trajectories_close(a, b, atol: float = 1e-9) -> None:
    """Continuous outputs within ``atol``; every discrete decision identical."""
    np.testing.assert_allclose(a.positions, b.positions, rtol=0, atol=atol)
    np.testing.assert_allclose(a.outcome, b.outcome, rtol=0, atol=atol)
    for name in DIAGNOSTIC_FLOATS:
        np.testing.assert_allclose(a.diagnostics[name], b.diagnostics[name], rtol=0, atol=atol, err_msg=name)
    for name in DIAGNOSTIC_INTS:
        np.testing.assert_array_equal(a.diagnostics[name], b.diagnostics[name], err_msg=name)


# ----------------------------------------------------------------------------------------------------
# The European Community example against the two public replications
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [eum, eum_oracle], ids=["vectorised", "oracle"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_ec_positions_median_and_mean_match_reference(module, variant, ec_problem) -> None:
    rounds = reference_file("ec_rounds.csv")
    outcome = reference_file("ec_outcome.csv")
    traj = module.run(ec_problem, eum.EUMParams(variant=variant), rounds=10)
    expected = per_round(rounds, "position", ec_problem.actors)
    assert expected.shape == (11, 10)
    np.testing.assert_allclose(traj.positions[0, :, :, 0], expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(traj.outcome[0, :, 0], outcome["median"].to_numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(
        traj.diagnostics["mean"][0, :, 0], outcome["mean"].to_numpy(), rtol=0, atol=1e-6
    )


@pytest.mark.parametrize("module", [eum, eum_oracle], ids=["vectorised", "oracle"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_ec_moves_counterparts_risk_and_utilities_match_reference(module, variant, ec_problem) -> None:
    details = reference_file("ec_details.csv")
    actors = ec_problem.actors
    traj = module.run(ec_problem, eum.EUMParams(variant=variant), rounds=10)
    d = traj.diagnostics
    moves = np.array(eum.MOVE_NAMES)[d["move"][0, :, :, 0]]
    np.testing.assert_array_equal(moves, per_round(details, "move", actors))
    np.testing.assert_allclose(d["risk"][0, :, :, 0], per_round(details, "r", actors), rtol=0, atol=1e-6)
    counterpart = per_round(details, "counterpart", actors)
    moved = d["move"][0, :, :, 0] != eum.NONE
    assert moved.sum() == 30  # the README: 30 moves over 10 rounds
    names = np.array(actors)[d["counterpart"][0, :, :, 0][moved]]
    np.testing.assert_array_equal(names, counterpart[moved])
    assert np.all(d["counterpart"][0, :, :, 0][~moved] == -1)
    for ours, theirs in (("eu_self", "eu_self"), ("eu_other", "eu_other")):
        expected = per_round(details, theirs, actors)
        np.testing.assert_allclose(d[ours][0, :, :, 0][moved], expected[moved], rtol=0, atol=1e-6)
        assert np.all(np.isnan(expected[~moved]))
    before = per_round(details, "position_before", actors)
    after = per_round(details, "position_after", actors)
    np.testing.assert_allclose(traj.positions[0, :-1, :, 0], before, rtol=0, atol=1e-6)
    np.testing.assert_allclose(traj.positions[0, 1:, :, 0], after, rtol=0, atol=1e-6)


def test_ec_pairwise_normalisation_is_a_different_model(ec_problem) -> None:
    """Bueno de Mesquita's per-pair probabilities change the EC trajectory (so the option is live)."""
    rounds = reference_file("ec_rounds.csv")
    traj = eum.run(ec_problem, eum.EUMParams(normalisation="pairwise"), rounds=10)
    expected = per_round(rounds, "position", ec_problem.actors)
    assert np.abs(traj.positions[0, :, :, 0] - expected).max() > 0.1
    assert np.all(np.isfinite(traj.positions))


def test_ec_challenge_matrix_is_consistent_with_moves(ec_problem) -> None:
    traj = eum.run(ec_problem, rounds=10)
    d = traj.diagnostics
    offers = d["offers"][0, :, :, :, 0]  # [round, proposer, receiver]
    assert offers.shape == (10, 10, 10)
    np.testing.assert_array_equal(d["challenges"][0, :, :, :, 0], offers != eum.NONE)
    assert np.all(np.diagonal(offers, axis1=1, axis2=2) == eum.NONE)
    for k in range(10):
        for i in range(10):
            j = d["counterpart"][0, k, i, 0]
            if j >= 0:  # the accepted offer is one that was made, of the recorded type
                assert offers[k, j, i] == d["move"][0, k, i, 0]


# ----------------------------------------------------------------------------------------------------
# The variants
# ----------------------------------------------------------------------------------------------------

# Five actors, chosen so that the paper's capitulation test fires in round 1 (inputs are ours).
CAPITULATION_CASE = {
    "positions": [9.0, 7.0, 5.0, 2.0, 3.0],
    "salience": [0.1, 0.1, 0.1, 0.2, 0.9],
    "capability": [0.7, 1.0, 0.6, 0.7, 1.0],
}


def capitulation_problem() -> Problem:
    case = CAPITULATION_CASE
    return Problem(
        positions=np.array(case["positions"])[:, None],
        salience=np.array(case["salience"])[:, None],
        capability=np.array(case["capability"]),
        status_quo=np.array([5.0]),
        scale=(0.0, 10.0),
    )


@pytest.mark.parametrize("module", [eum, eum_oracle], ids=["vectorised", "oracle"])
def test_paper_capitulation_fires_where_the_reference_test_cannot(module) -> None:
    problem = capitulation_problem()
    paper = module.run(problem, eum.EUMParams(variant="paper"), rounds=1)
    reference = module.run(problem, eum.EUMParams(variant="reference"), rounds=1)
    assert paper.diagnostics["move"][0, 0, 3, 0] == eum.CAPITULATION
    assert paper.diagnostics["counterpart"][0, 0, 3, 0] == 4
    assert paper.positions[0, 1, 3, 0] == 3.0  # capitulation: all the way to the other's position
    assert paper.diagnostics["eu_self"][0, 0, 3, 0] < 0 < paper.diagnostics["eu_other"][0, 0, 3, 0]
    assert abs(paper.diagnostics["eu_self"][0, 0, 3, 0]) > paper.diagnostics["eu_other"][0, 0, 3, 0]
    assert not np.any(reference.diagnostics["move"] == eum.CAPITULATION)
    assert reference.positions[0, 1, 3, 0] == 2.0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), grid=st.booleans())
def test_reference_variant_never_capitulates(seed: int, grid: bool) -> None:
    problem = random_problem(np.random.default_rng(seed), 2, 7, 2, grid=grid)
    traj = eum.run(problem, eum.EUMParams(variant="reference"), rounds=3)
    assert not np.any(traj.diagnostics["move"] == eum.CAPITULATION)
    assert not np.any(traj.diagnostics["offers"] == eum.CAPITULATION)


def test_default_params_are_the_documented_ones() -> None:
    p = eum.EUMParams()
    assert (p.variant, p.normalisation, p.q, p.r_min, p.r_max, p.danger_exponent) == (
        "paper",
        "global",
        1.0,
        0.5,
        2.0,
        1.0,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"variant": "bdm"},
        {"normalisation": "local"},
        {"q": 1.5},
        {"r_min": 1.0},
        {"r_max": 0.9},
        {"danger_exponent": 0.0},
        {"tie_tol": -1.0},
        {"max_chunk_elements": 0},
    ],
)
def test_invalid_params_are_rejected(kwargs) -> None:
    with pytest.raises(ValueError):
        eum.EUMParams(**kwargs)


@pytest.mark.parametrize(("r_min", "r_max"), [(0.5, 2.0), (0.25, 3.0), (0.8, 1.2), (0.3, 1.1)])
def test_risk_map_hits_the_range_ends(r_min: float, r_max: float) -> None:
    params = eum.EUMParams(r_min=r_min, r_max=r_max)
    r = eum._risk_from_score(np.array([-1.0, 0.0, 1.0]), params)
    np.testing.assert_allclose(r, [r_max, 1.0, r_min], rtol=1e-12)
    grid = eum._risk_from_score(np.linspace(-1, 1, 101), params)
    assert np.all(np.diff(grid) < 0)
    if (r_min, r_max) == (0.5, 2.0):
        scores = np.linspace(-1, 1, 11)
        np.testing.assert_allclose(
            eum._risk_from_score(scores, params), (1 - scores / 3) / (1 + scores / 3), rtol=1e-15
        )


# ----------------------------------------------------------------------------------------------------
# Oracle agreement on random problems
# ----------------------------------------------------------------------------------------------------


@st.composite
def problems(draw) -> tuple[Problem, int]:
    actors = draw(st.integers(2, 12))
    issues = draw(st.integers(1, 3))
    draws = draw(st.integers(1, 2))
    rounds = draw(st.integers(1, 3))
    grid = draw(st.booleans())
    per_issue = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    return random_problem(np.random.default_rng(seed), draws, actors, issues, grid, per_issue), rounds


@pytest.mark.parametrize("normalisation", NORMALISATIONS)
@pytest.mark.parametrize("variant", VARIANTS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=problems())
def test_vectorised_agrees_with_oracle(variant: str, normalisation: str, case) -> None:
    problem, rounds = case
    params = eum.EUMParams(variant=variant, normalisation=normalisation)
    assert_trajectories_close(eum.run(problem, params, rounds), eum_oracle.run(problem, params, rounds))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=problems(),
    q=st.sampled_from([1.0, 0.6, 0.0]),
    danger_exponent=st.sampled_from([1.0, 0.7, 1.6]),
    risk_range=st.sampled_from([(0.5, 2.0), (0.3, 1.5), (0.9, 4.0)]),
    variant=st.sampled_from(VARIANTS),
    normalisation=st.sampled_from(NORMALISATIONS),
)
def test_vectorised_agrees_with_oracle_for_other_constants(
    case, q: float, danger_exponent: float, risk_range, variant: str, normalisation: str
) -> None:
    problem, rounds = case
    params = eum.EUMParams(
        variant=variant,
        normalisation=normalisation,
        q=q,
        danger_exponent=danger_exponent,
        r_min=risk_range[0],
        r_max=risk_range[1],
    )
    assert_trajectories_close(eum.run(problem, params, rounds), eum_oracle.run(problem, params, rounds))


@pytest.mark.parametrize("normalisation", NORMALISATIONS)
def test_oracle_agreement_exercises_every_move_type(normalisation: str) -> None:
    """A fixed batch in which all three move types occur, so agreement is not vacuous."""
    problem = random_problem(np.random.default_rng(7), 6, 9, 2, grid=True)
    params = eum.EUMParams(normalisation=normalisation)
    fast = eum.run(problem, params, rounds=4)
    assert_trajectories_close(fast, eum_oracle.run(problem, params, rounds=4))
    assert set(np.unique(fast.diagnostics["move"])) == {0, 1, 2, 3}


# ----------------------------------------------------------------------------------------------------
# Invariances: batching, chunking, issues, scale, rng
# ----------------------------------------------------------------------------------------------------


def test_draws_one_by_one_equal_draws_together() -> None:
    problem = random_problem(np.random.default_rng(11), 12, 9, 3)
    together = eum.run(problem, rounds=6)
    for d in range(problem.n_draws):
        alone = eum.run(problem.take(slice(d, d + 1)), rounds=6)
        np.testing.assert_array_equal(alone.positions, together.positions[d : d + 1])
        np.testing.assert_array_equal(alone.outcome, together.outcome[d : d + 1])
        for name in DIAGNOSTIC_FLOATS + DIAGNOSTIC_INTS:
            np.testing.assert_array_equal(alone.diagnostics[name], together.diagnostics[name][d : d + 1])


@pytest.mark.parametrize("actors", [9, 60])  # brute-force and binary-search midpoint counts
def test_chunk_size_does_not_change_results(actors: int) -> None:
    problem = random_problem(np.random.default_rng(12), 5, actors, 2, grid=actors < 20)
    default = eum.run(problem, rounds=3)
    for chunk in (1, actors * actors * 3, 10**8):
        assert_trajectories_equal(
            eum.run(problem, eum.EUMParams(max_chunk_elements=chunk), rounds=3), default
        )


def test_issues_run_independently() -> None:
    problem = random_problem(np.random.default_rng(13), 3, 8, 3)
    together = eum.run(problem, rounds=5)
    for t in range(3):
        alone = eum.run(
            Problem(
                problem.positions[:, :, t : t + 1],
                problem.salience[:, :, t : t + 1],
                problem.capability[:, :, t : t + 1],
                problem.status_quo[:, t : t + 1],
            ),
            rounds=5,
        )
        np.testing.assert_array_equal(alone.positions[..., 0], together.positions[..., t])
        np.testing.assert_array_equal(alone.diagnostics["risk"][..., 0], together.diagnostics["risk"][..., t])


def test_capability_per_actor_equals_the_same_capability_per_issue() -> None:
    problem = random_problem(np.random.default_rng(14), 4, 7, 2, per_issue=False)
    spread = Problem(
        problem.positions, problem.salience, problem.capability_per_issue().copy(), problem.status_quo
    )
    assert_trajectories_equal(eum.run(problem, rounds=4), eum.run(spread, rounds=4))


def test_any_position_scale_gives_the_same_model(ec_problem) -> None:
    """Positions on another scale (affine map) give the mapped trajectory and identical decisions."""
    base = eum.run(ec_problem, rounds=10)
    moved = Problem(
        positions=ec_problem.positions * 37.5 - 120.0,
        salience=ec_problem.salience,
        capability=ec_problem.capability,
        status_quo=ec_problem.status_quo * 37.5 - 120.0,
        scale=(-120.0, 255.0),
    )
    other = eum.run(moved, rounds=10)
    np.testing.assert_allclose(other.positions, base.positions * 37.5 - 120.0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(other.outcome, base.outcome * 37.5 - 120.0, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(other.diagnostics["move"], base.diagnostics["move"])
    np.testing.assert_allclose(other.diagnostics["risk"], base.diagnostics["risk"], rtol=0, atol=1e-12)


def test_rng_is_ignored_and_engine_object_matches_run(ec_problem) -> None:
    a = eum.run(ec_problem, rounds=4, rng=np.random.default_rng(1))
    b = eum.engine.run(ec_problem, rounds=4, rng=np.random.default_rng(2))
    assert eum.engine.name == "eum"
    assert_trajectories_equal(a, b)
    assert b.engine == "eum" and b.params["variant"] == "paper"


def test_output_shapes(ec_problem) -> None:
    problem = random_problem(np.random.default_rng(15), 3, 6, 2)
    traj = eum.run(problem, rounds=4)
    d, a, i, r = 3, 6, 2, 4
    assert traj.positions.shape == (d, r + 1, a, i)
    assert traj.outcome.shape == (d, r + 1, i)
    assert traj.diagnostics["mean"].shape == (d, r + 1, i)
    for name in ("risk", "move", "counterpart", "eu_self", "eu_other"):
        assert traj.diagnostics[name].shape == (d, r, a, i), name
    assert traj.diagnostics["challenges"].shape == (d, r, a, a, i)
    assert traj.diagnostics["challenges"].dtype == bool
    assert traj.diagnostics["move_names"] == eum.MOVE_NAMES
    lean = eum.run(problem, eum.EUMParams(keep_challenges=False), rounds=4)
    assert "challenges" not in lean.diagnostics and "offers" not in lean.diagnostics
    np.testing.assert_array_equal(lean.positions, traj.positions)
    zero = eum.run(problem, rounds=0)
    assert zero.positions.shape == (d, 1, a, i) and zero.diagnostics["risk"].shape == (d, 0, a, i)
    unbatched = eum.run(ec_problem, rounds=2)
    assert unbatched.positions.shape == (1, 3, 10, 1)


# ----------------------------------------------------------------------------------------------------
# The weighted median
# ----------------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.integers(0, 6), min_size=1, max_size=9),
    seed=st.integers(0, 2**32 - 1),
)
def test_weighted_median_is_the_lowest_weak_condorcet_winner(x: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    pos = np.array(x, dtype=float)
    w = rng.integers(0, 4, size=pos.size).astype(float)
    m = eum.weighted_median(pos[None], w[None])[0]
    weights = w if w.sum() > 0 else np.ones_like(w)

    def loss(y: float) -> float:  # sum of weighted distances: y beats z iff loss(y) < loss(z)
        return float(np.sum(weights * np.abs(pos - y)))

    assert m in pos
    assert all(loss(m) <= loss(y) for y in pos)
    assert all(loss(y) > loss(m) for y in pos if y < m)


def test_weighted_median_ties_go_to_the_lower_position() -> None:
    assert eum.weighted_median(np.array([[3.0, 8.0]]), np.array([[1.0, 1.0]]))[0] == 3.0
    assert eum.weighted_median(np.array([[8.0, 3.0]]), np.array([[1.0, 1.0]]))[0] == 3.0


# ----------------------------------------------------------------------------------------------------
# Degenerate inputs: defined results or ProblemError, never NaN
# ----------------------------------------------------------------------------------------------------


def assert_finite(traj) -> None:
    assert np.all(np.isfinite(traj.positions)) and np.all(np.isfinite(traj.outcome))
    for name in DIAGNOSTIC_FLOATS:
        assert np.all(np.isfinite(traj.diagnostics[name])), name


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("normalisation", NORMALISATIONS)
def test_one_actor(variant: str, normalisation: str) -> None:
    problem = Problem(np.array([[4.0, 60.0]]), np.array([[0.5, 0.0]]), np.array([0.3]), np.array([0.0, 0.0]))
    params = eum.EUMParams(variant=variant, normalisation=normalisation)
    for module in (eum, eum_oracle):
        traj = module.run(problem, params, rounds=3)
        assert_finite(traj)
        assert np.all(traj.positions == problem.positions)
        np.testing.assert_array_equal(traj.outcome[0], [[4.0, 60.0]] * 4)
        assert np.all(traj.diagnostics["risk"] == 1.0) and np.all(traj.diagnostics["move"] == eum.NONE)


@pytest.mark.parametrize("normalisation", NORMALISATIONS)
def test_all_actors_at_one_position(normalisation: str) -> None:
    problem = Problem(np.full((5, 2), 42.0), np.full((5, 2), 0.7), np.linspace(0.1, 1, 5), np.zeros(2))
    params = eum.EUMParams(normalisation=normalisation)
    for module in (eum, eum_oracle):
        traj = module.run(problem, params, rounds=3)
        assert_finite(traj)
        assert np.all(traj.positions == 42.0) and np.all(traj.outcome == 42.0)
        assert np.all(traj.diagnostics["move"] == eum.NONE)
    assert np.all(traj.diagnostics["range"] == 100.0)  # the scale's width stands in for R = 0


@pytest.mark.parametrize("normalisation", NORMALISATIONS)
@pytest.mark.parametrize("field", ["salience", "capability"])
def test_zero_weights_everywhere(field: str, normalisation: str) -> None:
    rng = np.random.default_rng(16)
    problem = random_problem(rng, 2, 6, 2)
    zeroed = Problem(
        positions=problem.positions,
        salience=np.zeros_like(problem.salience) if field == "salience" else problem.salience,
        capability=np.zeros_like(problem.capability) if field == "capability" else problem.capability,
        status_quo=problem.status_quo,
    )
    params = eum.EUMParams(normalisation=normalisation)
    fast = eum.run(zeroed, params, rounds=4)
    assert_finite(fast)
    assert_trajectories_close(fast, eum_oracle.run(zeroed, params, rounds=4))
    # with no weight anywhere every actor counts once in the median and mean
    np.testing.assert_allclose(fast.diagnostics["mean"][:, 0], zeroed.positions.mean(axis=1), rtol=1e-12)
    if field == "salience":  # nobody resists, each side expects the same: no confrontation is strict
        assert np.all(fast.diagnostics["move"] == eum.NONE)


def test_positions_at_the_scale_ends() -> None:
    positions = np.array([[0.0], [100.0], [100.0], [0.0], [0.0]])
    problem = Problem(positions, np.array([[0.9], [0.2], [1.0], [0.0], [0.5]]), np.ones(5), np.array([50.0]))
    for variant in VARIANTS:
        for normalisation in NORMALISATIONS:
            params = eum.EUMParams(variant=variant, normalisation=normalisation)
            fast = eum.run(problem, params, rounds=5)
            assert_finite(fast)
            assert np.all((fast.positions >= 0.0) & (fast.positions <= 100.0))
            assert_trajectories_close(fast, eum_oracle.run(problem, params, rounds=5))


def test_bad_inputs_raise_problem_error(ec_problem) -> None:
    too_salient = Problem(np.array([[1.0], [2.0]]), np.array([[1.5], [0.5]]), np.ones(2), np.array([1.0]))
    with pytest.raises(ProblemError, match="salience"):
        eum.run(too_salient)
    for rounds in (-1, 2.5, True):
        with pytest.raises(ProblemError, match="rounds"):
            eum.run(ec_problem, rounds=rounds)
    with pytest.raises(ProblemError):
        eum.run("not a problem")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------------
# Round hooks
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [eum, eum_oracle], ids=["vectorised", "oracle"])
def test_hook_muting_an_actor_changes_later_rounds_only(module, ec_problem) -> None:
    uk = ec_problem.actors.index("UK")
    seen: list[int] = []

    def mute_uk(state: RoundState) -> RoundState | None:
        seen.append(state.round)
        assert state.positions.shape == state.salience.shape == state.capability.shape == (1, 10, 1)
        assert state.outcome.shape == (1, 1)
        if state.round != 3:
            return None
        salience = state.salience.copy()
        salience[:, uk] = 0.0
        return RoundState(state.round, state.positions, salience, state.capability, state.outcome)

    plain = module.run(ec_problem, rounds=8)
    hooked = module.run(ec_problem, rounds=8, on_round=mute_uk)
    assert seen == list(range(1, 9))
    np.testing.assert_array_equal(hooked.positions[:, :4], plain.positions[:, :4])
    np.testing.assert_array_equal(hooked.diagnostics["risk"][:, :3], plain.diagnostics["risk"][:, :3])
    assert not np.array_equal(hooked.positions[:, 4:], plain.positions[:, 4:])
    assert not np.array_equal(hooked.diagnostics["risk"][:, 3:], plain.diagnostics["risk"][:, 3:])


def test_hook_results_agree_with_oracle_and_none_changes_nothing(ec_problem) -> None:
    def pull_greece(state: RoundState) -> RoundState:
        positions = state.positions.copy()
        positions[:, 9] = np.minimum(positions[:, 9] + 1.0, 10.0)
        return RoundState(state.round, positions, state.salience, state.capability, state.outcome)

    assert_trajectories_close(
        eum.run(ec_problem, rounds=5, on_round=pull_greece),
        eum_oracle.run(ec_problem, rounds=5, on_round=pull_greece),
    )
    assert_trajectories_equal(
        eum.run(ec_problem, rounds=5, on_round=lambda s: None), eum.run(ec_problem, rounds=5)
    )


def test_hook_with_bad_arrays_raises(ec_problem) -> None:
    def broken(state: RoundState) -> RoundState:
        return RoundState(
            state.round, state.positions[:, :3], state.salience, state.capability, state.outcome
        )

    with pytest.raises(ProblemError, match="positions"):
        eum.run(ec_problem, rounds=2, on_round=broken)

    def nan(state: RoundState) -> RoundState:
        return RoundState(
            state.round, state.positions * np.nan, state.salience, state.capability, state.outcome
        )

    with pytest.raises(ProblemError, match="NaN"):
        eum.run(ec_problem, rounds=2, on_round=nan)


def test_hook_moving_an_actor_outside_the_initial_range_stays_finite(ec_problem) -> None:
    def push_out(state: RoundState) -> RoundState:
        positions = state.positions.copy()
        positions[:, 0] = 25.0  # beyond the initial range [4, 10]: distances are clipped at 1
        return RoundState(state.round, positions, state.salience, state.capability, state.outcome)

    fast = eum.run(ec_problem, rounds=4, on_round=push_out)
    assert_finite(fast)
    assert_trajectories_close(fast, eum_oracle.run(ec_problem, rounds=4, on_round=push_out))


# ----------------------------------------------------------------------------------------------------
# Can a frozen status quo hold?
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("normalisation", NORMALISATIONS)
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), grid=st.booleans(), resistance=st.sampled_from([None, 0.0, 0.4, 1.0]))
def test_status_quo_eu_agrees_with_oracle(normalisation: str, seed: int, grid: bool, resistance) -> None:
    problem = random_problem(np.random.default_rng(seed), 2, 6, 2, grid=grid)
    params = eum.EUMParams(normalisation=normalisation)
    fast = eum.status_quo_challenge_eu(problem, params, resistance)
    slow = eum_oracle.status_quo_challenge_eu(problem, params, resistance)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-9)
    stable = eum.status_quo_stability(problem, params, resistance)
    cap = problem.capability_per_issue()
    np.testing.assert_array_equal(stable, ~np.any((cap > 0) & (slow > params.tie_tol), axis=1))


def test_status_quo_everyone_already_holds_is_stable() -> None:
    problem = Problem(np.full((4, 1), 30.0), np.full((4, 1), 0.5), np.ones(4), np.array([30.0]))
    assert np.all(eum.status_quo_challenge_eu(problem) == 0.0)
    assert eum.status_quo_stability(problem).tolist() == [[True]]


def test_status_quo_stability_reacts_to_resistance_and_capability(ec_problem) -> None:
    # nobody resists: anyone away from the status quo gains by challenging it
    assert eum.status_quo_stability(ec_problem, resistance=0.0).tolist() == [[False]]
    # certain resistance and tiny global probabilities: no challenge pays
    assert eum.status_quo_stability(ec_problem, resistance=1.0).tolist() == [[True]]
    eu = eum.status_quo_challenge_eu(ec_problem, resistance=0.0)
    away = ec_problem.positions[:, 0] != 4.0
    assert np.all(eu[0, away, 0] > 0) and np.all(eu[0, ~away, 0] == 0)
    # actors without capability cannot break it
    powerless = Problem(ec_problem.positions, ec_problem.salience, np.zeros(10), ec_problem.status_quo)
    assert eum.status_quo_stability(powerless, resistance=0.0).tolist() == [[True]]


@pytest.mark.parametrize("grid", [True, False])
def test_both_midpoint_counting_methods_give_identical_trajectories(grid: bool, monkeypatch) -> None:
    """Brute-force counting (few actors) and per-row binary search (many actors) are interchangeable."""
    problem = random_problem(np.random.default_rng(17), 4, 11, 2, grid=grid)
    brute = eum.run(problem, rounds=4)
    monkeypatch.setattr(eum.geometry, "_BRUTE_FORCE_COUNT_MAX_ACTORS", 0)
    assert_trajectories_equal(eum.run(problem, rounds=4), brute)


def test_many_actors_agree_with_oracle() -> None:
    problem = random_problem(np.random.default_rng(18), 1, 60, 1, grid=True)
    params = eum.EUMParams(normalisation="global")
    assert_trajectories_close(eum.run(problem, params, rounds=2), eum_oracle.run(problem, params, rounds=2))
