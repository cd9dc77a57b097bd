"""Executors: warm pools reused across calls, shared inputs shipped once per worker, and the same
numbers seed for seed on every executor, start method and chunking (real processes, a real Dask)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from accord.case.io import load_case
from accord.scenarios import executors
from accord.scenarios.runner import RunSpec, run_draws

FIELDS = ("forecast", "status_quo", "stable", "fired_round", "converged", "last_swing", "mean_path")


def assert_same(a, b) -> None:  # noqa: ANN001
    for name in FIELDS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def _who(shared: dict, item: int) -> tuple[int, int, int]:
    """Which worker ran ``item``, how often it has read a call's file so far, and a checksum of shared."""
    return os.getpid(), executors._READS, item + len(shared["payload"])


@pytest.fixture
def fresh_pools():
    executors.shutdown()
    yield
    executors.shutdown()


def test_the_pool_is_kept_and_shared_inputs_are_read_once_per_worker(fresh_pools) -> None:
    shared = {"payload": "x" * 100_000}
    first = executors.execute(_who, shared, list(range(8)), "processes", workers=2)
    pool = executors._POOLS[2]
    assert [r[2] for r in first] == [i + 100_000 for i in range(8)]
    second = executors.execute(_who, {"payload": "y" * 50}, list(range(12)), "processes", workers=2)
    assert executors._POOLS[2] is pool, "the second call made a new pool"
    assert [r[2] for r in second] == [i + 50 for i in range(12)]
    assert {r[0] for r in second} <= {r[0] for r in first} | set(pool._processes), "new workers started"
    # per worker, the second call's tasks saw the file read at most once (forked workers of the first
    # call found its inputs in memory and read nothing then)
    for pid in {r[0] for r in second}:
        reads = [r[1] for r in second if r[0] == pid]
        before = max([r[1] for r in first if r[0] == pid], default=0)
        assert max(reads) - before <= 1 and min(reads) >= before


