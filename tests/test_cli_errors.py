"""Errors in the command line: one renderer (``cli.output.render_error``), kinds that pick the exit code.

A grep over the cli package keeps hand-written error output from coming back; the tests below run a few
of the errors the corpus, evidence and survey commands raise and check message, hint, code and that no
traceback shows.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

CLI = Path(__file__).resolve().parents[1] / "src" / "accord" / "cli"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
runner = CliRunner()


def _docstrings(tree: ast.Module) -> set[int]:
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef))]
    return {
        id(n.body[0].value)
        for n in nodes
        if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
    }


def hand_written_errors(source: str) -> list[tuple[int, str]]:
    """Where a module prints an error or a hint by hand, or exits with a literal non-zero code."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if "error:" in node.value or "hint:" in node.value:
                found.append((node.lineno, node.value.strip()[:60]))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("Exit", "exit")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value not in (0, None, 130)  # 130: interrupted (Ctrl-C), by convention
        ):
            found.append((node.lineno, f"{ast.unparse(node.func)}({node.args[0].value})"))
    return sorted(found)


def test_the_finder_finds_what_it_looks_for() -> None:
    sample = 'err.print(f"[red]error:[/red] {x}")\nerr.print("hint: try")\nraise typer.Exit(2)\n'
    assert [line for line, _ in hand_written_errors(sample)] == [1, 2, 3]
    assert (
        hand_written_errors('"""error: in a docstring is prose."""\nraise typer.Exit(0 if ok else 1)\n') == []
    )


def test_no_hand_written_error_output_in_the_cli() -> None:
    """Only ``cli/output.py`` writes ``error:`` / ``hint:``; commands raise ``AccordError`` kinds."""
    found = {
        path.name: hits
        for path in sorted(CLI.glob("*.py"))
        if path.name != "output.py" and (hits := hand_written_errors(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def _fails(args: list[str], code: int, *needles: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = result.stderr.splitlines()
    errors = [k for k, line in enumerate(lines) if line.startswith("error: ")]
    assert len(errors) == 1 and lines[errors[0] + 1].startswith("hint: "), result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return result.stderr


def test_corpus_add_without_texts_names_the_path(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    _fails(["corpus", "add", str(tmp_path), "--db", str(tmp_path / "c.db")], 1, str(tmp_path), ".txt")


def test_corpus_add_options_for_one_file_are_a_usage_error(tmp_path: Path) -> None:
    args = ["corpus", "add", str(FIXTURES / "corpus"), "--title", "T", "--db", str(tmp_path / "c.db")]
    _fails(args, 2, "--title describe one document, but 2 files", "--meta")
    _fails(
        ["corpus", "add", str(FIXTURES / "corpus" / "harbour-memo.txt"), "--date", "2020-13-01"],
        2,
        "--date '2020-13-01'",
        "YYYY-MM-DD",
    )


def test_corpus_add_refuses_a_binary_file_before_storing_anything(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01")
    db = tmp_path / "c.db"
    _fails(
        ["corpus", "add", str(tmp_path / "a.txt"), "--db", str(db)], 1, "a.txt", "NUL", "nothing was added"
    )


def test_evidence_errors(tmp_path: Path) -> None:
    _fails(
        ["evidence", "locate", "harbour-memo", "harbour", "--corpus", str(tmp_path / "no")],
        2,
        "no such folder",
    )
    _fails(
        ["evidence", "locate", "harbour-memo", "zebra crossing", "--corpus", str(FIXTURES / "corpus")],
        1,
        "harbour-memo",
        "--occurrence",
    )
    harbour = str(FIXTURES / "harbour.yaml")
    _fails(["evidence", "check", harbour, "--corpus", str(FIXTURES), "--db", "x.db"], 2, "not both")
    stderr = _fails(
        ["evidence", "show", harbour, "ruby", "--corpus", str(FIXTURES / "corpus")], 1, "names no evidence"
    )
    assert "harbour.yaml" in stderr.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["case", "import", "{survey}", "--from", "survey", "-o", "{out}"], 2, "--into CASE"),
        (["case", "survey-template", "{empty}", "-o", "{out}"], 1, "empty.yaml:1:1: actors: Field required"),
    ],
)
def test_survey_errors(tmp_path: Path, args: list[str], code: int, needle: str) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("expert,actor,issue,position\n", encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text(
        "format: accord-case/1\ncase: {id: empty, title: Empty, as_of: 2020-01-01, sources: []}\n",
        encoding="utf-8",
    )
    filled = [a.format(survey=survey, empty=empty, out=tmp_path / "out.yaml") for a in args]
    _fails(filled, code, needle)
