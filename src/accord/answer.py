"""The answer of a case: its question, what each built-in scenario does to the forecast, who it hinges on.

One function, :func:`answer`, gives what the CLI (``accord answer``), the web (``GET /api/cases/{id}/answer``
and the landing page) and the report open with, so they cannot disagree:

* **scenarios**: the case as it stands, then every built-in scenario of the case; per issue the forecast
  median and central interval (:data:`INTERVAL`) of the forecaster, its shift from the case as it stands,
  in words and on the scale's named ends; the point run (the case's point estimates, run once) is kept
  beside it and labelled as such.
* **leverage**: how far the options of the actor most scenarios are about (Russia in the built-in case)
  move each issue: the range of the medians over the case as it stands and the scenarios in which that
  actor changes its positions or alignment (scenarios that only re-estimate its capability are readings
  of the evidence, not options, and are left out).
* **drivers**: actors ranked by the Morris elementary effects of their inputs (SALib, grouped by actor),
  averaged over issues and over :data:`DRIVER_REPEATS` independent seeds; the ranking's stability over the
  seeds is reported with it (see :func:`drivers`), so a ranking that noise could overturn says so.
* **disagreements**: the numbers on which the case's sources give different readings, widest first, each
  source named by title and date.

**The forecaster**: :func:`forecast_distribution` turns a case and a scenario into per-issue forecasts
through :func:`accord.api.forecast_distribution`, the one implementation behind ``accord run`` too: the
draws of the default model (the compromise model) under the case's uncertainty, plus its cross-validated
DEU III error on each draw, so the 80% interval holds both; another ``model`` gives its draws only, and
the answer's ``forecaster.interval_kind`` says which.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.api import DEFAULT_DRAWS  # one block of the runner, as `accord run`
from accord.case.model import Case, Quantity
from accord.drivers import DRIVER_REPEATS, DRIVER_SAMPLES, drivers
from accord.engines.registry import DEFAULT_MODEL
from accord.scenarios.run import LEVEL

__all__ = [
    "DEFAULT_DRAWS",
    "DRIVER_REPEATS",
    "DRIVER_SAMPLES",
    "FORECASTER",
    "INTERVAL",
    "answer",
    "answer_csv",
    "case_version",
    "disagreements",
    "drivers",
    "forecast_distribution",
    "scenario_changes",
]

FORECASTER = "default forecaster"  # the compromise model's draws + its DEU error (accord.api)
INTERVAL = LEVEL  # central interval shown with every median: the run's, one level everywhere

Progress = Callable[[str], None]


@dataclass(frozen=True)
class IssueForecast:
    """One issue's forecast: median and central interval of the draws, and the point run beside it."""

    median: float
    low: float
    high: float
    point: float


