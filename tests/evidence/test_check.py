"""`accord evidence check` and `show`: pointer verification (folder and store, across versions) and
coverage."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from accord.case.io import load_case
from accord.cli.main import app
from accord.corpus.check import FolderTexts, StoreTexts, check_case, located_case
from accord.corpus.readers import read_source
from accord.spans.pointers import load_corpus_dir
from tests.evidence.conftest import FIXTURES, write

runner = CliRunner()
HARBOUR = FIXTURES / "harbour.yaml"
CORPUS = FIXTURES / "corpus"


def _copy_corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def test_all_pointers_of_the_fixture_case_verify():
    report = check_case(load_case(HARBOUR), FolderTexts(load_corpus_dir(CORPUS)), file=str(HARBOUR))
    assert report.ok and not report.source_problems and len(report.pointers) == 15
    assert not report.unsupported()
    single = {n.label for n in report.single_source()}
    assert "lowmere.harbour.position" in single and "guild.harbour.position" not in single


def test_disagreement_uses_the_margin_as_a_share_of_the_scale():
    case = load_case(HARBOUR)
    texts = FolderTexts(load_corpus_dir(CORPUS))
    # guild.harbour.position: 50 (memo) and 45 (letter) -> 5 points of 100
    assert [n.label for n in check_case(case, texts, margin=0.04).disagreements()] == [
        "guild.harbour.position"
    ]
    assert check_case(case, texts, margin=0.05).disagreements() == []


def test_hash_mismatch_is_reported_with_the_span_and_position(tmp_path):
    folder = _copy_corpus(tmp_path)
    memo = folder / "harbour-memo.txt"
    write(memo, memo.read_text(encoding="utf-8").replace("Lowmere wants", "Lowmere demands"))
    result = runner.invoke(app, ["evidence", "check", str(HARBOUR), "--corpus", str(folder)])
    assert result.exit_code == 1
    assert f"{HARBOUR}:" in result.output and "lowmere.harbour.position" in result.output
    assert "span [105, 159) of 'harbour-memo' hashes to" in result.output
    assert "Numbers with no verified evidence" in result.output and "Traceback" not in result.output


def test_unsupported_numbers_are_listed(tmp_path):
    folder = _copy_corpus(tmp_path)
    write(folder / "guild-letter.txt", "Replaced entirely.\n")
    report = check_case(
        load_case(HARBOUR), FolderTexts(load_corpus_dir(folder)), located=located_case(HARBOUR)
    )
    assert [n.label for n in report.unsupported()] == ["guild.capability"]
    assert {p.label for p in report.failed} == {"guild.capability", "guild.harbour.position"}
    (source,) = report.source_problems
    assert source.label == "source.guild-letter" and source.line > 1


def test_old_spans_verify_against_the_version_they_cite(tmp_path, store):
    folder = _copy_corpus(tmp_path)
    for path in sorted(folder.glob("*.txt")):
        store.add(read_source(path))
    memo = folder / "harbour-memo.txt"
    write(memo, "A preface moves every span.\n\n" + memo.read_text(encoding="utf-8"))
    assert store.add(read_source(memo)).version == 2
    report = check_case(load_case(HARBOUR), StoreTexts(store))
    assert report.ok and not report.source_problems
    assert report.old_version and {p.version for p in report.old_version} == {1}
    assert all(p.pointer.doc == "harbour-memo" for p in report.old_version)
    folder_report = check_case(load_case(HARBOUR), FolderTexts(load_corpus_dir(folder)))
    assert not folder_report.ok


def test_cli_check_against_the_store_json(tmp_path):
    db = str(tmp_path / "c.db")
    assert runner.invoke(app, ["corpus", "add", str(CORPUS), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["evidence", "check", str(HARBOUR), "--db", db, "--json", "--margin", "0.01"])
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["ok"] and data["verified"] == data["pointers"] == 15
    assert [d["number"] for d in data["disagreements"]] == ["guild.harbour.position"]


def test_cli_check_needs_a_corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    result = runner.invoke(app, ["evidence", "check", str(HARBOUR)])
    assert result.exit_code == 2 and "--corpus" in result.output


def test_show_prints_the_cited_passages_from_the_corpus(tmp_path):
    folder = _copy_corpus(tmp_path)
    result = runner.invoke(
        app, ["evidence", "show", str(HARBOUR), "guild.harbour.position", "--corpus", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "leans toward the Highmere board" in result.output and "prefers whatever ends" in result.output
    assert "= 45 (guild-letter)" in result.output
    # the context comes from the corpus text, so editing the corpus changes what is shown
    letter = folder / "guild-letter.txt"
    write(letter, letter.read_text(encoding="utf-8").replace("little say", "almost no say"))
    again = runner.invoke(
        app, ["evidence", "show", str(HARBOUR), "guild.capability", "--corpus", str(folder)]
    )
    assert "does not verify" in again.output


def test_show_prefixes_and_relations(tmp_path):
    result = runner.invoke(
        app, ["evidence", "show", str(HARBOUR), "relation sheriff-mediates", "--corpus", str(CORPUS)]
    )
    assert (
        result.exit_code == 0
        and "relation.sheriff-mediates" in result.output
        and "agreed to a truce" in result.output
    )
    everything = runner.invoke(app, ["evidence", "show", str(HARBOUR), "highmere", "--corpus", str(CORPUS)])
    assert "highmere.capability" in everything.output and "highmere.harbour.position" in everything.output


def test_show_unknown_label_exits_1_with_a_suggestion():
    result = runner.invoke(
        app, ["evidence", "show", str(HARBOUR), "lowmere.harbour.positon", "--corpus", str(CORPUS)]
    )
    assert result.exit_code == 1 and "lowmere.harbour.position" in result.output


# ---- support: do the cited spans name the number's actor and its issue's subject? ---------------------

HIGHMERE_SPAN = (
    "{doc: harbour-memo, start: 160, end: 214, sha256: "
    "1cb9ce34cba7926d6f388bef637683dd976bf18f8921f1f03aa6f4ae88b0046c"
)
LOWMERE_SPAN = (
    "{doc: harbour-memo, start: 105, end: 159, sha256: "
    "fddf6b4439c669ed5f38a3561e4fb22a464522297efaa6e39b8d9c14504462f9"
)


def _support(case_path):
    from accord.corpus.support import number_support

    case = load_case(case_path)
    texts = FolderTexts(load_corpus_dir(CORPUS))
    return {r.label: r for r in number_support(case, texts, check_case(case, texts))}


def _miscited(tmp_path):
    """The harbour case with Lowmere's position citing the sentence about Highmere (a valid, verifying
    pointer)."""
    text = HARBOUR.read_text(encoding="utf-8").replace(LOWMERE_SPAN, HIGHMERE_SPAN, 1)
    path = tmp_path / "harbour.yaml"
    write(path, text)
    return path


def test_support_tells_which_spans_name_the_actor_and_the_subject(tmp_path):
    rows = _support(HARBOUR)
    lowmere = rows["lowmere.harbour.position"]
    assert (lowmere.names_actor, lowmere.names_subject) == (True, True)  # names Lowmere and the harbour
    highmere = rows["highmere.harbour.position"]
    assert (highmere.names_actor, highmere.names_subject) == (True, False)  # a shared board: no harbour word
    assert rows["guild.capability"].names_actor is True  # "The guild" matches the alias "the guild"
    assert rows["harbour.status_quo"].names_actor is None and rows["harbour.status_quo"].names_subject is True
    miscited = _support(_miscited(tmp_path))["lowmere.harbour.position"]
    assert miscited.names_actor is False and [s.start for s in miscited.spans] == [160]


def test_check_reports_numbers_whose_spans_never_name_their_actor(tmp_path):
    path = _miscited(tmp_path)
    result = runner.invoke(app, ["evidence", "check", str(path), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output  # every pointer still verifies: support findings do not fail
    assert "Numbers whose cited spans never name their actor (2)" in result.output
    assert "lowmere.harbour.position" in result.output.split("never name their actor")[1]
    data = json.loads(
        runner.invoke(app, ["evidence", "check", str(path), "--corpus", str(CORPUS), "--json"]).output
    )
    # "Its boats have been idle ...": a pronoun does not name the guild, so its salience is flagged too
    assert data["support"]["not_naming_actor"] == ["lowmere.harbour.position", "guild.harbour.salience"]
    assert data["support"]["naming_actor"] == data["support"]["stance_numbers"] - 2
    fine = json.loads(
        runner.invoke(app, ["evidence", "check", str(HARBOUR), "--corpus", str(CORPUS), "--json"]).output
    )
    assert fine["support"]["not_naming_actor"] == ["guild.harbour.salience"]
    strict = runner.invoke(
        app, ["evidence", "check", str(path), "--corpus", str(CORPUS), "--min-naming", "0.9"]
    )
    assert strict.exit_code == 1 and "cite a span naming their actor" in strict.output
    assert (
        runner.invoke(
            app, ["evidence", "check", str(HARBOUR), "--corpus", str(CORPUS), "--min-naming", "0.8"]
        ).exit_code
        == 0
    )


def test_review_prints_every_number_beside_its_cited_sentences(tmp_path):
    result = runner.invoke(app, ["evidence", "review", str(HARBOUR), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "lowmere.harbour.position = 100" in result.output
    assert "Lowmere wants the whole harbour under its own council." in result.output
    assert "highmere.harbour.position = 50 (40-55)" in result.output and "[no subject]" in result.output
    assert result.output.count(" = ") == len(_support(HARBOUR))
    only = runner.invoke(
        app, ["evidence", "review", str(_miscited(tmp_path)), "--corpus", str(CORPUS), "--unnamed", "--json"]
    )
    flagged = {r["number"]: r for r in json.loads(only.output)}
    assert flagged["lowmere.harbour.position"]["names_actor"] is False
    assert all(r["names_actor"] is False or r["names_subject"] is False for r in flagged.values())
    missing = runner.invoke(app, ["evidence", "review", str(HARBOUR), "nobody", "--corpus", str(CORPUS)])
    assert (
        missing.exit_code == 1 and "names no number" in missing.output and "Traceback" not in missing.output
    )
