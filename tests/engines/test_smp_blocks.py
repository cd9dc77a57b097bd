"""The SMP's blocked and buffered NumPy loops give the plain loops' results bit for bit (``smp_plain``: the
loops as they were at d4de1e0), on every turn of KTAB's five samples, on seeded random problems with ties
and equal positions, and function by function on edge cases (distances beyond 1, every voting rule and
third-party rule, crowded queues, underflowing elections, absent actors)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from accord.engines.smp import SMPParams, assess, blocks, elections, run
from accord.engines.testing import random_problem

from . import smp_plain
from .test_smp import LOOSE, STRICT, _scenario


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal values and equal signs of zero (NaN nowhere expected)."""
    return a.shape == b.shape and np.array_equal(a, b) and np.array_equal(np.signbit(a), np.signbit(b))


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A context in which the engine's NumPy path runs the plain loops instead."""

    def use() -> None:
        monkeypatch.setattr(blocks, "third_parties", smp_plain.third_parties)
        monkeypatch.setattr(blocks, "state_utilities", smp_plain.state_utilities)
        monkeypatch.setattr(elections, "queue_choices", smp_plain.settle)
        monkeypatch.setattr(elections, "election", smp_plain.election)
        monkeypatch.setattr(assess, "_unique", smp_plain.unique)

    return use


def _compare(problem, plain, rounds: int = 100, seed: int = 9, **kw) -> None:  # noqa: ANN001
    params = SMPParams(backend="numpy", **kw)
    fast = run(problem, params, rounds, np.random.default_rng(seed))
    plain()
    slow = run(problem, params, rounds, np.random.default_rng(seed))
    assert _same_bits(fast.positions, slow.positions)
    assert _same_bits(fast.outcome, slow.outcome)
    for key in ("win_prob", "risk", "turns", "target"):
        assert _same_bits(fast.diagnostics[key], slow.diagnostics[key]), key


@pytest.mark.parametrize("name", STRICT + LOOSE)
def test_ktab_samples_every_turn(name: str, plain) -> None:  # noqa: ANN001
    problem, _, _ = _scenario(name)
    _compare(problem, plain)


PARAMS = [
    {},
    {"voting_rule": "binary"},
    {"voting_rule": "cubic", "third_party": "full"},
    {"voting_rule": "asym_prospect", "third_party": "none"},
    {"voting_rule": "prop_bin"},
    {"voting_rule": "prop_cubic", "victory_model": "quartic"},
    {"deterministic": False},
    {"ktab_compat": False, "victory_model": "binary"},
    {"interpolation": "S2PMax", "risk_adjust": "full"},
]


@pytest.mark.parametrize("kw", PARAMS)
@pytest.mark.parametrize("seed", [0, 1])
def test_random_batches_with_equal_positions(kw: dict, seed: int, plain) -> None:  # noqa: ANN001
    p = random_problem(31 + seed, 9 + 3 * seed, 1 + seed, 4)
    pos = p.positions.copy()
    pos[:, 1] = pos[:, 0]  # equal positions (and so equal distances and utilities: ties everywhere)
    pos[:, 4] = pos[:, 3] + 0.01  # within the tolerance of one position
    _compare(dataclasses.replace(p, positions=pos), plain, 25, seed, **kw)


def test_absent_actors(plain) -> None:  # noqa: ANN001
    p = random_problem(22, 8, 3, 4)
    present = np.random.default_rng(1).random(p.positions.shape) > 0.3
    present[:, :2] = True
    present[:, 5] = False  # an actor absent from every issue
    _compare(dataclasses.replace(p, present=present), plain, 20)


