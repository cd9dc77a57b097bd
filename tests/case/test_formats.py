"""KTAB and BDM CSV import/export: imported cases validate against their own CSV, numbers round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.case.formats import FormatError, _parse_bdm, case_to_yaml, export_csv, import_csv
from accord.case.validate import validate_file, validate_text
from accord.cli.main import app
from accord.engines.ktab_csv import parse_ktab_csv
from accord.evidence.pointers import load_corpus_dir

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
KTAB = ["SOE-Pol-Comp", "SOE-Policy", "dummyData_3Dim", "dummyData_6Dim", "dummyData-a080"]
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _shared_present():
    assert SHARED.is_dir(), f"reference data missing: {SHARED} (the shared/ folder must sit beside the checkout)"


def _numbers_ktab(text: str):
    sc = parse_ktab_csv(text)
    return sc.actor_names, np.asarray(sc.capability), np.asarray(sc.positions), np.asarray(sc.saliences)


@pytest.mark.parametrize("name", KTAB)
def test_ktab_round_trip_keeps_every_number(name):
    path = SHARED / "ktab" / name / f"{name}.csv"
    report = validate_text(case_to_yaml(import_csv(path, "ktab")), "imported.yaml", load_corpus_dir(path.parent))
    assert report.ok, report.problems[:3]
    text, warnings = export_csv(report.case, "ktab")
    assert warnings == []
    before, after = _numbers_ktab(path.read_text()), _numbers_ktab(text)
    assert [n.strip() for n in before[0]] == after[0]
    for a, b in zip(before[1:], after[1:], strict=True):
        assert np.array_equal(a, b)


def test_bdm_round_trip_keeps_every_number():
    path = SHARED / "bdm" / "ec_actors.csv"
    report = validate_text(case_to_yaml(import_csv(path, "bdm")), "ec.yaml", load_corpus_dir(path.parent))
    assert report.ok, report.problems[:3]
    case = report.case
    assert case.case.units.position_max == 10  # inferred from positions 4..10
    assert case.stance("france").issues["position"].position.value == 100
    text, _ = export_csv(case, "bdm")
    for a, b in zip(_parse_bdm(path.read_text()), _parse_bdm(text), strict=True):
        assert a == b if isinstance(a, list) else np.array_equal(a, b)


def test_imported_numbers_cite_their_csv_row():
    path = SHARED / "bdm" / "ec_actors.csv"
    report = validate_text(case_to_yaml(import_csv(path, "bdm")), "ec.yaml")
    pointer = report.case.stance("uk").capability.evidence[0]
    assert path.read_text()[pointer.start : pointer.end] == "UK,0.16,10,0.9"


def test_bdm_bad_header_and_bad_number(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Name,Cap,Pos,Sal\nA,1,2,3\n")
    with pytest.raises(FormatError) as info:
        import_csv(bad, "bdm")
    assert info.value.line == 1 and "Actor,Capability,Position,Salience" in info.value.hint
    bad.write_text("Actor,Capability,Position,Salience\nA,0.5,4,0.3\nB,0.5,x,0.3\n")
    with pytest.raises(FormatError) as info:
        import_csv(bad, "bdm")
    assert info.value.line == 3


def test_export_bdm_needs_an_issue_for_multi_issue_cases():
    path = SHARED / "ktab" / "SOE-Pol-Comp" / "SOE-Pol-Comp.csv"
    case = validate_text(case_to_yaml(import_csv(path, "ktab")), "x.yaml").case
    with pytest.raises(FormatError, match="one issue"):
        export_csv(case, "bdm")
    text, _ = export_csv(case, "bdm", issue=case.issue_ids[1])
    assert text.startswith("Actor,Capability,Position,Salience\n")


def test_cli_import_validate_export(tmp_path):
    src = SHARED / "ktab" / "dummyData_3Dim" / "dummyData_3Dim.csv"
    out = tmp_path / "case.yaml"
    result = runner.invoke(app, ["case", "import", "--from", "ktab", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert validate_file(out, load_corpus_dir(src.parent)).ok
    csv_out = tmp_path / "back.csv"
    result = runner.invoke(app, ["case", "export", "--to", "ktab", str(out), "-o", str(csv_out)])
    assert result.exit_code == 0, result.output
    assert np.array_equal(_numbers_ktab(src.read_text())[2], _numbers_ktab(csv_out.read_text())[2])


def test_cli_import_errors(tmp_path):
    result = runner.invoke(app, ["case", "import", "--from", "xls", "a.csv", "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("garbage\n")
    result = runner.invoke(app, ["case", "import", "--from", "ktab", str(bad), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 1 and "bad.csv:" in result.output
    assert not (tmp_path / "o.yaml").exists()
