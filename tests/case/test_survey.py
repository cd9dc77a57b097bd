"""Expert surveys: reading CSV and XLSX, every row checked, experts as sources, perspectives, the template."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from accord.case.draft import draft_report
from accord.cli.main import app
from accord.formats.survey import SurveyError, read_survey
from accord.scenarios.uncertainty import point_problem
from accord.spans.pointers import load_corpus_dir

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HARBOUR = FIXTURES / "harbour.yaml"
ACTORS = ("lowmere", "highmere", "guild", "sheriff")
GOOD = """expert,actor,issue,position,salience,capability,low,high,note
Ana,lowmere,harbour,90,0.8,0.55,80,95,wants it all
Ana,highmere,harbour,40,0.7,0.45,,,
Ben,lowmere,harbour,80,,0.5,,,
Ben,sheriff,harbour,50,0.2,0.1,,,
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "corpus", tmp_path / "corpus")
    return tmp_path


def _import(folder: Path, name: str, text: str | None = None, *extra: str):
    if text is not None:
        (folder / name).write_text(text, encoding="utf-8")
    args = [
        "case",
        "import",
        "--from",
        "survey",
        str(folder / name),
        "--into",
        str(HARBOUR),
        "--corpus",
        str(folder / "corpus"),
        "-o",
        str(folder / "out.yaml"),
        "--date",
        "2020-05-15",
        *extra,
    ]
    return runner.invoke(app, args)


def test_import_keeps_each_expert_as_a_source_and_every_estimate_cites_its_row(folder):
    result = _import(folder, "survey.csv", GOOD)
    assert result.exit_code == 0, result.output
    assert "4 answer(s) of 2 expert(s)" in result.output and "runnable" in result.output
    report = draft_report(folder / "out.yaml", load_corpus_dir(folder / "corpus"))
    assert report.ok and report.runnable and report.corpus_checked, [str(p) for p in report.problems]
    case = report.case
    assert {"ana", "ben"} <= {s.id for s in case.case.sources}
    lowmere = case.stance("lowmere").issues["harbour"].position
    values = {e.source: e.value for e in lowmere.all_estimates}
    assert values == {None: 100, "ana": 90, "ben": 80}  # the text's reading kept, the experts' added
    ana = next(e for e in lowmere.all_estimates if e.source == "ana")
    assert (ana.low, ana.high, ana.note) == (80, 95, "wants it all")
    sheet = (folder / "corpus" / "ana.csv").read_text()
    p = ana.evidence[0]
    assert (
        sheet[p.start : p.end] == "Ana,lowmere,harbour,90,0.8,0.55,80,95,wants it all"
        and p.note == "row 2 of survey.csv"
    )
    assert "sheriff" in case.bargaining_actor_ids  # a stance the case did not have, from the survey
    assert case.stance("sheriff").capability.point == pytest.approx(0.1)


def test_a_perspective_reads_the_case_as_one_expert_does(folder):
    assert _import(folder, "survey.csv", GOOD).exit_code == 0
    case = draft_report(folder / "out.yaml").case
    row = case.bargaining_actor_ids.index("lowmere")
    assert point_problem(case, "ana").positions[row, 0] == pytest.approx(90)
    assert point_problem(case, "ben").positions[row, 0] == pytest.approx(80)
    assert point_problem(case, None).positions[row, 0] == pytest.approx(90)  # mean of 100, 90, 80
    result = runner.invoke(
        app, ["run", str(folder / "out.yaml"), "--perspective", "ana", "--draws", "20", "--no-store"]
    )
    assert result.exit_code == 0, result.output


