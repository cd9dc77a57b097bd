"""Python API of the scenario layer (the CLI is a thin layer over these functions).

>>> from accord.scenarios.api import run_scenario                        # doctest: +SKIP
>>> run = run_scenario("turkey-backing-grows", draws=1000, seed=1, model="eum")
>>> run.summary(["territory>=50"])["issues"]["territory"]               # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.case.io import builtin_path, load_case
from accord.case.model import Case
from accord.case.validate import CaseProblem
from accord.case.yamlio import Located
from accord.engines.registry import DEFAULT_MODEL, ENGINES, UnknownModelError
from accord.evidence.pointers import Corpus
from accord.results import RunResult
from accord.scenarios.language import (
    Scenario,
    ScenarioError,
    builtin_scenarios,
    check_evidence,
    check_scenario,
    resolve_scenario_path,
    validate_scenario_file,
)
from accord.scenarios.results import DrawResults, Threshold, parse_threshold
from accord.scenarios.runner import PointRun, RunSpec, run_draws, run_point
from accord.scenarios.uncertainty import estimate_sources

__all__ = [
    "ScenarioRun",
    "Variant",
    "compare",
    "list_scenarios",
    "load_scenario",
    "perspective_sources",
    "run_scenario",
]


def resolve_case_ref(ref: str, scenario_file: Path | None, name: str = "<scenario>",
                     located: Located | None = None) -> str | Path:
    """What a scenario's ``case:`` names: a built-in case, or a case file inside an allowed folder.

    The allowed folders are the scenario file's own folder (and below) and the current working folder:
    a scenario cannot make Accord read ``../../etc/shadow`` or an absolute path elsewhere and print its
    lines back as problems. Anything else is a :class:`ScenarioError` at the ``case:`` line; the file
    named is never opened.
    """
    if builtin_path(ref) is not None:
        return ref
    folders = [f.resolve() for f in ([scenario_file.parent] if scenario_file is not None else []) + [Path.cwd()]]
    for base in folders:
        real = (base / ref).resolve()
        if any(real.is_relative_to(folder) for folder in folders) and real.is_file():
            return real
    line, column = located.mark(("case",)) if located else (1, 1)
    raise ScenarioError(name, [CaseProblem(
        name, line, column, "case", f"{ref[:80]!r} is neither a built-in case nor a case file beside the scenario",
        "give a built-in name (`accord case list`) or a path inside the scenario's folder or the working folder")])


def _scenario_case(scenario: Scenario, file: Path | None, name: str = "<scenario>", located: Any = None) -> Case:
    """The scenario's own case: a built-in name, or a case file inside the allowed folders."""
    if scenario.case is None:
        return load_case(None)
    return load_case(resolve_case_ref(scenario.case, file, name, located))


def load_scenario(
    name_or_path: str | Path, case: Case | str | Path | None = None, corpus: Corpus | None = None
) -> tuple[Scenario, Case]:
    """Load, validate and check a scenario against its case (or ``case`` if given).

    Raises :class:`ScenarioError` listing every problem with file, line and field, or
    :class:`~accord.case.validate.CaseError` when the case itself is invalid.
    """
    path = resolve_scenario_path(name_or_path)
    is_builtin = not Path(name_or_path).exists() and str(name_or_path) in builtin_scenarios()
    name = str(name_or_path) if is_builtin else str(path)
    report = validate_scenario_file(path, display_name=name)
    if not report.ok:
        raise ScenarioError(name, report.problems)
    scenario = report.scenario
    assert scenario is not None
    if case is None:
        case = _scenario_case(scenario, path, name, report.located)
    elif not isinstance(case, Case):
        case = load_case(case)
    problems = check_scenario(scenario, case, name, report.located)
    if corpus is not None:
        problems += check_evidence(scenario, corpus, name, report.located)
    if problems:
        raise ScenarioError(name, problems)
    return scenario, case


def list_scenarios(case_id: str | None = None) -> list[tuple[str, Scenario | None, str]]:
    """Built-in scenarios as ``(name, scenario or None if invalid, case id or error)``, filtered by case."""
    out = []
    for name, path in builtin_scenarios().items():
        report = validate_scenario_file(path, display_name=name)
        if not report.ok or report.scenario is None:
            out.append((name, None, str(report.problems[0]) if report.problems else "invalid"))
            continue
        target = report.scenario.case or "nagorno-karabakh-2020"
        if case_id is None or target == case_id:
            out.append((name, report.scenario, target))
    return out


def perspective_sources(case: Case) -> list[str]:
    """Sources whose estimates can be read as a perspective (they give at least one number)."""
    return estimate_sources(case)


