"""Which code runs the EUM's rounds: NumPy, or the compiled loops of :mod:`.kernel` (Numba, accord[fast]).

Both give the same bits (``tests/engines/test_eum_backends.py``), so the choice is about time only.
Loading Numba and the cached kernel costs about half a second of CPU (:mod:`accord.engines.numba_load`);
the compiled loops repay it from a few million actor pairs x rounds on, so ``backend="auto"`` takes them
only then (a rule of the run's size alone, so that the same call takes the same path in any process). A
caller that splits one big job into small runs (the scenario runner's blocks) asks :func:`worth_compiling`
once for the whole job and passes ``backend="numba"``.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import replace
from typing import Any, Literal

import numpy as np

from accord.engines.base import ProblemError
from accord.engines.eum.params import EUMParams

__all__ = [
    "choose",
    "compiled_outcomes",
    "compiled_round",
    "compiled_run",
    "for_many_runs",
    "limit_threads",
    "worth_compiling",
]

# Actor pairs x rounds (summed over rows) from which the compiled loops repay loading Numba: NumPy
# spends 150-300 ns per pair and round in the Monte Carlo shapes, the load is ~0.3 s.
_COMPILE_WORTH = 2e6


def _numba_installed() -> bool:
    return importlib.util.find_spec("numba") is not None


def worth_compiling(pair_rounds: float) -> bool:
    """True when Numba is installed and ``pair_rounds`` (rows x actors^2 x rounds) repays loading it."""
    return pair_rounds >= _COMPILE_WORTH and _numba_installed()


def for_many_runs(params: EUMParams, n_runs: int, case: Any, rounds: int) -> EUMParams:
    """``params`` for ``n_runs`` runs of ``case`` (every issue, every actor): ``backend="numba"`` when
    it is left on ``"auto"`` and the whole job repays loading Numba, though each of its runs may not."""
    if params.backend != "auto":
        return params
    n_actors = len(case.bargaining_actor_ids)
    if not worth_compiling(n_runs * len(case.issue_ids) * n_actors**2 * max(rounds, 1)):
        return params
    return replace(params, backend="numba")


def choose(params: EUMParams, pair_rounds: float) -> Literal["numpy", "numba"]:
    """Resolve ``params.backend`` for a run of ``pair_rounds`` actor pairs x rounds."""
    if params.backend == "numba":
        if not _numba_installed():
            raise ProblemError("EUMParams(backend='numba') needs Numba: pip install 'accord[fast]'")
        return "numba"
    if params.backend == "numpy":
        return "numpy"
    return "numba" if worth_compiling(pair_rounds) else "numpy"


def _constants(params: EUMParams) -> tuple[float, float, float, bool, bool, int, float, float, float, float]:
    """The kernel's constants: exponent, q, tolerance, variant, normalisation, the risk map of
    :func:`accord.engines.eum.geometry._risk_from_score` as (mode, 1 - r_min, k1, k2), and 0.5."""
    lo, hi = params.r_min, params.r_max
    mode, c1, k1, k2 = 0, 1.0 - lo, 1.0, 1.0
    if lo + hi != 2.0:
        k2 = (hi - lo) / (lo + hi - 2.0)
        mode, c1, k1 = 1, 0.0, k2 / (k2 - lo * (k2 + 1.0))
    variant = (params.variant == "reference", params.normalisation == "pairwise")
    return (
        float(params.danger_exponent),
        float(params.q),
        float(params.tie_tol),
        *variant,
        mode,
        c1,
        k1,
        k2,
        0.5,
    )


def _c(a: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=dtype)


def compiled_round(
    x: np.ndarray, s: np.ndarray, w: np.ndarray, rng_: np.ndarray, present: np.ndarray, params: EUMParams
) -> dict[str, Any]:
    """One round on all rows ``[N, A]`` (present actors only), the fields of ``geometry._round``."""
    from accord.engines.eum import kernel

    n_rows, n = x.shape
    part: dict[str, Any] = {
        "x": np.empty_like(x),
        "risk": np.empty_like(x),
        "move": np.empty((n_rows, n), dtype=np.int8),
        "counterpart": np.empty((n_rows, n), dtype=np.int64),
        "eu_self": np.empty_like(x),
        "eu_other": np.empty_like(x),
        "offers": np.empty((n_rows if params.keep_challenges else 0, n, n), dtype=np.int8),
    }
    kernel.round_rows(
        _c(x), _c(s), _c(w), _c(rng_), _c(present, np.bool_), _constants(params),
        *(part[name] for name in ("x", "risk", "move", "counterpart", "eu_self", "eu_other", "offers")),
    )  # fmt: skip
    return part


def compiled_run(
    x: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    rng_: np.ndarray,
    present: np.ndarray,
    status_quo: np.ndarray,
    params: EUMParams,
    out: dict[str, np.ndarray],
) -> None:
    """Every round of a run without a hook, row by row, written into ``out`` in the trajectory's layout:
    ``positions`` ``[D, R + 1, A, I]``, ``outcome`` and ``mean`` ``[D, R + 1, I]``, ``risk``, ``move``,
    ``counterpart``, ``eu_self``, ``eu_other`` ``[D, R, A, I]``, ``offers`` ``[D, R, A, A, I]`` (or an
    empty array when offers are not kept)."""
    from accord.engines.eum import kernel

    args = (_c(x), _c(s), _c(w), _c(rng_), _c(present, np.bool_), _c(status_quo), _constants(params))
    names = ("positions", "outcome", "mean", "risk", "move", "counterpart", "eu_self", "eu_other", "offers")
    outputs = [out[name] for name in names]
    assert all(o.flags.c_contiguous for o in outputs)

    def rows(part: slice) -> None:
        kernel.run_rows(*args, part.start, part.stop, *outputs)  # type: ignore[call-arg]

    parts = _row_parts(x.shape[0])
    if len(parts) == 1:
        rows(parts[0])
    else:  # the kernel releases the GIL: the cores share the rows, which never meet (same bits)
        list(_pool().map(rows, parts))


# Rows per thread below which one thread does everything (a thread hand-off costs ~0.1 ms)
_ROWS_PER_THREAD = 256
_POOL: Any = None
_THREADS: int | None = None  # a cap on the threads, set in a worker process that shares the cores
_CALLER = threading.local()  # the same, for runs started from one thread (one of several sharing the cores)


def limit_threads(n: int | None, this_thread: bool = False) -> None:
    """Run the compiled EUM on at most ``n`` threads (``None``: one per core), in this process or, with
    ``this_thread``, in runs this thread starts. Callers that already share the cores set their share:
    two workers on two cores that each split their rows over two threads would only swap them."""
    cap = max(1, n) if n else None
    if this_thread:
        _CALLER.cap = cap
    else:
        global _THREADS
        _THREADS = cap


def _cores() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    cap = getattr(_CALLER, "cap", None) or _THREADS
    return min(cores, cap) if cap else cores


def _row_parts(n_rows: int) -> list[slice]:
    """Contiguous row ranges, one per core that has at least ``_ROWS_PER_THREAD`` rows to do."""
    n = max(1, min(_cores(), n_rows // _ROWS_PER_THREAD))
    bounds = np.linspace(0, n_rows, n + 1).astype(int)
    return [slice(int(lo), int(hi)) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def _pool() -> Any:
    """The process's thread pool (made anew in a forked child, whose copy of the parent's has no threads)."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        from concurrent.futures import ThreadPoolExecutor

        _POOL = (os.getpid(), ThreadPoolExecutor(max_workers=_cores(), thread_name_prefix="accord-eum"))
    return _POOL[1]


def compiled_outcomes(
    x: np.ndarray, w: np.ndarray, present: np.ndarray, status_quo: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted median and mean per row over the present actors (the status quo where nobody is)."""
    from accord.engines.eum import kernel

    median, mean = np.empty(x.shape[0]), np.empty(x.shape[0])
    kernel.outcomes(
        np.ascontiguousarray(x, dtype=np.float64),
        np.ascontiguousarray(w, dtype=np.float64),
        np.ascontiguousarray(present, dtype=np.bool_),
        np.ascontiguousarray(status_quo, dtype=np.float64),
        median,
        mean,
    )
    return median, mean
