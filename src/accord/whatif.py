"""What-if: a few changes to a case, the point forecast at once, the draws on request.

The dashboard's what-if form posts its changes here (``POST /api/cases/{id}/whatif``); they become an
ordinary scenario of ``set`` and ``remove_actor`` steps, checked against the case like any scenario file,
so what the page shows is what ``accord scenarios run`` would give for the saved file.
"""

from __future__ import annotations

import time
from typing import Any

from accord.answer import INTERVAL, case_version, forecast_distribution, scenario_changes
from accord.case.model import Case
from accord.engines.registry import DEFAULT_MODEL

__all__ = ["whatif", "whatif_scenario"]


def whatif_scenario(case: Case, changes: list[dict[str, Any]], title: str = "What-if") -> Any:
    """A scenario of ``set`` and ``remove_actor`` steps from the what-if form, checked against the case.

    Each change is ``{"actor", "attribute": position|salience|capability, "issue", "value"}`` or
    ``{"actor", "attribute": "remove"}``. Raises :class:`~accord.scenarios.language.ScenarioError`.
    """
    from accord.scenarios.checks import check_scenario
    from accord.scenarios.language import Scenario, ScenarioError

    steps: list[dict[str, Any]] = []
    for c in changes:
        if c.get("attribute") == "remove":
            steps.append({"kind": "remove_actor", "actor": c["actor"]})
        else:
            steps.append(
                {
                    "kind": "set",
                    "actor": c["actor"],
                    "attribute": c["attribute"],
                    "issue": c.get("issue") or "all",
                    "value": float(c["value"]),
                }
            )
    scenario = Scenario.model_validate(
        {
            "scenario": 1,
            "id": "what-if",
            "title": title,
            "case": case.id,
            "question": "What if these numbers were different?",
            "interventions": steps,
        }
    )
    problems = check_scenario(scenario, case, "what-if")
    if problems:
        raise ScenarioError("what-if", problems)
    return scenario


_BASE_POINT: dict[tuple[str, str, int], Any] = {}


def whatif(
    case: Case, changes: list[dict[str, Any]], draws: int = 0, model: str = DEFAULT_MODEL, seed: int = 0
) -> dict[str, Any]:
    """The point forecast under the changes next to the case's own; with ``draws``, median and interval too."""
    import yaml

    from accord.scenarios.service import run_scenario

    scenario = whatif_scenario(case, changes)
    t0 = time.perf_counter()
    key = (case_version(case), model, seed)
    if key not in _BASE_POINT:  # the case's own point run, once per case version
        if len(_BASE_POINT) > 64:
            _BASE_POINT.clear()
        _BASE_POINT[key] = run_scenario(None, case, model=model, seed=seed).point
    base = _BASE_POINT[key]
    changed = run_scenario(scenario, case, model=model, seed=seed).point
    assert base is not None and changed is not None
    out: dict[str, Any] = {
        "case": case.id,
        "model": model,
        "changes": scenario_changes(scenario),
        "issues": {
            issue: {
                "point_run": round(float(changed.trajectory.forecast[0, j]), 2),
                "base_point_run": round(float(base.trajectory.forecast[0, j]), 2),
            }
            for j, issue in enumerate(changed.start.issues)
        },
    }
    if draws > 0:
        for issue, f in forecast_distribution(case, scenario, model, draws, seed).items():
            out["issues"][issue].update(median=round(f.median, 2), low=round(f.low, 2), high=round(f.high, 2))
        out["interval"] = f"{INTERVAL:.0%}"
    out["seconds"] = round(time.perf_counter() - t0, 3)
    doc = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for step in doc.get("interventions", []):
        if not step.get("evidence"):
            step.pop("evidence", None)
    if not doc.get("evidence"):
        doc.pop("evidence", None)
    out["scenario_yaml"] = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    return out
