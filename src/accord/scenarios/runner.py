"""Monte Carlo runs in reproducible blocks, on a local loop, a process pool or Dask.

Draws are cut into fixed blocks of :data:`BLOCK_DRAWS`. Block ``b`` gets its own random streams,
``SeedSequence(seed, spawn_key=(b,))`` (the ``b``-th child of ``SeedSequence(seed).spawn``), split once
more into a sampling stream and an engine stream. Each block is sampled, transformed by the scenario and
run through the engine on its own, and a chunk is a list of whole blocks. So a block's numbers depend
only on (seed, block index, block size, inputs), never on which worker ran it or how blocks were
grouped: the same seed gives identical arrays with every executor and chunk size.

Executors (:mod:`accord.scenarios.executors`) map a picklable function over chunks: ``local`` runs them
in this process, ``processes`` in a process pool kept warm for the process's lifetime, ``dask`` on a
``dask.distributed`` cluster (a ``LocalCluster`` when no scheduler address is given); either way the
shared inputs travel once per worker and call, and only block indices per chunk.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from accord.case.model import Case
from accord.case.problem import apply_consent
from accord.engines.base import Problem, Trajectory
from accord.engines.convergence import Convergence, convergence, status_quo_held
from accord.engines.registry import (
    DEFAULT_MODEL,
    DEFAULT_ROUNDS,
    canonical_model,
    case_params,
    get_engine,
)
from accord.scenarios.executors import EXECUTORS, core_share, default_workers, execute, start_method
from accord.scenarios.interventions import apply_interventions
from accord.scenarios.summary import DrawResults
from accord.scenarios.triggers import CompiledTrigger, TriggerHook, compile_triggers
from accord.scenarios.uncertainty import fill_problem, laws, point_problem, sample_problem, sample_quantities

if TYPE_CHECKING:  # the scenario language loads when a scenario is read (start-up of a plain run)
    from accord.scenarios.language import Scenario

__all__ = [
    "BLOCK_DRAWS",
    "EXECUTORS",
    "RunSpec",
    "default_workers",
    "execute",
    "prepare",
    "run_draws",
    "run_prepared",
]

BLOCK_DRAWS = 256
# Per-round bands across draws come from the full outcome paths of the first blocks only: memory stays
# bounded (SMP paths can run to 100 turns) and, blocks being fixed by the seed, the bands are identical
# whatever the executor or chunking.
BAND_BLOCKS = 8


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs to turn a block index into outcomes (picklable)."""

    case: Case
    scenario: Scenario | None = None
    model: str = DEFAULT_MODEL
    rounds: int | None = None
    params: Any | None = None
    perspective: str | None = None

    def __post_init__(self) -> None:
        # an alias (``mean``) runs, and is reported, as its engine's registered name
        object.__setattr__(self, "model", canonical_model(self.model))

    @property
    def n_rounds(self) -> int:
        return DEFAULT_ROUNDS[self.model] if self.rounds is None else self.rounds

    def engine_params(self) -> Any:
        """The user's parameters, else the API's defaults for a case (the SMP rescales saliences), and
        for the EUM without the (large) offer matrices."""
        if self.params is None and self.model == "eum":
            from accord.engines.eum import EUMParams

            return EUMParams(keep_challenges=False)
        return case_params(self.model, self.params)

    @property
    def interventions(self) -> list[Any]:
        return self.scenario.static if self.scenario is not None else []

    def triggers(self) -> list[CompiledTrigger]:
        if self.scenario is None:
            return []
        return compile_triggers(self.scenario.triggers, self.case, self.case.issue_ids, self.scenario.states)


def for_many_runs(spec: RunSpec, n_runs: int, workers: int = 1) -> RunSpec:
    """``spec`` for ``n_runs`` model runs shared by ``workers`` processes: an engine left on
    ``backend="auto"`` takes the compiled kernels when each worker's share of the runs repays loading
    them (each block alone may be too small to decide so). ``workers`` > 1 when each worker loads
    the kernels itself (spawned workers, a remote cluster): the saving is shared, the loading is not.
    The kernels give the NumPy code's bits, so results do not change. The SMP and the EUM alike."""
    if spec.model == "eum":
        from accord.engines.eum.backend import for_many_runs as eum_for_many_runs

        share = math.ceil(n_runs / max(1, workers))
        return replace(spec, params=eum_for_many_runs(spec.engine_params(), share, spec.case, spec.n_rounds))
    if spec.model != "smp":
        return spec
    from accord.engines.smp import SMPParams
    from accord.engines.smp.driver import compile_work, worth_compiling

    params = spec.engine_params()
    if not isinstance(params, SMPParams) or params.backend != "auto":
        return spec
    n_actors = len(spec.case.bargaining_actor_ids)
    share = math.ceil(n_runs / max(1, workers))
    if not worth_compiling(compile_work(share, n_actors, spec.n_rounds)):
        return spec
    return replace(spec, params=replace(params, backend="numba"))


