"""What-if: a few changes to a case, the point forecast at once, the draws on request.

The dashboard's what-if form posts its changes here (``POST /api/cases/{id}/whatif``); they become an
ordinary scenario of ``set``, ``remove_actor`` and ``set_state`` steps, checked against the case like any
scenario file, so what the page shows is what ``accord run --scenario`` would give for the saved file.

The what-if may start from a scenario (``base``): its interventions come first, and its triggers (the
conditional commitments, e.g. an alliance clause) can each be switched off. Setting a case state (e.g.
``fighting-on-armenia-territory``) decides whether the triggers whose clause reads it can fire; the
result lists every trigger with the round it fired at in the point run.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from accord.answer import INTERVAL, case_version, forecast_distribution, scenario_changes
from accord.case.model import Case
from accord.engines.registry import DEFAULT_MODEL

__all__ = ["trigger_label", "whatif", "whatif_scenario"]


def trigger_label(trigger: Any, n: int) -> str:
    """A trigger's name as runs report it (its id, else its relation, else ``trigger-N``)."""
    return str(trigger.id or trigger.relation or f"trigger-{n + 1}")


def _change_steps(changes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
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
    return steps


def _base_steps(base: Any | None, triggers_off: Sequence[str]) -> list[dict[str, Any]]:
    """The base scenario's interventions as plain data, without the triggers switched off."""
    if base is None:
        return []
    steps, n = [], 0
    for step in base.interventions:
        if step.kind == "trigger":
            n += 1
            if trigger_label(step, n - 1) in triggers_off:
                continue
        steps.append(step.model_dump(mode="json", by_alias=True, exclude_none=True))
    return steps


def whatif_scenario(
    case: Case,
    changes: Sequence[Mapping[str, Any]],
    title: str = "What-if",
    base: Any | None = None,
    states: Mapping[str, bool] | None = None,
    triggers_off: Sequence[str] = (),
) -> Any:
    """A scenario from the what-if form, checked against the case.

    Each change is ``{"actor", "attribute": position|salience|capability, "issue", "value"}`` or
    ``{"actor", "attribute": "remove"}``. ``base`` is a scenario whose interventions come first (its
    triggers named in ``triggers_off`` left out); ``states`` sets case states (``set_state`` steps).
    Raises :class:`~accord.scenarios.language.ScenarioError` naming the step at fault.
    """
    from accord.scenarios.checks import check_scenario
    from accord.scenarios.language import Scenario, ScenarioError

    steps = _base_steps(base, triggers_off) + _change_steps(changes)
    steps += [{"kind": "set_state", "state": s, "holds": bool(h)} for s, h in (states or {}).items()]
    scenario = Scenario.model_validate(
        {
            "scenario": 1,
            "id": "what-if",
            "title": title if base is None else f"{title} on {base.title}",
            "case": case.id,
            "question": "What if these numbers were different?" if base is None else base.question,
            "evidence": [p.model_dump(mode="json") for p in base.evidence] if base is not None else [],
            "interventions": steps,
        }
    )
    problems = check_scenario(scenario, case, "what-if")
    if problems:
        raise ScenarioError("what-if", problems)
    return scenario


_BASE_POINT: dict[tuple[str, str, int], Any] = {}


def _triggers(case: Case, scenario: Any, point: Any) -> list[dict[str, Any]]:
    """Each trigger of the what-if: the state its clause reads (and whether it holds), and when it fired."""
    relations = {r.id: r for r in case.relations}
    holds = {s.id: s.holds for s in case.states} | scenario.states
    out = []
    for n, trig in enumerate(scenario.triggers):
        cond = relations[trig.relation].applies_if if trig.relation is not None else None
        state = cond.state if cond is not None else None
        fired = int(point.fired_round[0, n]) if point.fired_round.size else 0
        out.append(
            {
                "label": trigger_label(trig, n),
                "relation": trig.relation,
                "state": state,
                "state_holds": holds.get(state) if state is not None else None,
                "fired_round": fired or None,
            }
        )
    return out


def whatif(
    case: Case,
    changes: Sequence[Mapping[str, Any]],
    draws: int = 0,
    model: str = DEFAULT_MODEL,
    seed: int = 0,
    base: Any | None = None,
    states: Mapping[str, bool] | None = None,
    triggers_off: Sequence[str] = (),
) -> dict[str, Any]:
    """The point forecast under the changes next to the case's own; with ``draws``, median and interval too.

    ``base``, ``states`` and ``triggers_off`` as in :func:`whatif_scenario`; ``triggers`` in the result
    says, per trigger, the state it reads and the round it fired at in the point run (``None``: never)."""
    import yaml

    from accord.scenarios.service import run_scenario

    scenario = whatif_scenario(case, changes, base=base, states=states, triggers_off=triggers_off)
    t0 = time.perf_counter()
    key = (case_version(case), model, seed)
    if key not in _BASE_POINT:  # the case's own point run, once per case version
        if len(_BASE_POINT) > 64:
            _BASE_POINT.clear()
        _BASE_POINT[key] = run_scenario(None, case, model=model, seed=seed).point
    base_point = _BASE_POINT[key]
    changed = run_scenario(scenario, case, model=model, seed=seed).point
    assert base_point is not None and changed is not None
    out: dict[str, Any] = {
        "case": case.id,
        "model": model,
        "base": base.id if base is not None else None,
        "changes": scenario_changes(scenario),
        "triggers": _triggers(case, scenario, changed),
        "issues": {
            issue: {
                "point_run": round(float(changed.trajectory.forecast[0, j]), 2),
                "base_point_run": round(float(base_point.trajectory.forecast[0, j]), 2),
            }
            for j, issue in enumerate(changed.start.issues)
        },
    }
    if draws > 0:
        for issue, f in forecast_distribution(case, scenario, model, draws, seed).items():
            out["issues"][issue].update(median=round(f.median, 2), low=round(f.low, 2), high=round(f.high, 2))
        out["interval"] = f"{INTERVAL:.0%}"
    out["seconds"] = round(time.perf_counter() - t0, 3)
    out["scenario_yaml"] = _yaml(scenario, yaml)
    return out


def _yaml(scenario: Any, yaml: Any) -> str:
    doc = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for step in doc.get("interventions", []):
        if not step.get("evidence"):
            step.pop("evidence", None)
    if not doc.get("evidence"):
        doc.pop("evidence", None)
    return str(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