@dataclass
class ScenarioRun:
    """A run of a scenario: Monte Carlo draws (``draws``) or the point estimates (``point``)."""

    spec: RunSpec
    scenario_id: str | None
    seed: int
    thresholds: tuple[Threshold, ...] = ()
    draws: DrawResults | None = None
    point: PointRun | None = None
    timings: dict[str, Any] = field(default_factory=dict)

    @property
    def case(self) -> Case:
        return self.spec.case

    def summary(self) -> dict[str, Any]:
        """Per-issue numbers (see :meth:`DrawResults.summary`); for a point run, a one-draw summary."""
        if self.draws is not None:
            return self.draws.summary(self.thresholds)
        assert self.point is not None
        return self.as_draws().summary(self.thresholds)

    def as_draws(self) -> DrawResults:
        """A point run seen as one draw (so both kinds print and store the same way)."""
        if self.draws is not None:
            return self.draws
        assert self.point is not None
        p = self.point
        return DrawResults(
            issues=p.start.issues,
            actors=p.start.actors,
            forecast=p.trajectory.forecast,
            status_quo=p.start.batched().status_quo,
            stable=p.stable,
            fired_round=p.fired_round,
            trigger_labels=p.trigger_labels,
            mean_path=p.trajectory.outcome[0],
            seed=self.seed,
        )

    def run_result(self) -> RunResult:
        """A point run as the API's :class:`RunResult` (forecast and movement tables, JSON document)."""
        assert self.point is not None
        p = self.point
        return RunResult(
            case_id=self.case.id,
            model=self.spec.model,
            trajectory=p.trajectory,
            actors=p.start.actors,
            issues=p.start.issues,
            status_quo=p.start.batched().status_quo[0],
            seed=self.seed,
        )


def run_scenario(
    scenario: Scenario | str | Path | None = None,
    case: Case | str | Path | None = None,
    model: str = DEFAULT_MODEL,
    draws: int = 0,
    seed: int = 0,
    rounds: int | None = None,
    params: Any | None = None,
    perspective: str | None = None,
    thresholds: Sequence[str | Threshold] = (),
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_draws: int | None = None,
    progress: Callable[[int], None] | None = None,
    dask_processes: bool = True,
) -> ScenarioRun:
    """Run a scenario (object, built-in name or file; ``None``: the case as it is) on a case.

    ``draws=0`` runs the point estimates once; ``draws>0`` samples the case's uncertainty (see
    :mod:`accord.scenarios.uncertainty`) in reproducible blocks on the chosen executor.
    """
    if model not in ENGINES:
        raise UnknownModelError(f"unknown model {model!r}; choose one of: {', '.join(ENGINES)}")
    if isinstance(scenario, str | Path):
        scenario, case = load_scenario(scenario, case)
    elif not isinstance(case, Case):
        case = load_case(case) if case is not None or scenario is None else _scenario_case(scenario, None)
        if scenario is not None:
            problems = check_scenario(scenario, case)
            if problems:
                raise ScenarioError("<scenario>", problems)
    assert isinstance(case, Case)
    parsed = tuple(t if isinstance(t, Threshold) else parse_threshold(t, case.issue_ids) for t in thresholds)
    for t in parsed:
        if t.issue not in case.issue_ids:
            raise ValueError(f"threshold {t}: unknown issue {t.issue!r}")
    spec = RunSpec(case=case, scenario=scenario, model=model, rounds=rounds, params=params, perspective=perspective)
    run = ScenarioRun(spec=spec, scenario_id=scenario.id if scenario else None, seed=seed, thresholds=parsed)
    if draws > 0:
        run.draws = run_draws(spec, draws, seed, executor, workers, scheduler, chunk_draws, progress, dask_processes)
        run.timings = dict(run.draws.timings)
    else:
        import time

        t0 = time.perf_counter()
        run.point = run_point(spec, seed)
        run.timings = {"total_s": time.perf_counter() - t0, "executor": "local"}
    return run


@dataclass(frozen=True)
class Variant:
    """One column of a comparison: a case, optionally a scenario and a perspective."""

    label: str
    case: Case
    scenario: Scenario | None = None
    perspective: str | None = None


def compare(
    variants: Sequence[Variant],
    model: str = DEFAULT_MODEL,
    draws: int = 0,
    seed: int = 0,
    thresholds: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
    **run_options: Any,
) -> list[tuple[Variant, dict[str, Any]]]:
    """Summaries of several variants with the same model, draws and seed (common random numbers)."""
    out = []
    for v in variants:
        usable = [t for t in thresholds if parse_threshold(t).issue in v.case.issue_ids]
        run = run_scenario(v.scenario, v.case, model=model, draws=draws, seed=seed, perspective=v.perspective,
                           thresholds=usable, progress=progress, **run_options)
        out.append((v, run.summary()))
    return out



def store_run(run: ScenarioRun, db: str | None = None, store: Any | None = None, key: str | None = None) -> str:
    """Record a run (summary row + per-draw Parquet) in the runs store; returns the run id.

    ``key`` names the request, so a run repeated after a kill is recorded once (see :mod:`accord.store.runs`).
    """
    from accord.store.runs import RunRecord, RunStore, content_hash, versions

    store = store or RunStore(db)
    spec = run.spec
    results = run.as_draws()
    params = spec.engine_params()
    record = RunRecord(
        case_id=spec.case.id,
        case_hash=content_hash(spec.case.model_dump(mode="json", by_alias=True)),
        scenario_id=run.scenario_id,
        scenario_hash=content_hash(spec.scenario.model_dump(mode="json", by_alias=True)) if spec.scenario else None,
        model=spec.model,
        rounds=spec.n_rounds,
        draws=results.n_draws if run.draws is not None else 0,
        seed=run.seed,
        perspective=spec.perspective,
        executor=str(run.timings.get("executor", "local")),
        params={"engine": params, "block_draws": results.block_draws},
        thresholds=[str(t) for t in run.thresholds],
        timings=run.timings,
        summary=run.summary(),
        versions=versions(("dask", "distributed") if run.timings.get("executor") == "dask" else ()),
    )
    return store.record(record, results.frame(), key=key)