RULES = ["proportional", "cubic", "binary", "prop_bin", "prop_cubic", "asym_prospect"]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("third_party", ["semi", "full", "none"])
@pytest.mark.parametrize(("n", "a"), [(1, 1), (1, 2), (3, 17), (1, 40)])
def test_third_parties(rule: str, third_party: str, n: int, a: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Distances beyond 1 (the clamped utility), equal distances, and blocks of several third parties."""
    g = np.random.default_rng(a + n)
    dist = g.uniform(0, 1.05, (n, a, a))
    dist[:, ::3, ::2] = dist[:, :1, :1]
    r_hi, w = g.uniform(-1, 1, (n, a, a)), g.uniform(0, 1, (n, a))
    base_ij, base_ji = g.uniform(1e-10, 1, (n, a, a)), g.uniform(1e-10, 1, (n, a, a))
    params = SMPParams(voting_rule=rule, third_party=third_party)
    want = smp_plain.third_parties(dist, r_hi, w, base_ij, base_ji, params)
    for block in (blocks._BLOCK_ELEMENTS, 3 * a * a * n):  # one block, then blocks of three third parties
        monkeypatch.setattr(blocks, "_BLOCK_ELEMENTS", block)
        got = blocks.third_parties(dist, r_hi, w, base_ij, base_ji, params)
        assert all(_same_bits(x, y) for x, y in zip(got, want, strict=True))


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("victory", ["linear", "octic", "binary"])
def test_queue_choices_with_crowded_queues(rule: str, victory: str, monkeypatch: pytest.MonkeyPatch) -> None:
    g = np.random.default_rng(5)
    n, a = 4, 12
    u = g.uniform(0, 1, (n, a, a + 1))
    u[:, :, 3] = u[:, :, 2]  # two bargains every voter values alike
    w = g.uniform(0.1, 1, (n, a))
    target = g.integers(-1, a, (n, a))
    target[0, :8] = 5  # one actor targeted by most
    target[1] = -1  # nobody challenges: every queue is the status quo alone
    target = np.where(target == np.arange(a), -1, target)
    params = SMPParams(voting_rule=rule, victory_model=victory)
    uniforms = g.uniform(0, 1, (n, a))
    for chunk in (elections._PAIR_ELEMENTS, 5 * a):  # the option pairs in one chunk, then in chunks of 5
        monkeypatch.setattr(elections, "_PAIR_ELEMENTS", chunk)
        for draws in (None, uniforms):
            want = smp_plain.settle(u, target, w, params, draws)
            assert np.array_equal(elections.queue_choices(u, target, w, params, draws), want)


@pytest.mark.parametrize("victory", ["linear", "square", "binary"])
def test_elections_on_their_options(victory: str) -> None:
    g = np.random.default_rng(6)
    n, v, o = 3, 10, 14
    u = g.uniform(0, 1, (n, v, o))
    u[:, :, 5] = u[:, :, 4]
    w = g.uniform(0.1, 1, (n, v))
    mask = g.random((n, o)) > 0.4
    mask[:, 0] = True
    params = SMPParams(victory_model=victory)
    for m in (None, mask):
        assert _same_bits(elections.election(u, w, params, m), smp_plain.election(u, w, params, m))


def test_underflowing_elections_fall_back_to_log_space() -> None:
    """Products of many small victory probabilities underflow to 0 in some draws: both paths then take
    the same log-space election."""
    g = np.random.default_rng(7)
    n, o = 3, 60
    pv = g.uniform(1e-12, 1e-10, (n, o, o))
    pv[2] = g.uniform(0.2, 0.8, (o, o))  # a draw that does not underflow
    pv[:, np.arange(o), np.arange(o)] = 0.5
    real = g.random((n, o)) > 0.2
    real[:, 0] = True
    prod = np.ones((n, o))
    for j in range(o):
        prod = np.where(real[:, None, j], prod * pv[:, :, j], prod)
    assert np.all(np.where(real, prod, 0.0)[:2].sum(axis=1) == 0.0)  # the fallback is exercised
    want = smp_plain.cond_pce(pv, real[:, None, :])[:, 0, :]
    assert _same_bits(elections._condorcet(pv, real), want)


def test_state_utilities_and_unique_positions() -> None:
    g = np.random.default_rng(8)
    n, a = 3, 11
    u_pos, u_init, u_rcvr = (g.uniform(-0.1, 1, (n, a, a)) for _ in range(3))
    target = g.integers(-1, a, (n, a))
    here = g.random((n, a)) > 0.2
    for h in (np.ones((n, a), dtype=bool), here):
        got = blocks.state_utilities(u_pos, u_init, u_rcvr, target, h)
        assert _same_bits(got, smp_plain.state_utilities(u_pos, u_init, u_rcvr, target, h))
    x = np.round(g.uniform(0, 1, (n, a, 2)), 3)
    for i in range(2, 9):  # a chain: each within the tolerance of 1e-3 of the one before
        x[:, i] = x[:, i - 1] + 4e-4
    for options in (None, here):
        got, want = assess._unique(x, 1e-3, options), smp_plain.unique(x, 1e-3, options)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
