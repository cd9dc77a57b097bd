"""Python API of the scenario layer (the CLI is a thin layer over these functions).

>>> from accord.scenarios.service import run_scenario                        # doctest: +SKIP
>>> run = run_scenario("turkey-backing-grows", draws=1000, seed=1, model="eum")
>>> run.summary(["territory>=50"])["issues"]["territory"]               # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.case.io import builtin_path, load_case
from accord.case.model import Case
from accord.case.validate import CaseProblem
from accord.case.yamlio import Located
from accord.engines.registry import DEFAULT_MODEL, canonical_model
from accord.scenarios.run import Run
from accord.scenarios.runner import RunSpec, run_draws, run_point
from accord.scenarios.summary import Threshold, parse_threshold
from accord.scenarios.uncertainty import estimate_sources
from accord.spans.pointers import Corpus

if TYPE_CHECKING:  # the scenario language loads when a scenario is read (start-up of a plain run)
    from accord.scenarios.language import Scenario

__all__ = [
    "Run",
    "ScenarioRun",
    "Variant",
    "compare",
    "list_scenarios",
    "load_scenario",
    "perspective_sources",
    "run_scenario",
]


def resolve_case_ref(
    ref: str, scenario_file: Path | None, name: str = "<scenario>", located: Located | None = None
) -> str | Path:
    """What a scenario's ``case:`` names: a built-in case, or a case file inside an allowed folder.

    The allowed folders are the scenario file's own folder (and below) and the current working folder:
    a scenario cannot make Accord read ``../../etc/shadow`` or an absolute path elsewhere and print its
    lines back as problems. Anything else is a :class:`ScenarioError` at the ``case:`` line; the file
    named is never opened.
    """
    if builtin_path(ref) is not None:
        return ref
    folders = [
        f.resolve() for f in ([scenario_file.parent] if scenario_file is not None else []) + [Path.cwd()]
    ]
    for base in folders:
        real = (base / ref).resolve()
        if any(real.is_relative_to(folder) for folder in folders) and real.is_file():
            return real
    from accord.scenarios.language import ScenarioError

    line, column = located.mark(("case",)) if located else (1, 1)
    raise ScenarioError(
        name,
        [
            CaseProblem(
                name,
                line,
                column,
                "case",
                f"{ref[:80]!r} is neither a built-in case nor a case file beside the scenario",
                "give a built-in name (`accord case list`) "
                "or a path inside the scenario's folder or the working folder",
            )
        ],
    )


def _scenario_case(
    scenario: Scenario, file: Path | None, name: str = "<scenario>", located: Any = None
) -> Case:
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
    from accord.scenarios.checks import check_evidence, check_scenario
    from accord.scenarios.language import (
        ScenarioError,
        builtin_scenarios,
        resolve_scenario_path,
        validate_scenario_file,
    )

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
    from accord.scenarios.language import builtin_scenarios, validate_scenario_file

    out: list[tuple[str, Scenario | None, str]] = []
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


ScenarioRun = Run  # the former name of :class:`accord.scenarios.run.Run`


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
) -> Run:
    """Run a scenario (object, built-in name or file; ``None``: the case as it is) on a case.

    ``draws=0`` runs the point estimates once; ``draws>0`` samples the case's uncertainty (see
    :mod:`accord.scenarios.uncertainty`) in reproducible blocks on the chosen executor.
    """
    model = canonical_model(model)  # an unknown name is an UnknownModelError; an alias is its engine
    if isinstance(scenario, str | Path):
        scenario, case = load_scenario(scenario, case)
    elif not isinstance(case, Case):
        case = load_case(case) if case is not None or scenario is None else _scenario_case(scenario, None)
        if scenario is not None:
            from accord.scenarios.checks import check_scenario
            from accord.scenarios.language import ScenarioError

            problems = check_scenario(scenario, case)
            if problems:
                raise ScenarioError("<scenario>", problems)
    assert isinstance(case, Case)
    parsed = tuple(t if isinstance(t, Threshold) else parse_threshold(t, case.issue_ids) for t in thresholds)
    for t in parsed:
        if t.issue not in case.issue_ids:
            raise ValueError(f"threshold {t}: unknown issue {t.issue!r}")
    spec = RunSpec(
        case=case, scenario=scenario, model=model, rounds=rounds, params=params, perspective=perspective
    )
    run = Run(spec=spec, scenario_id=scenario.id if scenario else None, seed=seed, thresholds=parsed)
    t0 = time.perf_counter()
    run.point = run_point(spec, seed)  # always: the trajectory behind every forecast, labelled as such
    point_s = time.perf_counter() - t0
    if draws > 0:
        run.draws = run_draws(
            spec, draws, seed, executor, workers, scheduler, chunk_draws, progress, dask_processes
        )
        run.timings = {**run.draws.timings, "point_s": point_s}
    else:
        run.timings = {"total_s": point_s, "executor": "local"}
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
    runner: Callable[..., Run] | None = None,
    **run_options: Any,
) -> list[tuple[Variant, dict[str, Any]]]:
    """Summaries of several variants with the same model, draws and seed (common random numbers).

    ``runner`` replaces :func:`run_scenario` (same arguments): the API passes the one forecast
    distribution of every interface (:func:`accord.api.compare`)."""
    out = []
    run_one = runner or run_scenario
    for v in variants:
        usable = [t for t in thresholds if parse_threshold(t).issue in v.case.issue_ids]
        run = run_one(
            v.scenario,
            v.case,
            model=model,
            draws=draws,
            seed=seed,
            perspective=v.perspective,
            thresholds=usable,
            progress=progress,
            **run_options,
        )
        out.append((v, run.summary()))
    return out
