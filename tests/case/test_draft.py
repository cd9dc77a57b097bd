"""Draft mode: to-dos accepted and listed with positions; errors still errors; what runs and what refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from accord.case.draft import draft_report
from accord.case.io import load_case
from accord.case.problem import case_to_problem
from accord.cli.main import app
from accord.spans.pointers import load_corpus_dir

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HARBOUR = (FIXTURES / "harbour.yaml").read_text(encoding="utf-8")
CORPUS = FIXTURES / "corpus"
LOWMERE_EVIDENCE = re.compile(
    r"(          value: 100\n          evidence:\n)            - \{doc: harbour-memo, start: 105[^\n]*\n"
)


def _write(tmp_path: Path, text: str, name: str = "draft.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_complete_case_is_a_runnable_draft_with_nothing_to_do():
    report = draft_report(FIXTURES / "harbour.yaml", load_corpus_dir(CORPUS))
    assert report.ok and report.runnable and not report.todos
    assert report.case == load_case(FIXTURES / "harbour.yaml")


def test_an_open_salience_is_listed_and_the_actor_takes_no_part_on_that_issue(tmp_path):
    text = HARBOUR.replace("          value: 0.6\n", "          value: null\n")
    path = _write(tmp_path, text)
    report = draft_report(path, load_corpus_dir(CORPUS))
    assert report.ok and report.runnable, [str(p) for p in report.problems]
    [todo] = report.todos
    assert not todo.blocking and todo.path == "stances[2].issues.harbour.salience"
    assert todo.line == _line_of(text, "          value: null") - 1  # the salience key
    assert "guild" in todo.message
    assert report.case is not None and report.case.bargaining_actor_ids == ("lowmere", "highmere")
    assert case_to_problem(report.case).positions.shape == (2, 1)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 0, result.output
    assert "runnable draft" in result.output and "taking no part yet: guild, sheriff" in result.output


def test_a_number_without_evidence_blocks_running_with_one_clear_message(tmp_path):
    text = LOWMERE_EVIDENCE.sub(r"\1", HARBOUR).replace(
        "          value: 100\n          evidence:\n", "          value: 100\n          evidence: []\n"
    )
    path = _write(tmp_path, text)
    report = draft_report(path)
    assert report.ok and not report.runnable
    [todo] = report.blocking
    assert todo.path == "stances[0].issues.harbour.position.evidence" and todo.line == _line_of(
        text, "evidence: []"
    )
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 1
    assert "is a draft and cannot run yet: 1 to-do(s) block it" in result.output
    assert f"{path}:{todo.line}:" in result.output and "Traceback" not in result.output
    strict = runner.invoke(app, ["case", "validate", str(path)])
    assert strict.exit_code == 1  # without --draft the file is not a complete case
    drafted = runner.invoke(app, ["case", "validate", str(path), "--draft"])
    assert drafted.exit_code == 0 and "[blocks] stances[0].issues.harbour.position.evidence" in drafted.output


def test_errors_stay_errors_beside_todos(tmp_path):
    text = HARBOUR.replace("          value: 0.6\n", "          value: null\n").replace(
        "          value: 100\n", "          value: 140\n"
    )
    text = text.replace("to: highmere", "to: nobody")
    path = _write(tmp_path, text)
    report = draft_report(path)
    assert not report.ok
    messages = [str(p) for p in report.problems]
    assert any(
        "position 140 is outside [0, 100]" in m and f":{_line_of(text, 'value: 140')}:" in m for m in messages
    )
    assert any("unknown actor 'nobody'" in m for m in messages)
    assert len(report.todos) == 1  # the open salience is still listed
    result = runner.invoke(app, ["case", "validate", str(path), "--draft"])
    assert result.exit_code == 1 and "position 140" in result.output


def test_a_bad_pointer_is_an_error_in_a_draft(tmp_path):
    text = HARBOUR.replace("          value: 0.6\n", "          value: null\n").replace(
        "start: 105, end: 159", "start: 105, end: 158"
    )
    report = draft_report(_write(tmp_path, text), load_corpus_dir(CORPUS))
    assert not report.ok and any("hashes to" in p.message for p in report.problems)


def _skeleton(tmp_path: Path) -> Path:
    """A hand-written start: sources (one without its sha256), actors, no issues, a stance with nothing in
    it."""
    text = HARBOUR.split("issues:\n", 1)[0].replace(
        "      sha256: fbe4f9edde63b2629614e941342606991809b7e8d2698d7a541adad78f1da20b\n",
        "      sha256: null\n",
    )
    text += "issues: []\nstances:\n  - actor: lowmere\n    capability: null\n    issues: {}\n"
    return _write(tmp_path, text, "skeleton.yaml")


def test_a_skeleton_without_issues_is_accepted_and_the_checklist_says_what_blocks(tmp_path):
    path = _skeleton(tmp_path)
    report = draft_report(path)
    assert report.ok, [str(p) for p in report.problems]
    blocking = {t.path for t in report.blocking}
    assert {"issues", "case.sources[1].sha256"} <= blocking
    assert {t.path for t in report.todos if not t.blocking} >= {"stances[0].capability", "stances[0].issues"}
    result = runner.invoke(app, ["case", "validate", str(path), "--draft", "--json"])
    data = json.loads(result.output)
    assert (
        result.exit_code == 0
        and data["valid"]
        and not data["runnable"]
        and len(data["todos"]) == len(report.todos)
    )


def test_extract_and_merge_work_on_a_draft(tmp_path):
    path = _skeleton(tmp_path)
    path.write_text(
        path.read_text().replace(
            "      sha256: null\n",
            "      sha256: fbe4f9edde63b2629614e941342606991809b7e8d2698d7a541adad78f1da20b\n",
        )
    )
    out = tmp_path / "extracted.yaml"
    result = runner.invoke(
        app, ["extract", str(CORPUS / "harbour-memo.txt"), "--case", str(path), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "issues: []" in out.read_text()
    merged = runner.invoke(app, ["extract", str(CORPUS / "harbour-memo.txt"), "--merge", str(path), "--yes"])
    assert merged.exit_code == 0, merged.output
    after = draft_report(path)
    assert after.ok and after.draft_case is not None and after.draft_case.events


def test_a_draft_without_stances_is_accepted_and_cannot_run(tmp_path):
    text = HARBOUR.split("stances:\n", 1)[0] + "relations: []\n"
    path = _write(tmp_path, text, "nostances.yaml")
    report = draft_report(path, load_corpus_dir(CORPUS))
    assert report.ok, [str(p) for p in report.problems]
    assert not report.runnable and any(t.path == "stances" and t.blocking for t in report.todos)
    assert report.draft_case is not None and report.draft_case.issue_ids == ("harbour",)