def loading_shares(executor: str, workers: int, scheduler: str | None = None) -> int:
    """Among how many processes a run's work is shared when each loads the engine on its own: 1 when
    this process runs it or forks its workers after :func:`warm` (they inherit what it loaded), else
    the number of workers."""
    if executor == "local" or (scheduler is None and start_method() == "fork"):
        return 1
    return workers


def local_threads(spec: RunSpec, executor: str) -> int:
    """Threads for a local run's chunks: one per core for the compiled EUM, whose rows run without the
    GIL (one chunk's sampling then overlaps the other's rows), else one (the SMP's turns hold the GIL)."""
    if executor != "local" or spec.model != "eum" or getattr(spec.engine_params(), "backend", "") != "numba":
        return 1
    return max(1, core_share(1))


def warm_before_forking(spec: RunSpec, executor: str, scheduler: str | None) -> None:
    """:func:`warm` when the run's workers will be forked from this process (they inherit the loaded
    engine, paid once here instead of once per worker)."""
    if executor != "local" and scheduler is None and start_method() == "fork":
        warm(spec)


def warm(spec: RunSpec) -> None:
    """Run the engine once on the point problem for one round, so that this process has imported and
    loaded everything a block needs (the compiled SMP kernels included) before it forks workers."""
    run_prepared(replace(spec, rounds=1), point_problem(spec.case, spec.perspective))


def prepare(spec: RunSpec, problem: Problem) -> tuple[Problem, TriggerHook | None]:
    """Apply the scenario's static interventions to ``problem`` and build its trigger hook."""
    batch = apply_interventions(problem.per_issue(), spec.interventions)
    triggers = spec.triggers()
    hook = (
        TriggerHook(triggers, batch.actors, batch.issues, batch.status_quo, batch.scale) if triggers else None
    )
    return apply_consent(
        batch.compact(), spec.case
    ), hook  # no outcome a consenting party would veto, after the scenario


