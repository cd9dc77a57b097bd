"""Reproducible Monte Carlo runs: one seed, the same numbers on every executor and chunking."""

from __future__ import annotations

import numpy as np
import pytest

from accord.engines.registry import UnknownModelError
from accord.scenarios.language import Scenario
from accord.scenarios.runner import BLOCK_DRAWS, RunSpec, chunk_blocks, run_draws
from accord.scenarios.service import run_scenario
from accord.scenarios.summary import parse_threshold

FIELDS = ("forecast", "status_quo", "stable", "fired_round", "path_bands")


def assert_same(a, b) -> None:  # noqa: ANN001
    for name in FIELDS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@pytest.fixture(scope="module")
def spec() -> RunSpec:
    from accord.case.io import load_case

    scenario = Scenario.model_validate(
        {
            "id": "t",
            "title": "T",
            "interventions": [
                {"kind": "align", "actor": "russia", "with": "armenia", "weight": 0.5, "issue": "territory"},
                {
                    "kind": "trigger",
                    "when": {"issue": "territory", "op": "<=", "threshold": 20},
                    "then": [
                        {
                            "kind": "shift",
                            "actor": "turkey",
                            "attribute": "salience",
                            "issue": "territory",
                            "by": 0.2,
                        }
                    ],
                },
            ],
        }
    )
    return RunSpec(load_case("nagorno-karabakh-2020"), scenario, model="eum", rounds=6)


@pytest.fixture(scope="module")
def reference(spec):
    return run_draws(spec, 600, seed=11, executor="local")


def test_chunk_size_does_not_change_results(spec, reference):
    assert reference.forecast.shape == (600, 5) and reference.fired_round.shape == (600, 1)
    assert_same(reference, run_draws(spec, 600, seed=11, executor="local", chunk_draws=600))
    assert_same(reference, run_draws(spec, 600, seed=11, executor="local", chunk_draws=300))


def test_path_bands_bracket_the_median_per_round(spec, reference):
    bands = reference.path_bands
    assert bands.shape == (3, 7, 5)  # 5/50/95%, rounds 0..6, issues
    assert np.all(bands[0] <= bands[1]) and np.all(bands[1] <= bands[2])
    # round 6 of the bands is the final forecast's spread over the same draws
    assert np.allclose(bands[:, -1], np.quantile(reference.forecast, [0.05, 0.5, 0.95], axis=0))


def test_blocks_make_prefixes_reproducible(spec, reference):
    first = run_draws(spec, BLOCK_DRAWS, seed=11)
    assert np.array_equal(first.forecast, reference.forecast[:BLOCK_DRAWS])
    other = run_draws(spec, BLOCK_DRAWS, seed=12)
    assert not np.array_equal(other.forecast, first.forecast)


def test_processes_give_identical_results(spec, reference):
    assert_same(reference, run_draws(spec, 600, seed=11, executor="processes", workers=2, chunk_draws=256))


def test_dask_local_cluster_gives_identical_results(spec, reference):
    """A real dask.distributed LocalCluster with two worker processes (not threads)."""
    result = run_draws(spec, 600, seed=11, executor="dask", workers=2, chunk_draws=512, dask_processes=True)
    assert result.timings["executor"] == "dask" and result.timings["chunks"] == 2
    assert_same(reference, result)


def test_chunking_rule():
    assert chunk_blocks(5, None, "local", 2) == [[0], [1], [2], [3], [4]]
    assert chunk_blocks(5, 600, "local", 2) == [[0, 1, 2], [3, 4]]
    assert chunk_blocks(20, None, "processes", 2) == [[2 * k, 2 * k + 1] for k in range(10)]
    # whole engine calls of four blocks: one per chunk locally, about four chunks per worker otherwise
    assert chunk_blocks(10, None, "local", 2, group=4) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert chunk_blocks(40, None, "dask", 2, group=4) == [list(range(4 * k, 4 * k + 4)) for k in range(10)]
    assert chunk_blocks(3907, None, "dask", 2, group=4)[0] == list(range(488))


def test_engine_batches_give_the_numbers_of_single_blocks(spec, reference) -> None:
    """Several blocks in one engine call (deterministic engines) give each block's own numbers."""
    from dataclasses import replace

    from accord.scenarios import runner

    assert runner.engine_blocks(spec) == runner.ENGINE_BLOCKS
    sizes = runner.block_sizes(600)
    batched = runner.run_blocks(spec, 11, [0, 1, 2], sizes)
    for b, got in enumerate(batched):
        alone = runner.run_block(spec, 11, b, sizes[b])
        for key in ("forecast", "status_quo", "stable", "converged", "last_swing", "fired_round", "paths"):
            assert np.array_equal(got[key], alone[key]), key
    smp = replace(spec, model="smp", rounds=None)
    batched = runner.run_blocks(smp, 3, [0, 1, 2], sizes)
    for b, got in enumerate(batched):
        assert np.array_equal(got["paths"], runner.run_block(smp, 3, b, sizes[b])["paths"])