def case_version(case: Case) -> str:
    """A short hash of the case's content: the web caches answers per case version."""
    text = json.dumps(case.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def forecast_distribution(
    case: Case, scenario: Any | None, model: str = DEFAULT_MODEL, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> dict[str, IssueForecast]:
    """The forecast per issue for ``scenario`` (``None``: the case as it stands): the median and central
    80% interval of :func:`accord.api.forecast_distribution`, and the point run beside them."""
    return issue_forecasts(run_distribution(case, scenario, model, draws, seed))


def run_distribution(case: Case, scenario: Any | None, model: str, draws: int, seed: int) -> Any:
    """The :class:`~accord.scenarios.run.Run` behind :func:`forecast_distribution` (``draws=0``: the
    point run alone, whose outcome is then median and both ends)."""
    from accord.api import forecast_distribution as api_distribution

    return api_distribution(case, model, draws=max(draws, 0), seed=seed, scenario=scenario)


def issue_forecasts(run: Any) -> dict[str, IssueForecast]:
    """Per issue the run's headline median, its 80% interval and its point run."""
    median, point, interval = run.forecast, run.point_forecast, run.interval()
    return {
        issue: IssueForecast(
            median[issue], *interval.get(issue, (median[issue], median[issue])), point[issue]
        )
        for issue in run.issues
    }


# ---------------------------------------------------------------------------------------------------
# Words for numbers on a scale
# ---------------------------------------------------------------------------------------------------


def where_on_scale(value: float, min_label: str, max_label: str) -> str:
    """Where ``value`` sits between the scale's named ends, in words."""
    if value <= 15:
        return f"at or near 0 ({min_label})"
    if value >= 85:
        return f"at or near 100 ({max_label})"
    if value < 40:
        return f"closer to 0 ({min_label})"
    if value > 60:
        return f"closer to 100 ({max_label})"
    return "midway between the ends"


def shift_words(shift: float, min_label: str, max_label: str) -> str:
    """A shift from the case as it stands, in words (under 2 points reads as no change)."""
    if abs(shift) < 2:
        return "no change"
    toward = max_label if shift > 0 else min_label
    return f"{abs(shift):.0f} points toward {100 if shift > 0 else 0} ({toward})"


# ---------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------


def _subject(scenario: Any) -> str | None:
    """The actor a scenario is mostly about: the most frequent actor among its steps (first on ties)."""
    actors = [getattr(step, "actor", None) for step in scenario.interventions]
    actors = [a for a in actors if a]
    return max(dict.fromkeys(actors), key=actors.count) if actors else None


def _is_option(scenario: Any, actor: str) -> bool:
    """Whether the scenario has ``actor`` change its position or alignment (a choice, not a re-estimate)."""
    for step in scenario.interventions:
        if getattr(step, "actor", None) != actor:
            continue
        if step.kind == "align" or getattr(step, "attribute", None) == "position" or step.kind == "trigger":
            return True
    return False


def scenario_changes(scenario: Any) -> list[str]:
    """Each step of a scenario as one line: what it sets, shifts, scales, aligns, adds, removes or
    triggers."""
    out = []
    for step in scenario.interventions:
        out.append(describe_step(step))
    return out


def describe_step(step: Any) -> str:
    """One intervention in words."""
    kind = step.kind
    where = "" if getattr(step, "issue", "all") in (None, "all") else f" on {step.issue}"
    if kind == "set":
        return f"set {step.actor}'s {step.attribute}{where} to {step.value:g}"
    if kind == "shift":
        return f"shift {step.actor}'s {step.attribute}{where} by {step.by:+g}"
    if kind == "scale":
        return f"scale {step.actor}'s {step.attribute}{where} by x{step.factor:g}"
    if kind == "align":
        return f"{step.actor} moves {step.weight:.0%} of the way to {step.with_}'s position{where}"
    if kind == "add_actor":
        return f"add actor {step.name or step.actor} (capability {step.capability:g})"
    if kind == "remove_actor":
        return f"remove actor {step.actor}"
    if kind == "coalition":
        return f"coalition {step.name or step.id}: {', '.join(step.members)}"
    if kind == "set_state":
        return f"the case state {step.state} {'holds' if step.holds else 'does not hold'}"
    if kind == "trigger":
        label = step.id or step.relation or "trigger"
        return f"trigger {label}: {len(step.then)} effect(s) when its condition holds"
    return kind


def _scenario_row(
    case: Case,
    name: str,
    title: str,
    scenario: Any | None,
    forecast: dict[str, IssueForecast],
    baseline: dict[str, IssueForecast] | None,
) -> dict[str, Any]:
    rows = {}
    for issue in case.issues:
        f = forecast[issue.id]
        shift = 0.0 if baseline is None else f.median - baseline[issue.id].median
        rows[issue.id] = {
            "median": round(f.median, 2),
            "low": round(f.low, 2),
            "high": round(f.high, 2),
            "shift": round(shift, 2),
            "point_run": round(f.point, 2),
            "where": where_on_scale(f.median, issue.scale.min_label, issue.scale.max_label),
            "shift_words": shift_words(shift, issue.scale.min_label, issue.scale.max_label),
        }
    return {"name": name, "title": title, **scenario_card(case, scenario), "forecast": rows}


def scenario_card(case: Case, scenario: Any | None) -> dict[str, Any]:
    """A scenario's question, narrative, cited passages (sources by title and date) and its changes."""
    if scenario is None:
        return {
            "question": None,
            "description": "The case's numbers as its sources give them; nothing changed.",
            "passages": [],
            "changes": [],
        }
    sources = {s.id: s for s in case.case.sources}
    pointers = list(scenario.evidence) + [
        p for step in scenario.interventions for p in getattr(step, "evidence", [])
    ]
    passages = [
        {
            "doc": p.doc,
            "start": p.start,
            "end": p.end,
            "note": p.note,
            "title": sources[p.doc].title if p.doc in sources else p.doc,
            "date": sources[p.doc].date if p.doc in sources else None,
        }
        for p in pointers
    ]
    return {
        "question": scenario.question,
        "description": scenario.description,
        "passages": passages,
        "changes": scenario_changes(scenario),
    }


def _leverage(
    case: Case, scenarios: list[tuple[str, Any]], rows: list[dict[str, Any]]
) -> dict[str, Any] | None:
    subjects = [s for s in (_subject(sc) for _, sc in scenarios) if s]
    if not subjects:
        return None
    actor = max(dict.fromkeys(subjects), key=subjects.count)
    options = [rows[0]] + [
        row for (name, sc), row in zip(scenarios, rows[1:], strict=True) if _is_option(sc, actor)
    ]
    per_issue = {}
    for issue in case.issue_ids:
        medians = {row["name"]: row["forecast"][issue]["median"] for row in options}
        lo, hi = min(medians, key=medians.__getitem__), max(medians, key=medians.__getitem__)
        per_issue[issue] = {"range": round(medians[hi] - medians[lo], 2), "lowest": lo, "highest": hi}
    return {
        "actor": actor,
        "name": case.actor(actor).name,
        "options": [row["name"] for row in options],
        "issues": per_issue,
        "method": "range of the forecast medians over the case as it stands and the scenarios in which "
        "the actor changes its positions or alignment",
    }


# ---------------------------------------------------------------------------------------------------
# What the sources disagree on
# ---------------------------------------------------------------------------------------------------


def _quantities(case: Case) -> list[tuple[str, str, Quantity, float]]:
    """(ref, label, quantity, scale width) for every number of the case."""
    found: list[tuple[str, str, Quantity, float]] = [
        (f"issue/{i.id}/status_quo", f"status quo of {i.id}", i.status_quo, 100.0) for i in case.issues
    ]
    for stance in case.stances:
        name = case.actor(stance.actor).name
        found.append((f"stance/{stance.actor}/capability", f"{name}: capability", stance.capability, 1.0))
        for issue_id, s in stance.issues.items():
            found.append(
                (
                    f"stance/{stance.actor}/{issue_id}/position",
                    f"{name}: position on {issue_id}",
                    s.position,
                    100.0,
                )
            )
            found.append(
                (
                    f"stance/{stance.actor}/{issue_id}/salience",
                    f"{name}: salience of {issue_id}",
                    s.salience,
                    1.0,
                )
            )
    return found


def disagreements(case: Case, limit: int = 8) -> list[dict[str, Any]]:
    """Numbers with readings from two or more sources that differ, widest spread (as a share of the
    scale) first."""
    sources = {s.id: s for s in case.case.sources}
    out = []
    for ref, label, q, width in _quantities(case):
        readings = []
        for est in q.all_estimates:
            for doc in est.sources:
                src = sources.get(doc)
                readings.append(
                    {
                        "source": doc,
                        "title": src.title if src else doc,
                        "date": src.date if src else None,
                        "value": est.value,
                    }
                )
        if len({r["source"] for r in readings}) < 2:
            continue
        values = [r["value"] for r in readings]
        spread = max(values) - min(values)
        if spread <= 0:
            continue
        out.append(
            {
                "ref": ref,
                "label": label,
                "spread": round(spread, 3),
                "share_of_scale": round(spread / width, 3),
                "readings": readings,
            }
        )
    out.sort(key=lambda d: -d["share_of_scale"])
    return out[:limit]


# ---------------------------------------------------------------------------------------------------
# The answer
# ---------------------------------------------------------------------------------------------------


def case_question(case: Case) -> str:
    """The question the case answers: the case's own ``question`` if it has one, else its sources'
    question."""
    own = getattr(case.case, "question", None)
    if own:
        return str(own)
    asked = [s.title for s in case.case.sources if s.title.strip().endswith("?")]
    return asked[0] if asked else case.case.description.split(". ")[0]


def answer(
    case: Case | str | None = None,
    model: str = DEFAULT_MODEL,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    driver_samples: int | None = None,
    driver_repeats: int = DRIVER_REPEATS,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole answer of a case as one JSON-ready document (see the module docstring)."""
    from accord.case.io import load_case
    from accord.scenarios.service import list_scenarios

    if not isinstance(case, Case):
        case = load_case(case)
    t0 = time.perf_counter()
    say = progress or (lambda _msg: None)
    scenarios = [(name, sc) for name, sc, target in list_scenarios(case.id) if sc is not None]
    say("the case as it stands")
    base_run = run_distribution(case, None, model, draws, seed)
    base = issue_forecasts(base_run)
    rows = [_scenario_row(case, "as-it-stands", "The case as it stands", None, base, None)]
    for name, sc in scenarios:
        say(f"scenario {name}")
        # a scenario that changes nothing (e.g. "Moscow stays its course") is the case as it stands
        fc = base if not sc.interventions else forecast_distribution(case, sc, model, draws, seed)
        rows.append(_scenario_row(case, name, sc.title, sc, fc, base))
    t1 = time.perf_counter()
    say("drivers (sensitivity)")
    driving = drivers(case, model, driver_samples, driver_repeats, seed)
    t2 = time.perf_counter()
    return {
        "case": case.id,
        "case_version": case_version(case),
        "title": case.case.title,
        "as_of": case.case.as_of,
        "question": case_question(case),
        "readings": case.readings_note(),
        "forecaster": {
            "name": FORECASTER if base_run.model_error else f"{base_run.model} draws",
            "model": base_run.model,
            "draws": draws,
            "seed": seed,
            "interval": f"{INTERVAL:.0%}",
            "level": INTERVAL,
            "interval_kind": base_run.interval_kind,
            "model_error": base_run.model_error,
            "description": f"median and central {INTERVAL:.0%} interval of {draws} draws of the "
            f"{base_run.model} model under the case's documented uncertainty"
            + (
                ", each plus one of the model's cross-validated errors on DEU III outcomes"
                if base_run.model_error
                else " (no measured model error is added for this model)"
            )
            + "; the point run (the point estimates run once) is given beside it as point_run",
        },
        "issues": [
            {
                "id": i.id,
                "question": i.question,
                "min_label": i.scale.min_label,
                "max_label": i.scale.max_label,
                "status_quo": round(i.status_quo.point, 2),
            }
            for i in case.issues
        ],
        "scenarios": rows,
        "leverage": _leverage(case, scenarios, rows),
        "drivers": driving["actors"],
        "drivers_method": {k: v for k, v in driving.items() if k != "actors"},
        "disagreements": disagreements(case),
        "timings": {
            "scenarios_s": round(t1 - t0, 2),
            "drivers_s": round(t2 - t1, 2),
            "total_s": round(t2 - t0, 2),
        },
    }


def answer_csv(doc: dict[str, Any]) -> str:
    """The scenario table of an answer as CSV: one row per scenario and issue."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [
            "case",
            "scenario",
            "title",
            "issue",
            "median",
            "low",
            "high",
            "interval",
            "shift",
            "point_run",
            "status_quo",
            "min_label",
            "max_label",
        ]
    )
    issues = {i["id"]: i for i in doc["issues"]}
    for row in doc["scenarios"]:
        for issue, f in row["forecast"].items():
            meta = issues[issue]
            writer.writerow(
                [
                    doc["case"],
                    row["name"],
                    row["title"],
                    issue,
                    f["median"],
                    f["low"],
                    f["high"],
                    doc["forecaster"]["interval"],
                    f["shift"],
                    f["point_run"],
                    meta["status_quo"],
                    meta["min_label"],
                    meta["max_label"],
                ]
            )
    return buf.getvalue()
