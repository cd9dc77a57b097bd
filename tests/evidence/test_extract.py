"""Extraction: relative dates, the draft case it writes, merging, and precision/recall against the gold."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from accord.case.io import load_case
from accord.case.validate import validate_file
from accord.cli.main import app
from accord.evidence.dates import parse_anchor
from accord.evidence.evaluate import evaluate
from accord.evidence.extract import ActorResolver, extract
from tests.evidence.conftest import DATA, FIXTURES, GOLD

runner = CliRunner()
HARBOUR = FIXTURES / "harbour.yaml"
REPORT = DATA / "quay-report.txt"
META = "documents:\n  - {id: quay-report, title: Quay report, published: '2020-05-20', date_precision: day}\n"


def _extract(anchor: str):
    case = load_case(HARBOUR)
    return extract(REPORT.read_text(encoding="utf-8"), "quay-report", ActorResolver.from_case(case), parse_anchor(anchor))


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
    assert text[agreement.start : agreement.end].startswith("On 3 March") and set(agreement.actors) == {"lowmere", "highmere"}
    keys = {r.key for r in found.relations}
    assert ("mediation", "sheriff", None) in keys
    assert ("backing", "guild", "highmere") in keys
    assert ("no_diplomatic_relations", "highmere", "lowmere") in keys


def _meta(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(META, encoding="utf-8")
    return path


def test_draft_is_a_valid_case(tmp_path):
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["extract", str(REPORT), "--case", str(HARBOUR), "--meta", str(_meta(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = validate_file(out)
    assert report.ok, [str(p) for p in report.problems]
    draft = report.case
    assert {s.id for s in draft.case.sources} == {"harbour-memo", "guild-letter", "quay-report"}
    assert any(e.type.value == "agreement" and e.date == "2020-03-03" for e in draft.events)
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    shutil.copy(REPORT, corpus)
    assert validate_file(out, corpus=__import__("accord.evidence.pointers", fromlist=["x"]).load_corpus_dir(corpus)).ok


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
    assert after.startswith(before.split("relations:")[0].split("    - id: guild-letter")[0])  # comments and layout kept
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
    assert result.events.precision >= 0.8 and result.events.recall >= 0.8
    assert result.relations.precision >= 0.7 and result.relations.recall >= 0.7


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
    "src/accord/evidence/store.py", "src/accord/evidence/search.py", "src/accord/evidence/extract.py",
    "src/accord/evidence/dates.py", "src/accord/evidence/readers.py", "src/accord/evidence/segment.py",
    "src/accord/evidence/check.py", "src/accord/evidence/draft.py", "src/accord/evidence/evaluate.py",
    "src/accord/evidence/semantic.py", "src/accord/cli/corpus_cmd.py", "src/accord/cli/extract_cmd.py",
    "src/accord/cli/evidence_cmd.py", "benchmarks/bench_evidence.py", "docs/evidence.md",
]


def test_no_sentence_of_the_corpus_is_copied_into_our_files(nk_corpus):
    """No run of 9+ consecutive corpus words in any file of this feature (code, tests, gold, docs)."""
    grams = set()
    for path in nk_corpus.glob("*.txt"):
        words = _words(path.read_text(encoding="utf-8"))
        grams |= {tuple(words[i : i + 9]) for i in range(len(words) - 8)}
    root = Path(__file__).resolve().parents[2]
    files = [root / f for f in MY_FILES] + sorted(Path(__file__).parent.rglob("*.*"))
    for path in files:
        if not path.is_file() or path.suffix in {".pyc", ".db"}:
            continue
        words = _words(path.read_text(encoding="utf-8"))
        copied = [" ".join(words[i : i + 9]) for i in range(len(words) - 8) if tuple(words[i : i + 9]) in grams]
        assert not copied, f"{path} repeats corpus text: {copied[0]!r}"
