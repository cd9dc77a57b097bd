"""The built-in Nagorno-Karabakh cases: they load, validate against their corpus, and keep their promises.

The corpus lives outside the repository (``../shared/corpus/nagorno-karabakh``); without it these tests
fail rather than skip, since the cases cannot be checked without their texts.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from accord.api import case_params, run_problem
from accord.case import Case, builtin_cases, load_case
from accord.case.model import Quantity, RelationType
from accord.case.problem import case_to_problem, without_carry_overs
from accord.cli.main import app
from accord.spans.pointers import Corpus, load_corpus_dir

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "nagorno-karabakh"
CASE_2020 = "nagorno-karabakh-2020"
CASE_2013 = "nagorno-karabakh-2013"
ISSUES = ("territory", "status", "russian-force", "mediation-lead", "turkey-role")


@cache
def corpus() -> Corpus:
    if not CORPUS.is_dir():
        pytest.fail(f"corpus folder not found: {CORPUS} (the built-in cases are checked against it)")
    return load_corpus_dir(CORPUS)


@cache
def case(name: str) -> Case:
    return load_case(name, corpus=corpus())


@cache
def sources_yaml() -> list[dict]:
    return yaml.safe_load((CORPUS / "sources.yaml").read_text(encoding="utf-8"))["documents"]


def quantities(c: Case) -> list[tuple[str, Quantity]]:
    found = [(f"{i.id}.status_quo", i.status_quo) for i in c.issues]
    for s in c.stances:
        found.append((f"{s.actor}.capability", s.capability))
        for issue_id, st in s.issues.items():
            found += [
                (f"{s.actor}.{issue_id}.position", st.position),
                (f"{s.actor}.{issue_id}.salience", st.salience),
            ]
            if st.capability is not None:
                found.append((f"{s.actor}.{issue_id}.capability", st.capability))
    return found


def multi_source(q: Quantity) -> bool:
    return len(q.all_estimates) >= 2 and len({d for e in q.all_estimates for d in e.sources}) >= 2


# ---- loading and validation ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_builtin_loads_and_validates_against_corpus(name: str) -> None:
    assert name in builtin_cases()
    c = case(name)
    assert c.id == name
    assert c.issue_ids == ISSUES


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_cli_validate_exits_zero(name: str) -> None:
    corpus()  # fail clearly if the corpus is missing
    result = CliRunner().invoke(app, ["case", "validate", name, "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "valid case" in result.output


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_sources_match_sources_yaml(name: str) -> None:
    listed = {d["id"]: d for d in sources_yaml()}
    for source in case(name).case.sources:
        doc = listed[source.id]
        assert source.title == doc["title"]
        assert source.date == doc["published"]
        assert source.date_precision == doc["date_precision"]
        assert source.author == doc.get("author")
        assert source.publisher == doc.get("publisher")


# ---- counts and dates ------------------------------------------------------------------------------


def test_counts_2020() -> None:
    c = case(CASE_2020)
    assert len(c.actors) >= 14
    assert len(c.issues) == 5
    assert len(c.relations) >= 22
    assert len(c.events) >= 32
    starts = sorted(e.start for e in c.events)
    assert starts[0].year == 1921
    assert starts[-1] <= dt.date(2020, 11, 9)
    assert c.case.as_of == "2020-11-09"


def test_counts_2013() -> None:
    c = case(CASE_2013)
    assert len(c.actors) >= 10
    assert len(c.issues) == 5
    assert len(c.relations) >= 15
    assert len(c.events) >= 12
    assert max(e.start for e in c.events) <= dt.date(2013, 2, 1)
    assert c.case.as_of == "2013-02-01"


def test_actor_kinds() -> None:
    for name in (CASE_2020, CASE_2013):
        c = case(name)
        assert c.actor("nagorno-karabakh").kind.value == "de_facto_state"
        assert c.actor("csto").kind.value == "alliance"
        for org in ("eu", "osce-minsk-group"):
            assert c.actor(org).kind.value == "organisation"
        assert c.actor("soviet-union").name != c.actor("russia").name


# ---- point 1: each reading belongs to its moment ---------------------------------------------------


def _source_dates(c: Case) -> dict[str, dt.date]:
    return {s.id: dt.date.fromisoformat(s.date) for s in c.case.sources}


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_no_text_dated_after_as_of_is_cited(name: str) -> None:
    c = case(name)
    as_of = dt.date.fromisoformat(c.case.as_of)
    dates = _source_dates(c)
    assert all(d <= as_of for d in dates.values())
    for label, pointer in c.all_pointers():
        assert dates[pointer.doc] <= as_of, label


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_every_reading_is_dated_and_older_ones_are_marked_carry_overs(name: str) -> None:
    c = case(name)
    start = dt.date.fromisoformat(c.case.period_start)
    dates = _source_dates(c)
    for label, q in quantities(c):
        for e in q.all_estimates:
            when = c.reading_date(e)  # the date of its text (the latest, if it names several)
            assert when == max(dates[d] for d in e.sources), label
            assert e.carry_over == (when < start), label
            if e.carry_over:
                assert e.note and "carry" in e.note.lower(), label


def test_no_2020_number_rests_only_on_the_2013_text() -> None:
    c = case(CASE_2020)
    only_old = [
        label
        for label, q in quantities(c)
        if all(e.sources == ("004_4eb90dd5622bd2fc",) for e in q.all_estimates)
    ]
    assert not only_old
    carried = [label for label, q in quantities(c) if any(e.carry_over for e in q.all_estimates)]
    assert carried == ["russia.capability"]  # the one visible carry-over
    assert not any(e.carry_over for _, q in quantities(without_carry_overs(c)) for e in q.all_estimates)


def test_the_2013_case_rests_on_the_2013_text_alone() -> None:
    c = case(CASE_2013)
    assert [s.id[:3] for s in c.case.sources] == ["004"]


def test_carry_over_switch_changes_russia_capability_only() -> None:
    c = case(CASE_2020)
    with_old = case_to_problem(c)
    without = case_to_problem(c, carry_overs=False)
    russia = with_old.actors.index("russia")
    changed = ~np.isclose(with_old.capability, without.capability)
    assert changed.any() and set(np.argwhere(changed)[:, 0]) == {russia}
    assert np.array_equal(with_old.positions, without.positions)


def test_territory_status_quo_is_the_last_battlefield_reading() -> None:
    c = case(CASE_2020)
    sq = c.issue("territory").status_quo
    assert [e.source[:3] for e in sq.all_estimates] == [
        "002"
    ]  # 21 October, the last text with facts on the ground
    assert "9/10 November" in c.case.description
    assert case(CASE_2013).issue("territory").status_quo.point >= 95


# ---- point 3: no filler stances; spans name their actor ---------------------------------------------


def _names(c: Case, actor: str, text: str) -> bool:
    a = c.actor(actor)
    for alias in [a.name, *a.aliases]:
        if re.search(rf"(?<![A-Za-z]){re.escape(alias)}(?![A-Za-z])", text):
            return True
    return False


def stance_numbers(c: Case) -> list[tuple[str, str, Quantity]]:
    found = []
    for s in c.stances:
        found.append((s.actor, f"{s.actor}.capability", s.capability))
        for issue_id, st in s.issues.items():
            for key in ("position", "salience", "capability"):
                q = getattr(st, key)
                if q is not None:
                    found.append((s.actor, f"{s.actor}.{issue_id}.{key}", q))
    return found


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_stance_numbers_cite_spans_that_name_their_actor(name: str) -> None:
    c = case(name)
    texts = corpus().texts
    numbers = stance_numbers(c)
    named = [
        label
        for actor, label, q in numbers
        if any(_names(c, actor, texts[p.doc][p.start : p.end]) for p in q.pointers)
    ]
    missing = sorted({label for _, label, _ in numbers} - set(named))
    assert len(named) / len(numbers) >= 0.9, missing
    # every reading (not only every number) cites such a span
    unnamed = [
        (label, e.source)
        for actor, label, q in numbers
        for e in q.all_estimates
        if not any(_names(c, actor, texts[p.doc][p.start : p.end]) for p in e.evidence)
    ]
    assert not unnamed


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_no_filler_actors(name: str) -> None:
    c = case(name)
    bargaining = set(c.bargaining_actor_ids)
    assert {"russia", "armenia", "azerbaijan", "turkey", "usa", "france"} <= bargaining
    assert not {"iran", "israel", "georgia", "nagorno-karabakh"} & bargaining
    for stance in c.stances:
        for issue_id, s in stance.issues.items():
            assert s.position.pointers and s.salience.pointers, f"{stance.actor}.{issue_id}"
    # some actors hold no stance on some issues: the problem marks them absent
    assert case_to_problem(c).present is not None and not case_to_problem(c).present.all()


def test_stepanakert_takes_part_as_a_veto_player_in_2013_only() -> None:
    assert case(CASE_2013).stance("nagorno-karabakh").takes_part == "veto"
    assert "nagorno-karabakh" in case(CASE_2013).issue("status").consent.actors
    assert "nagorno-karabakh" not in {s.actor for s in case(CASE_2020).stances}


# ---- point 4: concrete scales ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_every_issue_names_at_least_three_points_in_range(name: str) -> None:
    for issue in case(name).issues:
        points = issue.scale.points or []
        assert len(points) >= 3, issue.id
        ats = [p.at for p in points]
        assert ats == sorted(set(ats)) and 0 <= ats[0] and ats[-1] <= 100, issue.id
        assert all(p.label.strip() for p in points)
        labels = [issue.scale.min_label, issue.scale.max_label, *(p.label for p in points)]
        assert not [t for t in labels if "Turkey" in t and "outside" in t], (
            issue.id
        )  # Turkey is a Minsk Group member


def test_status_quo_values_sit_on_or_between_named_points() -> None:
    for name in (CASE_2020, CASE_2013):
        for issue in case(name).issues:
            ats = [p.at for p in issue.scale.points]
            assert ats[0] <= issue.status_quo.point <= ats[-1]


# ---- points 5 and 9: consent, capability per issue, the 2013 thesis ----------------------------------


def _forecast(c: Case, model: str = "smp", **kw: bool) -> dict[str, float]:
    problem = case_to_problem(c, **kw)
    traj = run_problem(problem, model, None, 0, case_params(model, None))
    return dict(zip(problem.issues, traj.outcome[0, -1].tolist(), strict=True))


def test_capability_differs_by_issue_where_the_texts_say_so() -> None:
    c = case(CASE_2020)
    az = c.stance("azerbaijan")
    assert az.issues["territory"].capability.point > az.capability.point
    problem = case_to_problem(c)
    assert problem.capability.ndim == 2


@pytest.mark.parametrize("model", ["smp", "eum"])
def test_no_russian_force_is_forecast_from_2013_inputs(model: str) -> None:
    c = case(CASE_2013)
    assert _forecast(c, model)["russian-force"] <= 30 + 1e-9  # at most Russians inside a wider mission
    assert (
        _forecast(c, model, consent=False)["russian-force"] > 30
    )  # without the parties' consent it would be


@pytest.mark.parametrize("model", ["smp", "eum"])
def test_2013_default_run_forecasts_the_deadlock(model: str) -> None:
    c = case(CASE_2013)
    forecast = _forecast(c, model)
    for issue in ("territory", "status"):
        assert forecast[issue] == pytest.approx(c.issue(issue).status_quo.point, abs=0.5)
    # the reason is the parties' consent (the key lies with them), not Russia
    loose = _forecast(c, model, consent=False)
    assert abs(loose["territory"] - 100) > 5 or abs(loose["status"] - 75) > 5
    assert c.stance("russia").capability.point <= c.stance("usa").capability.point


# ---- point 6: the alliance clause as a state ---------------------------------------------------------


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_alliance_clause_reads_a_case_state_tested_by_the_texts(name: str) -> None:
    c = case(name)
    rel = {r.id: r for r in c.relations}
    for rid in ("russia-armenia-alliance", "russia-armenia-csto-alliance"):
        assert rel[rid].applies_if.state == "fighting-on-armenia-territory"
    state = c.state("fighting-on-armenia-territory")
    assert state.holds is False
    tested = {t.event for t in state.tests}
    assert "2012-06-tavush-violations" in tested
    if name == CASE_2020:
        assert "2020-07-border-clashes" in tested


# ---- relations and facts (point 8) -------------------------------------------------------------------


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_key_relations(name: str) -> None:
    c = case(name)
    rel = {r.id: r for r in c.relations}
    assert rel["russia-gyumri-base"].type is RelationType.military_presence
    assert rel["russia-gyumri-base"].until == "2044"
    assert rel["russia-armenia-arms"].share == pytest.approx(0.96)
    assert rel["russia-azerbaijan-arms"].share == pytest.approx(0.55)
    assert (
        rel["russia-armenia-arms"].period.start == "2007" and rel["russia-armenia-arms"].period.end == "2011"
    )
    minsk = rel["minsk-group-mediation"]
    assert minsk.from_ == "osce-minsk-group" and minsk.since == "1992"
    assert set(minsk.parties or []) == {"armenia", "azerbaijan"}
    assert set(minsk.co_chairs or []) == {"russia", "france", "usa"}
    assert rel["russia-minsk-co-chair"].since == "1994"
    assert rel["france-minsk-co-chair"].since == rel["usa-minsk-co-chair"].since == "1997"
    assert rel["russia-no-contact-stepanakert"].to == "nagorno-karabakh"
    assert not any(r.type is RelationType.mediation and r.from_ == "unsc" for r in c.relations)
    assert "S-300" in rel["russia-azerbaijan-arms"].note
    members = {(r.from_, r.to) for r in c.relations if r.type is RelationType.membership}
    assert {("armenia", "csto"), ("russia", "csto")} <= members


def test_facts_2020() -> None:
    c = case(CASE_2020)
    rel = {r.id: r for r in c.relations}
    events = {e.id: e for e in c.events}
    assert rel["israel-azerbaijan-arms"].share >= 0.6
    assert rel["armenia-eu-partnership"].until == "2013"
    assert ("armenia", "eaeu") in {(r.from_, r.to) for r in c.relations}
    assert rel["turkey-armenia-closed-border"].since == "1993"
    assert events["1994-05-05-bishkek-protocol"].type.value == "agreement"
    assert events["1994-05-12-ceasefire"].type.value == "ceasefire"
    assert "Bishkek" not in events["1994-05-12-ceasefire"].title
    assert "russia" not in events["1921-stalin-decision"].actors
    assert "soviet-union" in events["1921-stalin-decision"].actors


def test_levers_2013() -> None:
    rel = {r.id: r for r in case(CASE_2013).relations}
    levers = {r.id for r in rel.values() if r.type is RelationType.leverage}
    assert {
        "russia-armenia-gas-lever",
        "russia-armenia-eurasian-union-pressure",
        "russia-azerbaijan-billionaire-club",
    } <= levers


# ---- no copied text --------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_no_nine_word_run_from_the_corpus() -> None:
    grams: set[tuple[str, ...]] = set()
    for doc in corpus().texts.values():
        words = _tokens(doc)
        grams.update(tuple(words[i : i + 9]) for i in range(len(words) - 8))
    titles = [d["title"] for d in sources_yaml()]
    for name in (CASE_2020, CASE_2013):
        text = builtin_cases()[name].read_text(encoding="utf-8")
        for title in titles:
            text = text.replace(title, " ")
        words = _tokens(text)
        copied = [
            " ".join(words[i : i + 9]) for i in range(len(words) - 8) if tuple(words[i : i + 9]) in grams
        ]
        assert not copied, f"{name} repeats corpus text: {copied[:3]}"


# ---- shown where the numbers are read ---------------------------------------------------------------


def test_points_consent_and_pooling_are_shown() -> None:
    from accord import views

    pos = views.positions_view(case(CASE_2020))
    force = next(i for i in pos["issues"] if i["id"] == "russian-force")
    assert len(force["points"]) >= 3 and force["consent"] == ["armenia", "azerbaijan"]
    assert "equal weights" in pos["pooling"]
    shown = CliRunner().invoke(app, ["case", "show", CASE_2020], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "consent needed: armenia, azerbaijan" in shown.output and "carry-over" in shown.output
    assert "pooling:" in shown.output and "does not hold" in shown.output


def test_evidence_view_gives_each_reading_its_date_and_carry_over_flag() -> None:
    from accord import views

    item = views.evidence_for(case(CASE_2020), "stance/russia/capability")
    dated = {(e["sources"][0][:3], e["date"], e["carry_over"]) for e in item["estimates"]}
    assert ("004", "2013-02-01", True) in dated and ("003", "2020-11-09", False) in dated
    table = views.evidence_table(case(CASE_2020))
    assert len(table) == len(case(CASE_2020).all_pointers())  # consent and state pointers included
