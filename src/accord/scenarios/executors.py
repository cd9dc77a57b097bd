"""Where chunks of Monte Carlo work run: this process, a warm process pool, or a Dask cluster.

``execute(fn, shared, items, executor)`` returns ``[fn(shared, item) for item in items]`` in item order,
whichever executor ran them; ``fn`` and ``shared`` must be picklable for the parallel ones.

Why the pool and the cluster are kept warm: a worker that starts from scratch imports Accord, NumPy and
(for the compiled SMP) Numba, about a second of CPU, which on two cores ate the whole parallel gain of a
10,000-draw run. So

- the process pool is created once per process and reused by every later call with the same number of
  workers (it is shut down at exit). On Linux, when this process runs a single thread, its workers are
  forked, so they start in milliseconds with everything this process has imported and loaded (call
  :func:`warm` on the engine first and the compiled kernels come along). A process that runs other
  threads (a progress bar, a web server) gets ``forkserver`` workers instead, forked from a server that
  imported the runner once, because forking a threaded process can inherit a lock held by another
  thread. ``ACCORD_START_METHOD`` (``fork``, ``forkserver``, ``spawn``) overrides the choice.
- ``shared`` (the case, the scenario, the parameters) is pickled once per call into a temporary file;
  a task carries only its item and the file's name, and each worker reads the file once per call (a
  pool forked for this very call finds it in memory and reads nothing).
- the Dask client (a ``LocalCluster`` of one-thread workers when no scheduler address is given) is
  also kept for the process's lifetime, and ``shared`` is scattered once to every worker per call.
- the workers of the pool and of our own cluster share this machine's cores: each runs the compiled
  EUM on its share of them (one thread each when there are as many workers as cores), where a lone
  process (the local executor) runs it on all of them.
"""

from __future__ import annotations

import atexit
import os
import pickle
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from accord import workspace

__all__ = ["EXECUTORS", "core_share", "default_workers", "execute", "shutdown", "start_method", "worker_cpu"]

EXECUTORS = ("local", "processes", "dask")
START_METHODS = ("fork", "forkserver", "spawn")

_POOLS: dict[int, Any] = {}  # workers -> ProcessPoolExecutor
_CLIENTS: dict[tuple[str | None, int, bool], Any] = {}  # (scheduler, workers, processes) -> (client, cluster)
_LOCK = threading.Lock()
# in a worker (or, before forking, in the parent): the shared object of recent calls, by token
_SHARED: dict[str, Any] = {}
_SHARED_KEEP = 4


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def core_share(workers: int) -> int:
    """Threads for each of ``workers`` processes on this machine's cores (at least one)."""
    return max(1, _cores() // max(1, workers))


def _share_cores(threads: int) -> None:
    """In a worker: run the compiled EUM on ``threads`` threads (its share), not on every core."""
    from accord.engines.eum.backend import limit_threads

    limit_threads(threads)


def execute(
    fn: Callable[[Any, Any], Any],
    shared: Any,
    items: Sequence[Any],
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[int], None] | None = None,
    dask_processes: bool = True,
    local_threads: int = 1,
) -> list[Any]:
    """``[fn(shared, item) for item in items]`` on the chosen executor, results in item order.

    ``on_done(i)`` is called as item ``i`` completes (in completion order), for progress bars.
    ``local_threads`` > 1 runs the local executor's items on that many threads of this process; only
    for an ``fn`` that is thread-safe and spends most of its time without the GIL (compiled code).
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of: {', '.join(EXECUTORS)}")
    workers = workers or default_workers()
    if executor == "local" and local_threads > 1 and len(items) > 1:
        return _execute_threads(fn, shared, items, local_threads, on_done)
    if executor == "local":
        results = []
        for i, item in enumerate(items):
            results.append(fn(shared, item))
            if on_done:
                on_done(i)
        return results
    if executor == "processes":
        return _execute_processes(fn, shared, items, workers, on_done)
    return _execute_dask(fn, shared, items, workers, scheduler, on_done, dask_processes)


def _share_cores_in_thread(threads: int) -> None:
    from accord.engines.eum.backend import limit_threads

    limit_threads(threads, this_thread=True)


def _execute_threads(
    fn: Callable[[Any, Any], Any],
    shared: Any,
    items: Sequence[Any],
    threads: int,
    on_done: Callable[[int], None] | None,
) -> list[Any]:
    """The local executor on ``threads`` threads, each running the compiled EUM on its share of the cores.

    Why: a local run of the compiled EUM that splits each call's rows over the cores still samples,
    prepares and summarises every block on one thread, a sixth of its time on two cores; with two
    items in flight one thread samples while the other's rows run. The threads live for this call
    only, so that a later call still sees a single-threaded process and forks its workers.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    results: list[Any] = [None] * len(items)
    with ThreadPoolExecutor(
        max_workers=threads,
        thread_name_prefix="accord-local",
        initializer=_share_cores_in_thread,
        initargs=(core_share(threads),),
    ) as pool:
        futures = {pool.submit(fn, shared, item): i for i, item in enumerate(items)}
        try:
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                if on_done:
                    on_done(i)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # an error (or ^C) stops the items not started
            raise
    return results


