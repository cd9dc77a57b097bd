"""The built-in Nagorno-Karabakh cases: they load, validate against their corpus, and keep their promises.

The corpus lives outside the repository (``../shared/corpus/nagorno-karabakh``); without it these tests
fail rather than skip, since the cases cannot be checked without their texts.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.case import Case, builtin_cases, load_case
from accord.case.model import Quantity, RelationType
from accord.cli.main import app
from accord.evidence.pointers import Corpus, load_corpus_dir

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "nagorno-karabakh"
CASE_2020 = "nagorno-karabakh-2020"
CASE_2013 = "nagorno-karabakh-2013"
ISSUES = ("territory", "status", "peacekeeping", "mediation", "hostilities")
CORE_STANCES = (
    "russia",
    "armenia",
    "azerbaijan",
    "nagorno-karabakh",
    "turkey",
    "usa",
    "france",
    "eu",
    "georgia",
)


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
    assert len(c.actors) >= 12
    assert len(c.issues) == 5
    assert len(c.relations) >= 15
    assert len(c.events) >= 20
    assert max(e.start for e in c.events) <= dt.date(2013, 2, 1)
    assert c.case.as_of == "2013-02-01"


def test_actor_kinds() -> None:
    for name in (CASE_2020, CASE_2013):
        c = case(name)
        assert c.actor("nagorno-karabakh").kind.value == "de_facto_state"
        assert c.actor("csto").kind.value == "alliance"
        for org in ("eu", "osce-minsk-group", "unsc"):
            assert c.actor(org).kind.value == "organisation"
    assert case(CASE_2013).actor_ids == case(CASE_2020).actor_ids


# ---- stances and evidence --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_every_bargaining_actor_covers_every_issue_with_evidence(name: str) -> None:
    c = case(name)
    required = CORE_STANCES + (("iran", "israel") if name == CASE_2020 else ())
    assert set(required) <= set(c.bargaining_actor_ids)
    for stance in c.stances:
        assert stance.capability.pointers
        assert set(stance.issues) == set(ISSUES), stance.actor
        for issue_id, s in stance.issues.items():
            assert s.position.pointers, f"{stance.actor}.{issue_id}.position"
            assert s.salience.pointers, f"{stance.actor}.{issue_id}.salience"


@pytest.mark.parametrize(("name", "minimum"), [(CASE_2020, 15), (CASE_2013, 6)])
def test_sources_disagree_on_several_quantities(name: str, minimum: int) -> None:
    c = case(name)
    multi = [label for label, q in quantities(c) if multi_source(q)]
    assert len(multi) >= minimum, multi
    russia_capability = c.stance("russia").capability
    assert multi_source(russia_capability)
    for estimate in russia_capability.all_estimates:
        assert estimate.source is not None


def test_russia_capability_readings_2020() -> None:
    by_source = {e.source[:3]: e.value for e in case(CASE_2020).stance("russia").capability.all_estimates}
    # high in 000 and 002, limited in 003, overestimated in 004
    assert by_source["000"] > by_source["003"] > by_source["004"]
    assert by_source["002"] > by_source["003"]


def test_territory_status_quo_has_pre_war_and_late_october_readings() -> None:
    readings = {e.source[:3]: e.value for e in case(CASE_2020).issue("territory").status_quo.all_estimates}
    assert readings["000"] >= 95
    assert readings["002"] < readings["000"]
    assert case(CASE_2013).issue("territory").status_quo.point >= 95


# ---- relations ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [CASE_2020, CASE_2013])
def test_key_relations(name: str) -> None:
    c = case(name)
    rel = {r.id: r for r in c.relations}
    alliance = rel["russia-armenia-alliance"]
    assert alliance.type is RelationType.alliance and alliance.applies_if is not None
    assert "Armenia" in alliance.applies_if.description
    assert rel["russia-gyumri-base"].type is RelationType.military_presence
    assert rel["russia-gyumri-base"].until == "2044"
    assert rel["russia-armenia-arms"].share == pytest.approx(0.96)
    assert rel["russia-azerbaijan-arms"].share == pytest.approx(0.55)
    assert (
        rel["russia-armenia-arms"].period.start == "2007" and rel["russia-armenia-arms"].period.end == "2011"
    )
    assert rel["turkey-armenia-closed-border"].since == "1993"
    minsk = rel["minsk-group-mediation"]
    assert minsk.from_ == "osce-minsk-group" and minsk.since == "1992"
    assert set(minsk.parties or []) == {"armenia", "azerbaijan"}
    assert set(minsk.co_chairs or []) == {"russia", "france", "usa"}
    members = {(r.from_, r.to) for r in c.relations if r.type is RelationType.membership}
    assert {("armenia", "csto"), ("russia", "csto")} <= members
    assert {
        ("russia", "osce-minsk-group"),
        ("france", "osce-minsk-group"),
        ("usa", "osce-minsk-group"),
    } <= members


def test_relations_2020_only() -> None:
    rel = {r.id: r for r in case(CASE_2020).relations}
    assert rel["israel-azerbaijan-arms"].share >= 0.6
    assert rel["russia-turkey-partnership"].type is RelationType.partnership
    assert rel["unsc-ceasefire-call"].from_ == "unsc"
    assert rel["usa-mediation-2020"].type is RelationType.mediation


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
