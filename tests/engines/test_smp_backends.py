"""The SMP's compiled kernels (Numba, accord[fast]) give the NumPy code's results bit for bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from accord.engines.smp import SMPParams, run
from accord.engines.testing import check_engine, random_problem

from .test_smp import LOOSE, STRICT, _scenario

pytest.importorskip("numba", reason="the compiled SMP backend needs accord[fast] (numba)")


def _both(problem, rounds: int = 100, **kw):  # noqa: ANN001, ANN202
    a = run(problem, SMPParams(backend="numpy", **kw), rounds, np.random.default_rng(9))
    b = run(problem, SMPParams(backend="numba", **kw), rounds, np.random.default_rng(9))
    return a, b


def _same(a, b) -> None:  # noqa: ANN001
    np.testing.assert_array_equal(a.positions, b.positions)
    np.testing.assert_array_equal(a.outcome, b.outcome)
    np.testing.assert_array_equal(a.diagnostics["win_prob"], b.diagnostics["win_prob"])
    np.testing.assert_array_equal(a.diagnostics["turns"], b.diagnostics["turns"])


@pytest.mark.parametrize("name", STRICT + LOOSE)
def test_ktab_samples_bit_identical(name: str) -> None:
    problem, _, _ = _scenario(name)
    _same(*_both(problem))


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"voting_rule": "binary"},
        {"voting_rule": "cubic", "third_party": "full"},
        {"voting_rule": "asym_prospect", "third_party": "none"},
        {"voting_rule": "prop_bin"},
        {"voting_rule": "prop_cubic"},
        {"deterministic": False},
        {"ktab_compat": False},
    ],
)
def test_random_batches_bit_identical(kw: dict) -> None:
    _same(*_both(random_problem(21, 9, 3, 6), 20, **kw))


def test_missing_positions_bit_identical() -> None:
    p = random_problem(22, 8, 3, 4)
    present = np.random.default_rng(1).random(p.positions.shape) > 0.3
    present[:, :2] = True
    present[:, 5] = False  # an actor absent from every issue
    _same(*_both(dataclasses.replace(p, present=present), 20))


def test_compiled_engine_passes_the_contract() -> None:
    from accord.engines.smp import SMPEngine

    check_engine(SMPEngine(SMPParams(backend="numba")))


@pytest.mark.parametrize("rule", ["proportional", "cubic"])
@pytest.mark.parametrize("third_party", ["semi", "full"])
def test_third_party_kernels_match_numpy_with_distances_beyond_one(rule: str, third_party: str) -> None:
    """The vectorised kernel for KTAB's defaults and the generic one give NumPy's bits, also where a
    distance exceeds 1 (the clamped branch of the utility, reachable through round-off)."""
    from accord.engines.smp import kernel
    from accord.engines.smp.turn import _third_parties

    g = np.random.default_rng(4)
    n, a = 3, 17
    dist = g.uniform(0, 1.05, (n, a, a))
    r_hi, w = g.uniform(-1, 1, (n, a, a)), g.uniform(0, 1, (n, a))
    base_ij, base_ji = g.uniform(1e-10, 1, (n, a, a)), g.uniform(1e-10, 1, (n, a, a))
    params = SMPParams(voting_rule=rule, third_party=third_party, backend="numpy")
    want = _third_parties(dist, r_hi, w, base_ij, base_ji, params)
    got = kernel.third_parties(dist, r_hi, w, base_ij, base_ji, rule, third_party)
    np.testing.assert_array_equal(want[0], got[0])
    np.testing.assert_array_equal(want[1], got[1])