# ---------------------------------------------------------------------------------------------------
# Process pool
# ---------------------------------------------------------------------------------------------------


def start_method() -> str:
    """How pool workers start: ``ACCORD_START_METHOD``, else fork when safe (see the module docstring)."""
    import multiprocessing

    available = multiprocessing.get_all_start_methods()
    chosen = workspace.start_method()
    if chosen:
        if chosen not in START_METHODS or chosen not in available:
            raise ValueError(
                f"ACCORD_START_METHOD={chosen!r} is not available here; choose one of: "
                + ", ".join(m for m in START_METHODS if m in available)
            )
        return chosen
    if "fork" in available and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in available else "spawn"


def _pool(workers: int) -> Any:
    """The process pool of ``workers`` workers, created on first use and kept for later calls."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with _LOCK:
        pool = _POOLS.get(workers)  # kept whatever its start method (its own thread would now say "not fork")
        if pool is None:
            method = start_method()
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                # the server imports the runner (and so the engines' base) once; workers fork from it
                context.set_forkserver_preload(["accord.scenarios.runner"])
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_share_cores,
                initargs=(core_share(workers),),
            )
            _POOLS[workers] = pool
        return pool


def _remember(token: str, shared: Any) -> None:
    _SHARED[token] = shared
    while len(_SHARED) > _SHARED_KEEP:
        del _SHARED[next(iter(_SHARED))]


_READS = 0  # in a worker: how many times it read a call's file (the tests check: once per call at most)


def _shared_of(token: str, path: str) -> Any:
    """The call's shared object: from memory if this worker has it (or was forked holding it), else
    read once from the call's file."""
    global _READS
    if token not in _SHARED:
        with open(path, "rb") as f:
            _remember(token, pickle.load(f))
        _READS += 1
    return _SHARED[token]


def _pool_task(fn: Callable[[Any, Any], Any], token: str, path: str, item: Any) -> Any:
    return fn(_shared_of(token, path), item)