def test_xlsx_reads_like_csv(folder):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for line in GOOD.strip().splitlines():
        sheet.append([float(c) if c.replace(".", "").isdigit() else (c or None) for c in line.split(",")])
    book.save(folder / "survey.xlsx")
    rows = read_survey(folder / "survey.xlsx", ACTORS, ("harbour",))
    assert [(r.row, r.expert, r.actor, r.position, r.salience) for r in rows][:2] == [
        (2, "Ana", "lowmere", 90.0, 0.8),
        (3, "Ana", "highmere", 40.0, 0.7),
    ]
    assert _import(folder, "survey.xlsx").exit_code == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "expert,actor,issue,position\nAna,lowmer,harbour,50\n",
            "survey.csv:2: column 'actor': unknown actor 'lowmer' (did you mean 'lowmere'?)",
        ),
        (
            "expert,actor,issue,position\nAna,lowmere,harbour,140\n",
            "survey.csv:2: column 'position': position 140 is outside [0, 100]",
        ),
        ("expert,actor,position\nAna,lowmere,50\n", "survey.csv:1: column 'issue': missing column 'issue'"),
        (
            "expert,actor,issue,position,salience\nAna,guild,harbour,50,80\n",
            "survey.csv:2: column 'salience': salience 80 is outside [0, 1]",
        ),
        (
            "expert,actor,issue,position\nAna,guild,harbor,50\n",
            "survey.csv:2: column 'issue': unknown issue 'harbor'",
        ),
        (
            "expert,actor,issue,position\nAna,guild,harbour,lots\n",
            "survey.csv:2: column 'position': 'lots' is not a number",
        ),
        (
            "expert,actor,issue,position\n,guild,harbour,50\n",
            "survey.csv:2: column 'expert': expert is empty",
        ),
        (
            "expert,actor,issue,position,low,high\nAna,guild,harbour,50,60,70\n",
            "survey.csv:2: column 'position': position 50 lies outside its own range",
        ),
        (
            "expert,actor,issue,position\nAna,guild,harbour,50\nAna,guild,harbour,60\n",
            "survey.csv:3: column 'expert': a second answer of 'Ana'",
        ),
        ("expert,actor,issue,position\n", "survey.csv:2: no answers below the header"),
    ],
)
def test_malformed_rows_are_refused_with_file_row_and_column(folder, text, expected):
    result = _import(folder, "survey.csv", text)
    assert result.exit_code == 1
    assert expected in " ".join(result.output.split()) and "Traceback" not in result.output
    assert "nothing was written" in result.output and not (folder / "out.yaml").exists()


def test_every_bad_row_is_reported_at_once(folder):
    text = "expert,actor,issue,position\nAna,lowmer,harbour,50\nAna,guild,harbour,50\nBen,guild,harbour,140\n"
    with pytest.raises(SurveyError) as caught:
        read_survey(_write(folder / "s.csv", text), ACTORS, ("harbour",))
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "actor"), (4, "position")]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_needs_into_and_a_readable_file(folder):
    no_into = runner.invoke(
        app,
        [
            "case",
            "import",
            "--from",
            "survey",
            str(_write(folder / "s.csv", GOOD)),
            "-o",
            str(folder / "o.yaml"),
        ],
    )
    assert no_into.exit_code == 2 and "--into CASE" in no_into.output
    assert _import(folder, "missing.csv").exit_code == 1
    (folder / "bad.ods").write_text("x")
    result = _import(folder, "bad.ods")
    assert result.exit_code == 1 and "unsupported file type '.ods'" in result.output
    (folder / "broken.xlsx").write_text("not a workbook")
    result = _import(folder, "broken.xlsx")
    assert result.exit_code == 1 and "cannot read the workbook" in result.output


def test_template_documents_the_layout_and_imports_once_filled(folder):
    out = folder / "template.xlsx"
    result = runner.invoke(app, ["case", "survey-template", str(HARBOUR), "-o", str(out)])
    assert result.exit_code == 0 and "4 row(s)" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["survey", "ids", "help"]
    survey = book["survey"]
    assert [c.value for c in survey[1]] == [
        "expert",
        "actor",
        "issue",
        "position",
        "salience",
        "capability",
        "low",
        "high",
        "note",
    ]
    assert [survey.cell(r, 2).value for r in range(2, 6)] == list(ACTORS)
    assert survey.data_validations.dataValidation  # cell checks travel with the sheet
    assert "0-100" in " ".join(str(c.value) for row in book["help"].iter_rows() for c in row)
    survey["A2"], survey["D2"], survey["E2"] = "Cem", 70, 0.9  # one expert fills one row; the rest stay blank
    book.save(out)
    result = _import(folder, "template.xlsx")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((folder / "out.yaml").read_text())
    assert "cem" in [s["id"] for s in data["case"]["sources"]]
    csv_out = folder / "template.csv"
    assert runner.invoke(app, ["case", "survey-template", str(HARBOUR), "-o", str(csv_out)]).exit_code == 0
    assert (
        csv_out.read_text().splitlines()[0] == "expert,actor,issue,position,salience,capability,low,high,note"
    )
    bad = runner.invoke(app, ["case", "survey-template", str(HARBOUR), "-o", str(folder / "t.ods")])
    assert bad.exit_code == 1 and ".xlsx or .csv" in bad.output


def test_a_survey_dated_after_the_case_is_refused(folder):
    (folder / "late.csv").write_text(GOOD, encoding="utf-8")
    args = [
        "case",
        "import",
        "--from",
        "survey",
        str(folder / "late.csv"),
        "--into",
        str(HARBOUR),
        "--corpus",
        str(folder / "corpus"),
        "-o",
        str(folder / "out.yaml"),
        "--date",
        "2021-01-01",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and not (folder / "out.yaml").exists()
