"""Extraction: relative dates, the draft case it writes, merging, and precision/recall against the gold."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.case.io import load_case
from accord.case.validate import validate_file
from accord.cli.main import app
from accord.extract.dates import parse_anchor
from accord.extract.evaluate import evaluate
from accord.extract.pipeline import ActorResolver, extract
from tests.evidence.conftest import DATA, FIXTURES, GOLD

runner = CliRunner()
HARBOUR = FIXTURES / "harbour.yaml"
REPORT = DATA / "quay-report.txt"
META = "documents:\n  - {id: quay-report, title: Quay report, published: '2020-05-20', date_precision: day}\n"


def _extract(anchor: str):
    case = load_case(HARBOUR)
    return extract(
        REPORT.read_text(encoding="utf-8"), "quay-report", ActorResolver.from_case(case), parse_anchor(anchor)
    )


def test_relative_dates_resolve_against_the_document_date():
    events = {(e.type, e.date, e.precision) for e in _extract("2020-05-20").events}
    assert ("agreement", "2020-03-03", "day") in events
    assert ("clashes", "2020-04", "month") in events and ("talks", "2020-05", "month") in events
    later = {(e.type, e.date) for e in _extract("2021-05-20").events}
    assert ("agreement", "2021-03-03") in later and ("clashes", "2021-04") in later


def test_events_and_relations_carry_spans_and_actors():
    found = _extract("2020-05-20")
    text = REPORT.read_text(encoding="utf-8")
    agreement = next(e for e in found.events if e.type == "agreement")
    assert text[agreement.start : agreement.end].startswith("On 3 March") and set(agreement.actors) == {
        "lowmere",
        "highmere",
    }
    keys = {r.key for r in found.relations}
    assert ("mediation", "sheriff", None) in keys
    assert ("backing", "guild", "highmere") in keys
    assert ("no_diplomatic_relations", "highmere", "lowmere") in keys


# ---- general mechanisms, on sentences written for these tests --------------------------------------


def _events(text: str, anchor: str = "2021-06-16") -> set[tuple[str, str, str]]:
    case = load_case(HARBOUR)
    return {
        (e.type, e.date, e.precision)
        for e in extract(text, "t", ActorResolver.from_case(case), parse_anchor(anchor)).events
    }


def test_a_simultaneous_tie_gives_the_main_clause_the_same_date():
    found = _events("When the riot broke out on 4 May 2019, Lowmere at once called for calm.")
    assert ("clashes", "2019-05-04", "day") not in found  # "riot" is no cue: nothing invented for it
    found = _events("When fighting broke out on 4 May 2019, the sheriff at once called for calm.")
    assert {("war", "2019-05-04", "day"), ("statement", "2019-05-04", "day")} <= found


def test_the_onset_of_fighting_is_a_war_but_clashes_stay_clashes():
    """Fighting that broke out, began or has raged since a date is an outbreak of hostilities (two of three
    independent readers list it as a war); a sentence that says "clashes" keeps its own word."""
    assert ("war", "2019-05-04", "day") in _events("The fighting that has raged since 4 May 2019 goes on.")
    assert ("war", "2019-05", "month") in _events("The two armies began heavy fighting in May 2019.")
    found = _events("The two armies started their latest clashes on 4 May 2019.")
    assert ("clashes", "2019-05-04", "day") in found
    assert ("war", "2019-05-04", "day") not in found
    assert ("clashes", "2019-05", "month") in _events("Heavy fighting in May 2019 left ten dead.")


def test_before_and_after_ties_keep_the_anchors_month_or_year():
    """An independent reader (gold3's guideline) dates "after X in May" to May; a day becomes its month."""
    found = _events("Following the clashes of 4 May 2019, Highmere accused Lowmere of bad faith.")
    assert ("statement", "2019-05", "month") in found and ("clashes", "2019-05-04", "day") in found
    assert ("statement", "2019-05", "month") in _events(
        "After the clashes in May 2019, the guild criticised both towns."
    )
    assert ("statement", "2019", "year") in _events(
        "After the clashes of 2019, the guild criticised both towns."
    )


def test_a_definite_reference_points_back_to_the_latest_event_of_its_type():
    text = (
        "The towns agreed a truce on 3 March 2020. "
        "A statement by the guild following the truce praised both councils."
    )
    assert ("statement", "2020-03", "month") in _events(text)
    assert not any(
        t == "statement"
        for t, _, _ in _events("A statement by the guild following the truce praised both councils.")
    )


def test_consequences_durations_and_opening_adverbials():
    found = _events("The councils held talks on 2 and 3 March 2020, which led to a truce.")
    assert ("talks", "2020-03-02", "day") in found and ("ceasefire", "2020-03-03", "day") in found
    assert ("talks", "2008", "year") in _events("The quay was demarcated in 2014 after six years of talks.")
    found = _events(
        "In 2017, two things happened: Lowmere joined the river league; "
        "the guild signed a treaty with Highmere."
    )
    assert {("institution", "2017", "year"), ("agreement", "2017", "year")} <= found


def test_a_dated_version_of_an_earlier_event_takes_its_type():
    found = _events(
        "The towns adopted a harbour plan in 2012 and, in its revised 2014 version, it still guides them."
    )
    assert {("plan", "2012", "year"), ("plan", "2014", "year")} <= found


def test_hypothetical_and_repeated_references_are_not_events():
    assert _events("After the clashes of May 2019, Highmere could go to war.") == {
        ("clashes", "2019-05", "month")
    }
    found = _events(
        "The towns agreed a truce in 2015. The worst clashes since the 2015 truce came in May 2019."
    )
    assert sorted(found) == [("ceasefire", "2015", "year"), ("clashes", "2019-05", "month")]


def test_relative_offsets_and_days_resolve():
    from accord.extract.dates import find_dates

    anchor = parse_anchor("2020-11-09")
    text = (
        "It began in 1994. Twenty-six years later, on 9 October 2020, talks resumed; "
        "two years later they failed."
    )
    assert [(d.date, d.precision) for d in find_dates(text, anchor)] == [
        ("1994", "year"),
        ("2020-10-09", "day"),
        ("2022", "year"),
    ]
    assert [
        (d.date, d.precision) for d in find_dates("yesterday, and on Friday, and three months ago", anchor)
    ] == [("2020-11-08", "day"), ("2020-11-06", "day"), ("2020-08", "month")]
    assert [d.date for d in find_dates("In 2011 a plan; the following year a war.", anchor)] == [
        "2011",
        "2012",
    ]


def _meta(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(META, encoding="utf-8")
    return path


def test_draft_is_a_valid_case(tmp_path):
    out = tmp_path / "draft.yaml"
    result = runner.invoke(
        app, ["extract", str(REPORT), "--case", str(HARBOUR), "--meta", str(_meta(tmp_path)), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    report = validate_file(out)
    assert report.ok, [str(p) for p in report.problems]
    draft = report.case
    assert {s.id for s in draft.case.sources} == {"harbour-memo", "guild-letter", "quay-report"}
    assert any(e.type.value == "agreement" and e.date == "2020-03-03" for e in draft.events)
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    shutil.copy(REPORT, corpus)
    assert validate_file(
        out, corpus=__import__("accord.spans.pointers", fromlist=["x"]).load_corpus_dir(corpus)
    ).ok


def test_merge_shows_a_diff_and_writes_only_with_yes(tmp_path):
    case = tmp_path / "harbour.yaml"
    shutil.copy(HARBOUR, case)
    before = case.read_text(encoding="utf-8")
    args = ["extract", str(REPORT), "--merge", str(case), "--meta", str(_meta(tmp_path))]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "--yes" in refused.output and case.read_text(encoding="utf-8") == before
    merged = runner.invoke(app, [*args, "--yes"])
    assert merged.exit_code == 0, merged.output
    assert "+    - id: quay-report" in merged.output and "merged:" in merged.output
    after = case.read_text(encoding="utf-8")
    assert after.startswith(
        before.split("relations:")[0].split("    - id: guild-letter")[0]
    )  # comments and layout kept
    assert "# A complete small case" in after
    report = validate_file(case)
    assert report.ok, [str(p) for p in report.problems]
    assert len(report.case.events) > 2
    again = runner.invoke(app, [*args, "--yes"])
    assert again.exit_code == 0 and "nothing new" in again.output


def test_extract_refuses_unknown_documents(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    result = runner.invoke(app, ["extract", "no-such-doc", "--case", str(HARBOUR)])
    assert result.exit_code == 1 and "no-such-doc" in result.output


# ---- measured against the gold annotation ------------------------------------------------------------


def test_precision_and_recall_meet_the_targets(nk_corpus):
    result = evaluate(GOLD, nk_corpus)
    print(result.table())
    assert result.events.gold >= 50 and result.relations.gold >= 40
    # 0.78, not 0.8, since session 18's third round: this first gold (ours) types the 2020 onset of fighting
    # as clashes, where two of the three independent readers (gold4, gold5) list it as a war; we follow them.
    assert result.events.precision >= 0.78 and result.events.recall >= 0.8
    assert result.relations.precision >= 0.7 and result.relations.recall >= 0.7


def test_the_blind_second_gold_is_well_formed_and_its_split_covers_it(nk_corpus):
    import yaml

    from accord.case.model import EventType, parse_partial_date

    gold2 = GOLD.parent / "gold2"
    docs = yaml.safe_load((gold2 / "events.yaml").read_text(encoding="utf-8"))["documents"]
    split = yaml.safe_load((gold2 / "split.yaml").read_text(encoding="utf-8"))
    assert sorted(split["tune"] + split["held_out"]) == sorted(docs) and not set(split["tune"]) & set(
        split["held_out"]
    )
    for doc, events in docs.items():
        text = (nk_corpus / f"{doc}.txt").read_text(encoding="utf-8")
        for item in events:
            assert 0 <= item["start"] < item["end"] <= len(text)
            assert parse_partial_date(str(item["date"]))[1].value == item["precision"]
            assert item["type"] in {t.value for t in EventType}
    assert sum(len(v) for v in docs.values()) >= 70


def test_held_out_figures_on_the_second_gold_stay_above_a_floor(nk_corpus):
    """A regression floor, below the figures measured when the extractor was last changed (see
    docs/evidence.md and benchmarks/bench_extraction.py for the figures themselves)."""
    import yaml

    from accord.extract.evaluate import evaluate_dated

    gold2 = GOLD.parent / "gold2"
    split = yaml.safe_load((gold2 / "split.yaml").read_text(encoding="utf-8"))
    held_out = evaluate_dated(gold2, nk_corpus, split["held_out"])
    assert held_out.typed.gold >= 40
    # gold2 dates "after X in May" to the year and does not count repeated mentions; the extractor now
    # follows the independent annotator's conventions (gold3) there, hence a lower floor than before
    # session 18, second round: the five events it adds over gold2 here (a quarrel's restart, a demand to
    # unite, a bloc session, reactions to dated incidents, a statement after a dated meeting) are listed by
    # both blind annotations (gold3, gold4) and not by gold2, hence a lower precision floor
    assert held_out.typed.precision >= 0.65 and held_out.typed.recall >= 0.7


def test_figures_on_the_third_gold_stay_above_a_floor(nk_corpus):
    """A regression floor under the figures on the independent annotation (in-sample since session 18:
    its errors were read while the extractor changed)."""
    from accord.extract.evaluate import evaluate_dated

    result = evaluate_dated(GOLD.parent / "gold3", nk_corpus)
    assert result.typed.gold >= 90
    # session 19: events most of the five independent readers list and gold3 does not (the successors of a
    # dated truce counted by ordinals; negotiating a dated protocol as talks) cost gold3 some precision
    assert result.typed.precision >= 0.85 and result.typed.recall >= 0.78


@pytest.mark.parametrize("number", range(3, 11))
def test_every_blind_gold_is_well_formed(nk_corpus, number):
    """Golds 3..10: every span inside its text and non-blank, dates in the precision they claim (a range
    ending no earlier than it starts), types the case format knows, every corpus text annotated."""
    import yaml

    from accord.case.model import EventType, parse_partial_date

    docs = yaml.safe_load((GOLD.parent / f"gold{number}" / "events.yaml").read_text(encoding="utf-8"))[
        "documents"
    ]
    assert sorted(docs) == sorted(p.stem for p in nk_corpus.glob("*.txt"))
    for doc, events in docs.items():
        text = (nk_corpus / f"{doc}.txt").read_text(encoding="utf-8")
        for item in events:
            assert 0 <= item["start"] < item["end"] <= len(text) and text[item["start"] : item["end"]].strip()
            assert parse_partial_date(str(item["date"]))[1].value == item["precision"]
            if item.get("end_date"):
                assert str(item["end_date"]) >= str(item["date"])
            assert item["type"] in {t.value for t in EventType}


def test_figures_on_the_session_19_blind_golds_stay_above_a_floor(nk_corpus):
    """Golds 8-10 were scored once, blind, on round five's frozen extractor (e220254; their READMEs:
    date+type P 0.91-0.94, R 0.80-0.86). A regression floor a little under those figures."""
    from accord.extract.evaluate import evaluate_dated

    for number in (8, 9, 10):
        result = evaluate_dated(GOLD.parent / f"gold{number}", nk_corpus)
        assert result.typed.gold >= 100
        assert result.typed.precision >= 0.88 and result.typed.recall >= 0.77, number


def test_what_most_independent_readers_list_is_found(nk_corpus):
    """A floor on the consensus of golds 3..7 (benchmarks/extraction_consensus.py): of the events at least
    three of the five readers list, at most two are missed or typed otherwise, and no extracted event is
    one no reader lists (session 19: 1 miss, 1 type error, 0 false alarms)."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "extraction_consensus.py"
    spec = importlib.util.spec_from_file_location("extraction_consensus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    counts = module.consensus(nk_corpus).counts
    assert counts["consensus"] >= 90
    assert counts["miss"] <= 2 and counts["type"] <= 2 and counts["false alarm"] == 0


def test_gold_spans_lie_in_the_texts(nk_corpus):
    import yaml

    for path in sorted(GOLD.glob("0*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (nk_corpus / f"{gold['doc']}.txt").read_text(encoding="utf-8")
        for item in gold["events"]:
            assert 0 <= item["start"] < item["end"] <= len(text)
        for rel in gold["relations"]:
            assert all(0 <= s < e <= len(text) for s, e in rel["spans"])


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text.lower())


MY_FILES = [
    "src/accord/corpus/documents.py",
    "src/accord/corpus/search.py",
    "src/accord/extract/pipeline.py",
    "src/accord/extract/dates.py",
    "src/accord/corpus/readers.py",
    "src/accord/spans/segment.py",
    "src/accord/corpus/check.py",
    "src/accord/extract/draft.py",
    "src/accord/extract/evaluate.py",
    "src/accord/corpus/semantic.py",
    "src/accord/cli/corpus_cmd.py",
    "src/accord/cli/extract_cmd.py",
    "src/accord/cli/evidence_cmd.py",
    "benchmarks/bench_evidence.py",
    "docs/evidence.md",
    "src/accord/extract/actors.py",
    "src/accord/extract/events.py",
    "src/accord/extract/relations.py",
    "src/accord/extract/ties.py",
    "src/accord/corpus/support.py",
    "benchmarks/bench_extraction.py",
]


def test_no_sentence_of_the_corpus_is_copied_into_our_files(nk_corpus):
    """No run of 9+ consecutive corpus words in any file of this feature (code, tests, gold, docs)."""
    grams = set()
    for path in nk_corpus.glob("*.txt"):
        words = _words(path.read_text(encoding="utf-8"))
        grams |= {tuple(words[i : i + 9]) for i in range(len(words) - 8)}
    root = Path(__file__).resolve().parents[2]
    files = (
        [root / f for f in MY_FILES]
        + sorted((root / "src" / "accord" / "extract").glob("*.py"))  # every extraction module, new ones too
        + sorted(Path(__file__).parent.rglob("*.*"))
    )
    for path in files:
        if not path.is_file() or path.suffix in {".pyc", ".db"}:
            continue
        words = _words(path.read_text(encoding="utf-8"))
        copied = [
            " ".join(words[i : i + 9]) for i in range(len(words) - 8) if tuple(words[i : i + 9]) in grams
        ]
        assert not copied, f"{path} repeats corpus text: {copied[0]!r}"
