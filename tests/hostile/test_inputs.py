"""The hostile-input corpus against the validators and readers: a located problem or a valid result, never
an exception, never a bare exception name for a message.

CPU time is measured in ``benchmarks/bench_hostile.py``, not asserted here; these tests bound only what
would otherwise hang (a FIFO, /dev/zero) by running it under a timeout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import accord
from accord.case.validate import validate_file, validate_text
from accord.corpus.readers import UnreadableDocument, load_meta_file, read_source
from accord.scenarios.language import validate_scenario_text
from accord.spans.segment import sentences
from tests.hostile import corpus

GENERIC = re.compile(r"\b(ValueError|TypeError|RecursionError|MemoryError|KeyError|IndexError|Traceback)\b")


def _assert_located(problems, name: str) -> None:
    for p in problems:
        assert p.file == name and p.line >= 1 and p.column >= 1
        assert p.message and not GENERIC.search(p.message), p


@pytest.mark.parametrize(
    ("label", "text"), corpus.yaml_texts(size=60_000), ids=lambda v: v if len(v) < 50 else None
)
def test_case_validation_reports_every_hostile_yaml(label: str, text: str) -> None:
    report = validate_text(text, "hostile.yaml")
    _assert_located(report.problems, "hostile.yaml")
    if label not in ("BOM and CRLF", "no stances"):
        assert not report.ok, label


@pytest.mark.parametrize(
    ("label", "text"), corpus.yaml_texts(size=60_000), ids=lambda v: v if len(v) < 50 else None
)
def test_scenario_validation_reports_every_hostile_yaml(label: str, text: str) -> None:
    report = validate_scenario_text(text, "hostile.yaml")
    assert not report.ok
    _assert_located(report.problems, "hostile.yaml")


def test_sexagesimal_is_text_not_a_number() -> None:
    report = validate_text(corpus.HARBOUR_TEXT.replace("value: 0.5", "value: 1:30", 1), "s.yaml")
    assert not report.ok
    assert any("valid number" in p.message for p in report.problems)


def test_huge_integer_is_a_located_problem() -> None:
    report = validate_text("a: " + "9" * 5000 + "\n", "big.yaml")
    (problem,) = report.problems
    assert (problem.line, problem.column) == (1, 4) and "5000 characters" in problem.message


def test_no_stances_validates_but_no_model_crashes_on_it(tmp_path) -> None:
    """A draft without stances is a valid case (timeline, network); every model refuses it with a clear
    error."""
    from accord.engines.base import ProblemError

    text = dict(corpus.yaml_texts(size=10))["no stances"]
    report = validate_text(text, "n.yaml")
    assert report.ok
    for model in ("eum", "smp", "mean", "median", "nash"):
        with pytest.raises(ProblemError, match="has no stances"):
            accord.run(report.case, model=model)
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    from typer.testing import CliRunner

    from accord.cli.main import app

    result = CliRunner().invoke(app, ["run", str(path), "--model", "eum"])
    assert result.exit_code == 1 and "has no stances" in result.output and "Traceback" not in result.output


def test_salience_true_is_not_one() -> None:
    (problem,) = validate_text(dict(corpus.yaml_texts(size=10))["salience true"], "t.yaml").problems
    assert problem.path.endswith("salience.value") and "true is not a number" in problem.message


@pytest.mark.parametrize(("label", "text"), corpus.splitter_texts(size=200_000))
def test_splitter_returns_spans_inside_the_text(label: str, text: str) -> None:
    spans = sentences(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(text[s:e].strip() == text[s:e] for s, e in spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It came after the U.S. President spoke. Then Paris.",
            ["It came after the U.S. President spoke.", "Then Paris."],
        ),
        ("Talks in the U.S.A. Congress failed. Next.", ["Talks in the U.S.A. Congress failed.", "Next."]),
        ("Some powers (e.g. Russia) act. Others wait.", ["Some powers (e.g. Russia) act.", "Others wait."]),
        ("Some, e.g. Russia, act. Others wait.", ["Some, e.g. Russia, act.", "Others wait."]),
        (
            "As X wrote for My Country? Europe, Russia acts. Next.",
            ["As X wrote for My Country? Europe, Russia acts.", "Next."],
        ),
        (
            "Can Russia help? Maybe. In short, what is left? Little.",
            ["Can Russia help?", "Maybe.", "In short, what is left?", "Little."],
        ),
        ("Dr. Melvin said so. J. Smith agreed.", ["Dr. Melvin said so.", "J. Smith agreed."]),
    ],
)
def test_splitter_keeps_subjects_with_their_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text)] == expected


def _run_with_timeout(code: str, timeout: float = 20) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    done = _run_with_timeout(
        f"from accord.case.validate import validate_file; print(validate_file({str(fifo)!r}).problems[0])"
    )
    assert "not a regular file" in done.stdout, done.stderr


def test_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "case.yaml"
    link.symlink_to("/dev/zero")
    (problem,) = validate_file(link).problems
    assert "not a regular file" in problem.message
    text_link = tmp_path / "zero.txt"
    text_link.symlink_to("/dev/zero")
    with pytest.raises(UnreadableDocument, match="not a regular file"):
        read_source(text_link)


def test_alias_bomb_in_sources_yaml_is_a_readable_error(tmp_path: Path) -> None:
    meta = tmp_path / "sources.yaml"
    meta.write_text(corpus._bomb(), encoding="utf-8")
    with pytest.raises(ValueError, match=r"sources.yaml:\d+:\d+: cannot read metadata: the document expands"):
        load_meta_file(meta)


def test_alias_bomb_in_front_matter_is_ignored_as_metadata(tmp_path: Path) -> None:
    doc = tmp_path / "note.md"
    doc.write_text("---\n" + corpus._bomb() + "---\n# A title\nText of the note.\n", encoding="utf-8")
    source = read_source(doc)
    assert source.meta.title == "A title"  # the front matter was refused, the heading still read


@pytest.mark.parametrize("name", ["[bad].txt", "x[y].md", "-dash.txt", "sp ace.txt"])
def test_file_names_that_are_no_document_id_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Some text.", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="is not a document id"):
        read_source(path)
    assert read_source(path, "fine-id").doc == "fine-id"