class _SeededOnUse:
    """``np.random.default_rng(seed)``, made when the engine first draws from it.

    A point run of a deterministic engine (the EUM, the baselines, the SMP in its default mode) never
    draws, so it never loads ``numpy.random`` (~6 ms of the whole process); one that does gets the very
    generator it always got."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._made: np.random.Generator | None = None

    def __getattr__(self, name: str) -> Any:
        if self._made is None:
            self._made = np.random.default_rng(self._seed)
        return getattr(self._made, name)


def _generator(seed: int) -> np.random.Generator:
    return cast("np.random.Generator", _SeededOnUse(seed))


def run_prepared(
    spec: RunSpec, problem: Problem, rng: np.random.Generator | None = None
) -> tuple[Problem, Trajectory, np.ndarray]:
    """Scenario + engine on one batch: the starting problem, the trajectory and trigger rounds ``[D, T]``."""
    start, hook = prepare(spec, problem)
    engine = get_engine(spec.model)
    trajectory = engine.run(start, spec.engine_params(), spec.n_rounds, rng or _generator(0), hook)
    fired = hook.fired_round if hook is not None else np.zeros((start.n_draws, 0), dtype=np.int32)
    return start, trajectory, fired


def stability(start: Problem, trajectory: Trajectory) -> np.ndarray:
    """``[D, I]``: the status quo held, read off the run itself
    (:func:`accord.engines.convergence.status_quo_held`).

    It is computed from the trajectory, so it can never call a status quo stable while the forecast moves
    away from it, and it costs nothing beyond the run.
    """
    return status_quo_held(trajectory.forecast, start.batched().status_quo, start.scale)


def block_streams(seed: int, block: int) -> tuple[np.random.Generator, np.random.Generator]:
    """The sampling and engine generators of block ``block``."""
    sampling, engine = np.random.SeedSequence(seed, spawn_key=(block,)).spawn(2)
    return np.random.default_rng(sampling), np.random.default_rng(engine)


def block_sizes(n_draws: int) -> list[int]:
    full, rest = divmod(n_draws, BLOCK_DRAWS)
    return [BLOCK_DRAWS] * full + ([rest] if rest else [])


def engine_blocks(spec: RunSpec) -> int:
    """How many blocks one engine call takes at once.

    An engine call pays a fixed cost per round in NumPy calls, and the SMP's slowest draw sets how many
    turns a batch runs, so one call on four blocks costs ~1.5x less per draw than four calls (measured
    in benchmarks/bench_goals.py). Only deterministic runs are batched: their numbers do not depend on
    which draws share a call (tested), while a stochastic run's engine stream belongs to its block.
    The batch stays under ~64 MB of stored positions.
    """
    params = spec.engine_params()
    if spec.model not in _DETERMINISTIC or not getattr(params, "deterministic", True):
        return 1
    n_actors, n_issues = len(spec.case.bargaining_actor_ids), len(spec.case.issue_ids)
    per_draw = (spec.n_rounds + 1) * max(1, n_actors) * max(1, n_issues)
    return max(1, min(ENGINE_BLOCKS, _BATCH_ELEMENTS // (BLOCK_DRAWS * per_draw)))


ENGINE_BLOCKS = 4
_BATCH_ELEMENTS = 2**23
_DETERMINISTIC = frozenset({"eum", "smp", "mean", "median", "nash"})  # the SMP unless deterministic=False


def run_blocks(
    spec: RunSpec, seed: int, blocks: Sequence[int], sizes: Sequence[int]
) -> list[dict[str, np.ndarray]]:
    """Sample each block from its own stream, run them through the engine in one call, and split the
    results back into blocks (one dict per block, as :func:`run_block` returns)."""
    if len(blocks) == 1:
        return [run_block(spec, seed, blocks[0], sizes[blocks[0]])]
    t0 = time.perf_counter()
    layout = laws(spec.case, spec.perspective)
    values = [sample_quantities(layout, sizes[b], block_streams(seed, b)[0]) for b in blocks]
    drawn = fill_problem(layout, np.concatenate(values), spec.case)
    t1 = time.perf_counter()
    start, trajectory, fired = run_prepared(spec, drawn, block_streams(seed, blocks[0])[1])
    t2 = time.perf_counter()
    stable = stability(start, trajectory)
    settled = convergence(trajectory, start.scale)
    t3 = time.perf_counter()
    status_quo = start.batched().status_quo
    share = np.array([t1 - t0, t2 - t1, t3 - t2]) / len(blocks)
    out, lo = [], 0
    for b in blocks:
        rows = slice(lo, lo + sizes[b])
        lo = rows.stop
        outcome = trajectory.outcome[rows]
        out.append(
            {
                "forecast": trajectory.forecast[rows],
                "status_quo": status_quo[rows],
                "stable": stable[rows],
                "converged": settled.converged[rows],
                "last_swing": settled.last_swing[rows],
                "fired_round": fired[rows],
                "path_sum": outcome.sum(axis=0),
                "timings": share,
                **({"paths": outcome} if b < BAND_BLOCKS else {}),
            }
        )
    return out


def run_block(spec: RunSpec, seed: int, block: int, size: int) -> dict[str, np.ndarray]:
    """Sample, transform and run one block of draws."""
    t0 = time.perf_counter()
    sample_rng, engine_rng = block_streams(seed, block)
    drawn = sample_problem(spec.case, size, sample_rng, spec.perspective)
    t1 = time.perf_counter()
    start, trajectory, fired = run_prepared(spec, drawn, engine_rng)
    t2 = time.perf_counter()
    stable = stability(start, trajectory)
    settled = convergence(trajectory, start.scale)
    t3 = time.perf_counter()
    return {
        "forecast": trajectory.forecast,
        "status_quo": start.batched().status_quo,
        "stable": stable,
        "converged": settled.converged,
        "last_swing": settled.last_swing,
        "fired_round": fired,
        "path_sum": trajectory.outcome.sum(axis=0),
        "timings": np.array([t1 - t0, t2 - t1, t3 - t2]),
        **({"paths": trajectory.outcome} if block < BAND_BLOCKS else {}),
    }


def _path_bands(blocks: Sequence[dict[str, np.ndarray]]) -> np.ndarray | None:
    """5%, 50% and 95% of the outcome per round, ``[3, R+1, I]``, over the draws of the first blocks."""
    paths = [b["paths"] for b in blocks if "paths" in b]
    if not paths:
        return None
    return np.quantile(np.concatenate(paths), [0.05, 0.5, 0.95], axis=0)


def _draw_chunk(shared: tuple[RunSpec, int, list[int]], blocks: Sequence[int]) -> list[dict[str, np.ndarray]]:
    spec, seed, sizes = shared
    group = engine_blocks(spec)
    out: list[dict[str, np.ndarray]] = []
    for k in range(0, len(blocks), group):
        out += run_blocks(spec, seed, blocks[k : k + group], sizes)
    return out


def chunk_blocks(
    n_blocks: int, chunk_draws: int | None, executor: str, workers: int, group: int = 1
) -> list[list[int]]:
    """Blocks grouped into chunks: ``chunk_draws`` rounded up to whole blocks, or a default of whole
    engine calls (``group`` blocks each) that gives a local run one call per chunk (progress after
    each) and each parallel worker about four chunks (load balance without much traffic)."""
    if chunk_draws is not None:
        if chunk_draws < 1:
            raise ValueError("chunk size must be at least 1 draw")
        per = math.ceil(chunk_draws / BLOCK_DRAWS)
    elif executor == "local":
        per = group
    else:
        per = group * max(1, round(n_blocks / (4 * workers * group)))
    return [list(range(s, min(s + per, n_blocks))) for s in range(0, n_blocks, per)]


def run_draws(
    spec: RunSpec,
    n_draws: int,
    seed: int = 0,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_draws: int | None = None,
    progress: Callable[[int], None] | None = None,
    dask_processes: bool = True,
) -> DrawResults:
    """Run ``n_draws`` Monte Carlo draws of ``spec``; ``progress(k)`` is told of every ``k`` draws done."""
    if n_draws < 1:
        raise ValueError("draws must be at least 1")
    t0 = time.perf_counter()
    workers = workers or default_workers()
    spec = for_many_runs(spec, n_draws, loading_shares(executor, workers, scheduler))
    sizes = block_sizes(n_draws)
    chunks = chunk_blocks(len(sizes), chunk_draws, executor, workers, engine_blocks(spec))

    def done(i: int) -> None:
        if progress:
            progress(sum(sizes[b] for b in chunks[i]))

    warm_before_forking(spec, executor, scheduler)
    threads = local_threads(spec, executor)
    if threads > 1:
        warm(spec)  # the kernels load here, once, not in one chunk's thread while the others wait for it
    parts = execute(
        _draw_chunk,
        (spec, seed, sizes),
        chunks,
        executor,
        workers,
        scheduler,
        done,
        dask_processes,
        local_threads=threads,
    )
    blocks = [block for part in parts for block in part]
    t1 = time.perf_counter()
    issues = spec.case.issue_ids
    actors, _ = _table(spec)
    keys = ("forecast", "status_quo", "stable", "fired_round", "converged", "last_swing")
    stacked = {key: np.concatenate([b[key] for b in blocks]) for key in keys}
    inner = np.sum([b["timings"] for b in blocks], axis=0)
    return DrawResults(
        issues=issues,
        actors=actors,
        forecast=stacked["forecast"],
        status_quo=stacked["status_quo"],
        stable=stacked["stable"].astype(bool),
        fired_round=stacked["fired_round"],
        converged=stacked["converged"].astype(bool),
        last_swing=stacked["last_swing"],
        trigger_labels=tuple(t.label for t in spec.triggers()),
        mean_path=np.sum([b["path_sum"] for b in blocks], axis=0) / n_draws,
        path_bands=_path_bands(blocks),
        seed=seed,
        block_draws=BLOCK_DRAWS,
        timings={
            "total_s": t1 - t0,
            "sampling_s": float(inner[0]),
            "engine_s": float(inner[1]),
            "stability_s": float(inner[2]),
            "executor": executor,
            "workers": workers if executor != "local" else 1,
            "chunks": len(chunks),
        },
    )


def _table(spec: RunSpec) -> tuple[tuple[str, ...], Problem]:
    """The actors at the table after the scenario's static interventions, and the point problem."""
    start, _ = prepare(spec, point_problem(spec.case, spec.perspective))
    return start.actors, start


@dataclass
class PointRun:
    """A single run on the point estimates with the scenario applied (no sampling)."""

    start: Problem
    trajectory: Trajectory
    fired_round: np.ndarray  # [1, T]
    trigger_labels: tuple[str, ...] = ()
    stable: np.ndarray = field(default_factory=lambda: np.zeros((1, 0), dtype=bool))
    settled: Convergence | None = None  # did the outcome settle? (converged, last swing, settled round)

    @property
    def converged(self) -> bool:
        return True if self.settled is None else bool(self.settled.converged.all())


def run_point(spec: RunSpec, seed: int = 0) -> PointRun:
    """The scenario on the case's point estimates (or a perspective's), one deterministic run."""
    start, trajectory, fired = run_prepared(
        spec, point_problem(spec.case, spec.perspective), _generator(seed)
    )
    labels = tuple(t.label for t in spec.triggers())
    return PointRun(
        start, trajectory, fired, labels, stability(start, trajectory), convergence(trajectory, start.scale)
    )