def _execute_processes(
    fn: Callable[[Any, Any], Any],
    shared: Any,
    items: Sequence[Any],
    workers: int,
    on_done: Callable[[int], None] | None,
) -> list[Any]:
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    token = uuid.uuid4().hex
    fd, path = tempfile.mkstemp(prefix="accord-shared-", suffix=".pickle")
    results: list[Any] = [None] * len(items)
    _remember(token, shared)  # workers forked during this call inherit it
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(shared, f, protocol=pickle.HIGHEST_PROTOCOL)
        pool = _pool(workers)
        futures = {pool.submit(_pool_task, fn, token, path, item): i for i, item in enumerate(items)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if on_done:
                on_done(i)
    except BrokenProcessPool as exc:
        shutdown()
        raise RuntimeError(
            "a worker process died (out of memory?); try fewer --workers or the local executor"
        ) from exc
    finally:
        _SHARED.pop(token, None)
        os.unlink(path)
    return results


# ---------------------------------------------------------------------------------------------------
# Dask
# ---------------------------------------------------------------------------------------------------


def _client(scheduler: str | None, workers: int, processes: bool) -> Any:
    """A Dask client kept for the process's lifetime: to ``scheduler``, else to our own LocalCluster."""
    import logging

    import dask
    from dask.distributed import Client, LocalCluster

    key = (scheduler, workers if scheduler is None else 0, processes if scheduler is None else True)
    with _LOCK:
        if key in _CLIENTS:
            client, _ = _CLIENTS[key]
            if client.status == "running":
                return client
            _close_client(key)
        cluster = None
        if scheduler is None:
            # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which makes glibc return
            # memory after every large temporary array; the EUM's many short-lived arrays then run
            # about half as fast. Our own cluster's workers keep the default allocator. They start by
            # the pool's rule (fork when safe), so they come with what this process has loaded.
            method = start_method()
            config = {
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                "distributed.worker.multiprocessing-method": method,
                # one task per worker thread at a time: chunks of uneven cost then even out at the end
                "distributed.scheduler.worker-saturation": 1.0,
                # the workers' statistical profiler samples every thread's stack every 10 ms: ~10-30%
                # more CPU per task here, for a dashboard this cluster does not serve
                "distributed.worker.profile.enabled": False,
            }
            with dask.config.set(config):
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
        client = Client(cluster if cluster is not None else scheduler, set_as_default=False)
        if cluster is not None and processes:  # (thread workers share this process: nothing to split)
            client.run(_share_cores, core_share(workers))
        if not _CLIENTS:  # registered after Dask's own exit handlers, so it runs before them
            atexit.register(_close_clients)
        _CLIENTS[key] = (client, cluster)
        return client


def _close_client(key: tuple[str | None, int, bool]) -> None:
    client, cluster = _CLIENTS.pop(key)
    client.close()
    if cluster is not None:
        cluster.close()


def _execute_dask(
    fn: Callable[[Any, Any], Any],
    shared: Any,
    items: Sequence[Any],
    workers: int,
    scheduler: str | None,
    on_done: Callable[[int], None] | None,
    processes: bool,
) -> list[Any]:
    from dask.distributed import as_completed

    client = _client(scheduler, workers, processes)
    [shared_future] = client.scatter([shared], broadcast=True, hash=False)  # one object, not its items
    try:
        futures = [client.submit(fn, shared_future, item, pure=False) for item in items]
        index = {f.key: i for i, f in enumerate(futures)}
        for future in as_completed(futures, loop=client.loop):
            if on_done:
                on_done(index[future.key])
        return list(client.gather(futures))
    finally:
        shared_future.release()


def worker_cpu(executor: str, workers: int | None = None, scheduler: str | None = None) -> dict[str, float]:
    """CPU seconds (user + system) each kept worker of ``executor`` has used so far, by worker; empty
    when there is none. Benchmarks read it before and after a call: on a shared machine wall time says
    little about a parallel speed-up, the work each worker did says how it would go on a quiet one."""
    workers = workers or default_workers()
    if executor == "processes":
        pool = _POOLS.get(workers)
        pids = list(getattr(pool, "_processes", None) or {}) if pool is not None else []
        return {str(pid): _proc_cpu(pid) for pid in pids}
    if executor == "dask":
        import time

        key = (scheduler, workers if scheduler is None else 0, True)
        if key not in _CLIENTS:
            return {}
        return {str(k): float(v) for k, v in _CLIENTS[key][0].run(time.process_time).items()}
    return {}


def _proc_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _close_clients() -> None:
    with _LOCK:
        for key in list(_CLIENTS):
            _close_client(key)


def shutdown() -> None:
    """Stop the kept process pools and Dask clients (done at exit; call it to free their memory)."""
    with _LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)
    _close_clients()


atexit.register(shutdown)
