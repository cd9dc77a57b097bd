"""The Python API that the CLI, the web app and notebooks share: one :func:`run` for every kind of run.

>>> import accord
>>> case = accord.load_case("nagorno-karabakh-2020")
>>> run = accord.run(case, model="median")                   # the point run
>>> sorted(run.to_json())[:3]
['case', 'draws', 'forecast']
>>> run = accord.run(case, model="median", draws=256, seed=1)  # the distribution over the case's uncertainty
>>> run.headline, run.interval_kind, list(run.forecast_frame().columns[:4])
('distribution', 'input uncertainty only', ['status_quo', 'forecast', 'p10', 'p90'])
>>> accord.run(case, draws=256).interval_kind  # the default forecaster: compromise + its DEU error
'input uncertainty + DEU model error'

The engine registry lives with the engines (:mod:`accord.engines.registry`) and the run type in
:mod:`accord.scenarios.run`, so that lower layers can use them; they are re-exported here.

**The forecaster.** The headline of ``accord run``, ``accord answer``, the web and the report is a
forecast *distribution*; :func:`forecast_distribution` is the one function that makes it (the answer's
``forecast_distribution`` calls it). It is the Monte Carlo draws of the chosen model over the case's
uncertainty (:data:`DEFAULT_DRAWS` by default). For the model the DEU III backtest selected (the shipped
forecaster, ``accord.validation.forecaster``: the compromise model, the default) each draw also gets one
of that model's cross-validated DEU residuals, so the 80% interval holds both the case's reading
uncertainty and the error measured on real outcomes; other models keep their draws only, and the run's
``interval_kind`` says which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.case.io import load_case
from accord.case.model import Case
from accord.engines.registry import (
    DEFAULT_MODEL,
    DEFAULT_ROUNDS,
    ENGINES,
    UnknownModelError,
    case_params,
    get_engine,
    run_problem,
)
from accord.results import RunResult
from accord.scenarios.run import Run
from accord.scenarios.service import Variant, list_scenarios, load_scenario, run_scenario
from accord.scenarios.service import compare as compare_runs
from accord.scenarios.summary import Threshold

if TYPE_CHECKING:
    from accord.corpus.documents import Store
    from accord.scenarios.language import Scenario
    from accord.scenarios.sensitivity import SensitivityResult


__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_MODEL",
    "DEFAULT_ROUNDS",
    "ENGINES",
    "Run",
    "RunResult",
    "UnknownModelError",
    "Variant",
    "case_params",
    "compare",
    "add_model_error",
    "backtest_case",
    "forecast_distribution",
    "forecaster_model",
    "get_engine",
    "ingest_folder",
    "list_scenarios",
    "load_case",
    "load_scenario",
    "run",
    "run_problem",
    "sensitivity",
    "store_run",
]

# Draws behind the headline distribution of `accord run` when the user gives none: one block of the
# Monte Carlo runner (so the numbers equal those of `--draws 256` with the same seed).
DEFAULT_DRAWS = 256


def run(
    case: Case | str | Path | None = None,
    model: str = DEFAULT_MODEL,
    rounds: int | None = None,
    seed: int = 0,
    params: Any | None = None,
    *,
    scenario: Scenario | str | Path | None = None,
    draws: int = 0,
    perspective: str | None = None,
    thresholds: Sequence[str | Threshold] = (),
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_draws: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Run:
    """Run a model on a case (object, file or built-in name; ``None``: the default case).

    ``draws=0`` gives the point run only (its outcome is the forecast, ``run.headline == "point"``);
    ``draws > 0`` adds the forecast distribution (:func:`forecast_distribution`), whose median and
    central 80% interval become the headline. ``scenario`` applies a scenario (object,
    built-in name or file); ``perspective`` reads the case as one source does. The result is the same
    type whatever the options, with one :meth:`Run.to_json`.
    """
    return forecast_distribution(
        case,
        model,
        draws=draws,
        seed=seed,
        rounds=rounds,
        params=params,
        scenario=scenario,
        perspective=perspective,
        thresholds=thresholds,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        chunk_draws=chunk_draws,
        progress=progress,
    )


def forecast_distribution(
    case: Case | str | Path | None,
    model: str = DEFAULT_MODEL,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    scenario: Scenario | str | Path | None = None,
    **options: Any,
) -> Run:
    """The forecast distribution behind every headline: the point run plus ``draws`` Monte Carlo draws
    of ``model`` over the case's uncertainty, and for the forecaster's model (the default) its measured
    DEU error on each draw (:func:`add_model_error`; see the module docstring). ``draws=0`` gives the
    point run alone."""
    run = run_scenario(scenario, case, model=model, draws=draws, seed=seed, **options)
    if run.draws is None or run.n_draws == 0 or run.model != forecaster_model():
        return run
    return add_model_error(run)


def compare(
    variants: Sequence[Variant],
    model: str = DEFAULT_MODEL,
    draws: int = 0,
    seed: int = 0,
    thresholds: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
    **run_options: Any,
) -> list[tuple[Variant, dict[str, Any]]]:
    """Summaries of several variants (same model, draws, seed), each the forecast distribution of
    :func:`forecast_distribution`, so a comparison shows the numbers ``accord run`` shows."""

    def runner(scenario: Any, case: Any, *, draws: int, **options: Any) -> Run:
        return forecast_distribution(case, options.pop("model"), draws=draws, scenario=scenario, **options)

    return compare_runs(variants, model, draws, seed, thresholds, progress, runner=runner, **run_options)


def backtest_case(
    case: str | Path, outcome: str | Path, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> dict[str, Any]:
    """Score the case's headline forecast (:func:`forecast_distribution` of the default model, the
    numbers ``accord run`` prints) against an outcome file (:mod:`accord.validation.outcomes`)."""
    from accord.validation.outcomes import backtest_case as score

    def distribution(loaded: Case) -> tuple[dict[str, tuple[float, float, float]], str]:
        run = forecast_distribution(loaded, DEFAULT_MODEL, draws=draws, seed=seed)
        interval = run.interval()
        fc = {i: (run.forecast[i], *interval[i]) for i in loaded.issue_ids}
        return fc, f"{run.model} ({run.interval_kind}, {draws} draws, seed {seed})"

    return score(case, outcome, distribution)


def forecaster_model() -> str:
    """The engine the shipped forecaster selected on DEU III (``selected`` in its parameters)."""
    from accord.validation.forecaster import load_params

    return str(load_params()["selected"])


def add_model_error(run: Run) -> Run:
    """The run with one cross-validated DEU residual of its model added to each draw and issue (seeded by
    the run's seed, on a stream of its own; :func:`accord.validation.forecaster.with_model_error`). The
    share of draws in which the status quo held is re-read off the new draws, so it describes the same
    distribution as the headline."""
    from dataclasses import replace

    from accord.engines.convergence import status_quo_held
    from accord.validation.forecaster import with_model_error

    assert run.draws is not None and run.point is not None
    start = run.point.start
    forecast = with_model_error(run.draws.forecast, start, run.seed, model=run.model)
    stable = status_quo_held(forecast, run.draws.status_quo, start.scale)
    draws = replace(run.draws, forecast=forecast, stable=stable)
    label = f"{run.model}: cross-validated DEU III residuals (accord.validation.forecaster)"
    return replace(run, draws=draws, model_error=label)


def store_run(run: Run, db: str | None = None, store: Any | None = None, key: str | None = None) -> str:
    """Record a run in the runs store and return its id: a row with the run's settings, versions and its
    document (:meth:`Run.to_json` without the point run's rounds, which stay with the engine), and the
    per-draw outcomes as Parquet. ``key`` names the request, so a run repeated after a kill is recorded
    once (see :mod:`accord.store.runs`)."""
    from accord.store.runs import RunRecord, RunStore, content_hash, versions

    store = store or RunStore(db)
    spec = run.spec
    results = run.as_draws()
    params = spec.engine_params()
    record = RunRecord(
        case_id=spec.case.id,
        case_hash=content_hash(spec.case.model_dump(mode="json", by_alias=True)),
        scenario_id=run.scenario_id,
        scenario_hash=content_hash(spec.scenario.model_dump(mode="json", by_alias=True))
        if spec.scenario
        else None,
        model=spec.model,
        rounds=spec.n_rounds,
        draws=results.n_draws if run.draws is not None else 0,
        seed=run.seed,
        perspective=spec.perspective,
        executor=str(run.timings.get("executor", "local")),
        # the stored draws are the headline's: with the model error added where the run has it
        params={"engine": params, "block_draws": results.block_draws, "model_error": run.model_error},
        thresholds=[str(t) for t in run.thresholds],
        timings=run.timings,
        summary=stored_summary(run),
        versions=versions(("dask", "distributed") if run.timings.get("executor") == "dask" else ()),
    )
    return store.record(record, results.frame(), key=key)


def stored_summary(run: Run) -> dict[str, Any]:
    """What the runs store keeps of a run's document: the per-issue summary (``issues``, ``thresholds``,
    ``stable_all``, ``triggers``) with the headline keys of :meth:`Run.to_json` beside it."""
    doc = run.to_json()
    keep = ("headline", "forecaster", "status_quo", "forecast", "interval", "point_forecast")
    return {**doc["summary"], **{k: doc[k] for k in keep}}


def sensitivity(
    case: Case | str | Path | None = None,
    *,
    scenario: Scenario | str | Path | None = None,
    model: str = DEFAULT_MODEL,
    method: str = "sobol",
    samples: int = 256,
    seed: int = 0,
    group_by: str = "input",
    rounds: int | None = None,
    perspective: str | None = None,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> SensitivityResult:
    """Rank the inputs by their effect on each issue's forecast (SALib): the one sensitivity analysis
    that the CLI, the web and the report share (:mod:`accord.scenarios.sensitivity`)."""
    from accord.scenarios.runner import RunSpec
    from accord.scenarios.sensitivity import run_sensitivity

    if isinstance(scenario, str | Path):
        scenario, case = load_scenario(scenario, case)
    elif not isinstance(case, Case):
        case = load_case(case)
    assert isinstance(case, Case)
    spec = RunSpec(case, scenario, model=model, rounds=rounds, perspective=perspective)
    return run_sensitivity(
        spec, method, samples, seed, group_by, executor, workers, scheduler, progress, on_total
    )


def ingest_folder(store: Store, folder: Path, meta_file: Path | None = None) -> list[str]:
    """Add a folder's texts to a corpus store (with ``sources.yaml`` metadata beside them, or
    ``meta_file``) and return the ids added or already there. Unreadable files and a bad metadata file
    are logged and skipped: one folder's ingestion, shared by ``accord serve`` and the corpus commands."""
    import logging  # here, not at import: every command loads this module, few ingest a corpus

    from accord.corpus.readers import (
        TEXT_SUFFIXES,
        DocumentMeta,
        UnreadableDocument,
        load_meta_file,
        read_source,
    )

    log = logging.getLogger("accord")
    table: dict[str, DocumentMeta] = {}
    meta = meta_file or folder / "sources.yaml"
    if meta.is_file():
        try:
            table = load_meta_file(meta)
        except ValueError as exc:
            log.warning("corpus metadata ignored: %s", exc)
    added: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES:
            try:
                source = read_source(path)
            except UnreadableDocument as exc:
                log.warning("corpus file skipped: %s", exc)
                continue
            store.add(source, table.get(source.doc) or table.get(path.name))
            added.append(source.doc)
    return added
