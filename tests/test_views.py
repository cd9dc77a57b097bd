"""Chart views drawn by both the dashboard and the report."""

from __future__ import annotations

import pytest

import accord
from accord import views


def test_network_has_an_edge_for_every_relation_end():
    case = accord.load_case("nagorno-karabakh-2020")
    net = views.network_view(case)
    drawn = {(e["from"], e["to"]) for e in net["edges"]}
    for relation in case.relations:
        for target in relation.ends[1:]:
            assert (relation.from_, target) in drawn, relation.id
    # a mediation naming its parties is drawn to each of them
    usa = [e for e in net["edges"] if e["from"] == "usa"]  # the US mediation of October 2020
    assert {e["to"] for e in usa} >= {"armenia", "azerbaijan"}
    assert len({e["id"] for e in net["edges"]}) == len(net["edges"])
    assert None not in {e["to"] for e in net["edges"]}


def _single_run(case, bar, issue):  # noqa: ANN001, ANN202 - the tornado's bar re-run on its own
    from accord.case.problem import apply_consent, case_to_problem
    from accord.engines.base import Problem
    from accord.engines.registry import case_params, run_problem

    p = case_to_problem(case)
    a, j = p.actors.index(bar["actor"]), p.issues.index(issue)
    arrays = {
        "position": p.positions.copy(),
        "salience": p.salience.copy(),
        "capability": p.capability.copy(),
    }
    if bar["attribute"] == "capability" and arrays["capability"].ndim == 1:
        arrays["capability"][a] = bar["high_value"]
    else:
        arrays[bar["attribute"]][a, j] = bar["high_value"]
    changed = Problem(
        arrays["position"],
        arrays["salience"],
        arrays["capability"],
        p.status_quo,
        p.actors,
        p.issues,
        p.scale,
        present=p.present,
    )
    changed = apply_consent(changed, case)  # as every run of the scenario layer does
    return float(run_problem(changed, "smp", None, 0, case_params("smp", None)).forecast[0, j])


def test_batched_tornado_matches_runs_one_at_a_time():
    case = accord.load_case("nagorno-karabakh-2020")
    all_issues = views.tornados(case, "smp")
    assert set(all_issues) == set(case.issue_ids)
    territory = all_issues["territory"]
    assert territory["base"] == accord.run(case, model="smp").forecast_frame().loc["territory", "forecast"]
    for bar in territory["bars"][:3]:
        assert bar["at_high"] == _single_run(case, bar, "territory")


def test_tornado_bar_reaches_from_the_base_when_both_ends_push_one_way():
    case = accord.load_case("nagorno-karabakh-2020")
    for t in views.tornados(case, "smp").values():
        for bar in t["bars"]:
            ends = (bar["at_low"], bar["at_high"], t["base"])
            assert bar["swing"] == max(ends) - min(ends)
        swings = [bar["swing"] for bar in t["bars"]]
        assert swings == sorted(swings, reverse=True)
    same_way = [
        b
        for t in views.tornados(case, "smp").values()
        for b in t["bars"]
        if (b["at_low"] - t["base"]) * (b["at_high"] - t["base"]) > 0
    ]
    assert all(b["swing"] > abs(b["at_high"] - b["at_low"]) for b in same_way)


def test_evidence_names_sources_by_title_and_gives_the_value_used():
    case = accord.load_case("nagorno-karabakh-2020")
    titles = {s.id: f"{s.title} ({s.date})" for s in case.case.sources}
    item = views.evidence_for(case, "stance/russia/capability")
    for est in item["estimates"]:
        assert est["source_names"] == [titles[d] for d in est["sources"]]
        assert all(p["title"] and p["date"] for p in est["pointers"])
    rows = [r for r in views.evidence_table(case) if r["ref"] == "stance/russia/capability"]
    assert {r["used"] for r in rows} == {case.stance("russia").capability.point}
    assert {r["source"] for r in rows} <= set(titles.values())
    assert (
        len({r["value"] for r in rows}) > 1
    )  # the sources disagree on Moscow's weight, and the table shows it


def test_tornado_varies_each_number_over_the_scenario_layers_range():
    """One definition of the swing: each bar's low and high are the global analysis's bounds, and a
    number with a single value swings by the scenario layer's DEFAULT_SPREAD (absolute, clipped)."""
    from accord.scenarios.sensitivity import DEFAULT_SPREAD, inputs_of

    case = accord.load_case("nagorno-karabakh-2020")
    inputs, layout = inputs_of(case)
    bounds = {(i.actor, i.attribute, i.issue): (i.low, i.high) for i in inputs}
    points = {(i.actor, i.attribute, i.issue): layout.laws[i.slot].point for i in inputs}
    defaults = 0
    for issue, t in views.tornados(case, "smp", limit=1000).items():
        assert t["default_spread"] == DEFAULT_SPREAD
        for bar in t["bars"]:
            key = (bar["actor"], bar["attribute"], issue if bar["attribute"] != "capability" else "all")
            key = key if key in bounds else (bar["actor"], bar["attribute"], issue)
            assert (bar["low_value"], bar["high_value"]) == bounds[key]
            if not bar["documented_range"]:
                defaults += 1
                spread, point = DEFAULT_SPREAD[bar["attribute"]], float(points[key])
                top = 100.0 if bar["attribute"] == "position" else 1.0
                assert bar["high_value"] == pytest.approx(min(top, point + spread))
                assert bar["low_value"] == pytest.approx(max(0.0, point - spread))
    assert defaults > 0  # the case has single-valued numbers, so the default spread is exercised