def test_no_call_leaves_its_file_behind(fresh_pools, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    executors.execute(_who, {"payload": ""}, [1, 2, 3], "processes", workers=2)
    assert list(tmp_path.iterdir()) == []


def test_start_method_is_fork_in_a_single_thread_and_can_be_overridden(monkeypatch) -> None:
    import threading

    monkeypatch.delenv("ACCORD_START_METHOD", raising=False)
    if threading.active_count() == 1:
        assert executors.start_method() == "fork"
    monkeypatch.setenv("ACCORD_START_METHOD", "spawn")
    assert executors.start_method() == "spawn"
    monkeypatch.setenv("ACCORD_START_METHOD", "vfork")
    with pytest.raises(ValueError, match="ACCORD_START_METHOD"):
        executors.start_method()


def test_a_process_running_other_threads_gets_forkserver_workers(monkeypatch) -> None:
    import threading

    monkeypatch.delenv("ACCORD_START_METHOD", raising=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert executors.start_method() == "forkserver"
    finally:
        stop.set()
        other.join()


@pytest.fixture(scope="module")
def smp_spec() -> RunSpec:
    return RunSpec(load_case("nagorno-karabakh-2020"), model="smp")


@pytest.fixture(scope="module")
def smp_reference(smp_spec) -> object:
    return run_draws(smp_spec, 1100, seed=5, executor="local")


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_every_start_method_gives_the_local_numbers(
    fresh_pools, monkeypatch, smp_spec, smp_reference, method
):
    monkeypatch.setenv("ACCORD_START_METHOD", method)
    result = run_draws(smp_spec, 1100, seed=5, executor="processes", workers=2, chunk_draws=256)
    assert_same(smp_reference, result)
    assert result.timings["chunks"] == 5


@pytest.mark.parametrize("chunk", [None, 256, 512, 1100])
def test_warm_pool_gives_the_local_numbers_for_every_chunking(smp_spec, smp_reference, chunk) -> None:
    assert_same(
        smp_reference, run_draws(smp_spec, 1100, seed=5, executor="processes", workers=2, chunk_draws=chunk)
    )


def test_compiled_smp_in_workers_gives_the_local_numbers() -> None:
    """The compiled SMP (chosen for big batches) runs in forked workers with the same bits."""
    pytest.importorskip("numba")
    from dataclasses import replace

    from accord.engines.smp import SMPParams

    compiled = SMPParams(backend="numba", normalize_salience=True)
    spec = RunSpec(load_case("nagorno-karabakh-2020"), model="smp", params=compiled)
    local = run_draws(spec, 600, seed=2, executor="local")
    parallel = run_draws(spec, 600, seed=2, executor="processes", workers=2)
    assert_same(local, parallel)
    numpy_run = run_draws(replace(spec, params=replace(compiled, backend="numpy")), 600, seed=2)
    assert_same(local, numpy_run)


def test_dask_client_is_kept_and_gives_the_local_numbers(smp_spec, smp_reference) -> None:
    pytest.importorskip("distributed")
    first = run_draws(smp_spec, 1100, seed=5, executor="dask", workers=2, chunk_draws=512)
    client = executors._CLIENTS[(None, 2, True)][0]
    second = run_draws(smp_spec, 1100, seed=5, executor="dask", workers=2)
    assert executors._CLIENTS[(None, 2, True)][0] is client
    assert_same(smp_reference, first)
    assert_same(smp_reference, second)
    assert executors.worker_cpu("dask", 2) and all(v > 0 for v in executors.worker_cpu("dask", 2).values())


def _eum_threads(shared: object, item: int) -> int:
    from accord.engines.eum import backend

    return backend._cores()


def test_workers_run_the_compiled_eum_on_their_share_of_the_cores(fresh_pools) -> None:
    from accord.engines.eum import backend

    cores = len(os.sched_getaffinity(0))
    assert executors.core_share(2) == max(1, cores // 2) and executors.core_share(1) == cores
    assert set(executors.execute(_eum_threads, None, list(range(4)), "processes", workers=2)) == {
        max(1, cores // 2)
    }
    assert backend._cores() == cores, "the parent's own runs must keep every core"


def test_limit_threads_caps_the_eum_row_split(monkeypatch) -> None:
    from accord.engines.eum import backend

    monkeypatch.setattr(backend, "_ROWS_PER_THREAD", 4)
    monkeypatch.setattr(backend.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert len(backend._row_parts(64)) == 4
    backend.limit_threads(1)
    try:
        assert len(backend._row_parts(64)) == 1
    finally:
        backend.limit_threads(None)
    assert len(backend._row_parts(64)) == 4


def test_compiled_eum_in_one_thread_workers_gives_the_threaded_local_numbers(fresh_pools) -> None:
    """The compiled EUM splits rows over threads locally and runs one thread per worker: same bits."""
    pytest.importorskip("numba")
    from accord.engines.eum import EUMParams

    spec = RunSpec(
        load_case("nagorno-karabakh-2020"),
        model="eum",
        params=EUMParams(keep_challenges=False, backend="numba"),
    )
    local = run_draws(spec, 1100, seed=3, executor="local")
    assert_same(local, run_draws(spec, 1100, seed=3, executor="processes", workers=2))
    assert set(executors.execute(_eum_threads, None, [0, 1], "processes", workers=2)) == {
        executors.core_share(2)
    }


def _slow_square(shared: int, item: int) -> tuple[int, str]:
    import threading
    import time

    time.sleep(0.01 * (item % 3))  # finish out of order
    return item * item + shared, threading.current_thread().name


def test_local_threads_keep_item_order_report_every_item_and_end_with_the_call() -> None:
    import threading

    done: list[int] = []
    got = executors.execute(_slow_square, 1, list(range(9)), "local", on_done=done.append, local_threads=2)
    assert [r[0] for r in got] == [i * i + 1 for i in range(9)]
    assert {r[1].split("_")[0] for r in got} == {"accord-local"} and sorted(done) == list(range(9))
    alive = [t.name for t in threading.enumerate() if t.name.startswith("accord-local")]
    assert not alive, "the call's threads outlived it (a later pool would then not fork)"


def test_compiled_eum_on_local_threads_gives_the_one_thread_numbers(monkeypatch) -> None:
    """A local run of the compiled EUM runs its chunks on a thread per core: same bits as one thread."""
    pytest.importorskip("numba")
    from accord.engines.eum import EUMParams
    from accord.scenarios import runner

    spec = RunSpec(
        load_case("nagorno-karabakh-2020"),
        model="eum",
        params=EUMParams(keep_challenges=False, backend="numba"),
    )
    threaded = run_draws(spec, 1100, seed=4, executor="local", chunk_draws=256)
    monkeypatch.setattr(runner, "local_threads", lambda spec, executor: 1)
    assert_same(threaded, run_draws(spec, 1100, seed=4, executor="local", chunk_draws=256))
    monkeypatch.undo()
    assert runner.local_threads(spec, "local") == len(os.sched_getaffinity(0))
    assert runner.local_threads(spec, "processes") == 1
    assert runner.local_threads(RunSpec(spec.case, model="smp"), "local") == 1