def test_stochastic_runs_are_not_batched(spec) -> None:
    from dataclasses import replace

    from accord.engines.smp import SMPParams
    from accord.scenarios import runner

    stochastic = replace(spec, model="smp", rounds=None, params=SMPParams(deterministic=False))
    assert runner.engine_blocks(stochastic) == 1
    with pytest.raises(UnknownModelError):  # a run spec names a registered model (or an alias) only
        replace(spec, model="not-a-known-model")


def test_summary_reports_intervals_thresholds_and_stability(spec, reference):
    t = parse_threshold("territory>=50")
    s = reference.summary([t])
    row = s["issues"]["territory"]
    f = reference.forecast[:, 0]
    assert row["median"] == pytest.approx(np.median(f)) and row["p05"] <= row["median"] <= row["p95"]
    assert row["P(territory>=50)"] == pytest.approx(np.mean(f >= 50)) == s["thresholds"]["territory>=50"]
    assert 0 <= row["stable_share"] <= 1 and 0 <= s["stable_all"] <= min(
        r["stable_share"] for r in s["issues"].values()
    )
    trig = s["triggers"]["trigger-1"]
    assert trig["fired_share"] == pytest.approx(np.mean(reference.fired_round[:, 0] > 0))
    frame = reference.frame()
    assert len(frame) == 600 * 5 and list(frame.columns[:5]) == [
        "draw",
        "issue",
        "forecast",
        "status_quo",
        "stable",
    ]


def test_run_scenario_point_and_draws_with_baselines(case):
    point = run_scenario(None, case, model="median")
    assert point.point is not None and point.summary()["draws"] == 1
    draws = run_scenario(None, case, model="mean", draws=300, seed=1, thresholds=["land>=40"])
    assert draws.draws is not None and "P(land>=40)" in draws.summary()["issues"]["land"]
    with pytest.raises(ValueError, match="unknown issue"):
        run_scenario(None, case, model="mean", draws=10, thresholds=["sea>=40"])


def test_status_quo_share_and_convergence_come_from_the_draws_themselves() -> None:
    """The stable share is the share of draws whose forecast ends within 2 points of the status quo: it
    cannot say "stable" while the median forecast moves away (the old EUM reading could)."""
    from accord.case.io import load_case

    case = load_case("nagorno-karabakh-2020")
    for model in ("smp", "eum"):
        result = run_draws(RunSpec(case=case, model=model), 256, seed=4)
        near = np.abs(result.forecast - result.status_quo) <= 2.0 + 1e-12
        np.testing.assert_array_equal(result.stable, near)
        summary = result.summary()
        for issue in result.issues:
            row = summary["issues"][issue]
            if abs(row["median"] - row["status_quo"]) > 2.0 + 1e-9:
                assert row["stable_share"] <= 0.5, (model, issue)
        assert result.converged is not None and result.converged.shape == (256,)
        assert 0.0 <= summary["converged_share"] <= 1.0
    # the EUM's ten rounds leave many draws swinging; that is reported, not hidden
    assert summary["converged_share"] < 1.0 and summary["max_last_swing"] > 2.0


def test_smp_draws_are_the_same_with_the_compiled_kernels() -> None:
    pytest.importorskip("numba", reason="accord[fast] is part of the test extra")
    from accord.case.io import load_case
    from accord.engines.smp import SMPParams
    from accord.scenarios.runner import for_many_runs

    case = load_case("nagorno-karabakh-2020")
    runs = {
        backend: run_draws(
            RunSpec(case=case, model="smp", params=SMPParams(normalize_salience=True, backend=backend)),
            300,
            seed=8,
        )
        for backend in ("numpy", "numba")
    }
    np.testing.assert_array_equal(runs["numpy"].forecast, runs["numba"].forecast)
    np.testing.assert_array_equal(runs["numpy"].mean_path, runs["numba"].mean_path)
    spec = RunSpec(case=case, model="smp")
    assert for_many_runs(spec, 10_000).engine_params().backend == "numba"
    assert for_many_runs(spec, 1).engine_params().backend == "auto"
    # two workers that each load the kernels (spawned, remote) share the saving but not the loading
    assert for_many_runs(spec, 10_000, workers=2).engine_params().backend == "auto"
    assert for_many_runs(spec, 100_000, workers=2).engine_params().backend == "numba"
