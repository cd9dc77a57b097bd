"""KTAB and BDM CSV import/export: imported cases validate against their own CSV, numbers round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.case.validate import validate_file, validate_text
from accord.cli.main import app
from accord.formats.csv_cases import FormatError, _parse_bdm, case_to_yaml, export_csv, import_csv
from accord.formats.ktab import parse_ktab_csv
from accord.spans.pointers import load_corpus_dir

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
KTAB = ["SOE-Pol-Comp", "SOE-Policy", "dummyData_3Dim", "dummyData_6Dim", "dummyData-a080"]
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _shared_present():
    assert SHARED.is_dir(), (
        f"reference data missing: {SHARED} (the shared/ folder must sit beside the checkout)"
    )


def _numbers_ktab(text: str):
    sc = parse_ktab_csv(text)
    return sc.actor_names, np.asarray(sc.capability), np.asarray(sc.positions), np.asarray(sc.saliences)


@pytest.mark.parametrize("name", KTAB)
def test_ktab_round_trip_keeps_every_number(name):
    path = SHARED / "ktab" / name / f"{name}.csv"
    report = validate_text(
        case_to_yaml(import_csv(path, "ktab")), "imported.yaml", load_corpus_dir(path.parent)
    )
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
    result = runner.invoke(
        app, ["case", "import", "--from", "ktab", str(bad), "-o", str(tmp_path / "o.yaml")]
    )
    assert result.exit_code == 1 and "bad.csv:" in result.output
    assert not (tmp_path / "o.yaml").exists()


def _bdm_round_trip(tmp_path, text: str, name: str = "pub.csv"):
    path = tmp_path / name
    path.write_text(text)
    report = validate_text(case_to_yaml(import_csv(path, "bdm")), "pub.yaml", load_corpus_dir(tmp_path))
    assert report.ok, report.problems[:3]
    exported, _ = export_csv(report.case, "bdm")
    for a, b in zip(_parse_bdm(text), _parse_bdm(exported), strict=True):
        assert a == b if isinstance(a, list) else np.array_equal(a, b)
    return report.case


def test_bdm_capability_above_one_keeps_its_scale(tmp_path):
    # a published example writes a capability of 1.05
    case = _bdm_round_trip(
        tmp_path, "Actor,Capability,Position,Salience\nA,1.05,4,0.8\nB,0.5,10,0.4\nC,0,7,0.9\n"
    )
    assert case.case.units.capability_max == 1.05
    assert case.stance("a").capability.value == 1.0 and case.stance("b").capability.value == pytest.approx(
        0.5 / 1.05
    )


def test_bdm_capability_and_salience_in_percent(tmp_path):
    case = _bdm_round_trip(
        tmp_path, "Actor,Capability,Position,Salience\nA,100,40,80\nB,35,100,45\nC,12.5,0,100\n"
    )
    units = case.case.units
    assert (units.capability_max, units.salience_max, units.position_max) == (100.0, 100.0, 100.0)
    assert case.stance("b").issues["position"].salience.value == 0.45


def test_bdm_small_capabilities_stay_as_written(tmp_path):
    case = _bdm_round_trip(tmp_path, "Actor,Capability,Position,Salience\nA,0.2,4,0.8\nB,0.1,6,0.4\n")
    assert case.case.units.capability_max == 1.0 and case.stance("a").capability.value == 0.2


def test_bdm_negative_or_zero_capability_refused(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Actor,Capability,Position,Salience\nA,0.5,4,0.3\nB,-1,4,0.3\n")
    with pytest.raises(FormatError) as info:
        import_csv(bad, "bdm")
    assert info.value.line == 3 and "negative" in str(info.value)
    bad.write_text("Actor,Capability,Position,Salience\nA,0,4,0.3\nB,0,4,0.3\n")
    with pytest.raises(FormatError, match="every Capability is 0"):
        import_csv(bad, "bdm")


def test_ktab_unusual_power_scale_round_trips(tmp_path):
    src = (SHARED / "ktab" / "dummyData_3Dim" / "dummyData_3Dim.csv").read_text()
    sc = parse_ktab_csv(src)
    lines = src.splitlines()
    # rewrite the Power column on an unusual scale (thousands, with decimals)
    for a in range(len(sc.actor_names)):
        cells = lines[2 + a].split(",")
        cells[2] = f"{1000 * (a + 1) + 0.25:g}"
        lines[2 + a] = ",".join(cells)
    text = "\n".join(lines) + "\n"
    path = tmp_path / "scaled.csv"
    path.write_text(text)
    report = validate_text(case_to_yaml(import_csv(path, "ktab")), "k.yaml", load_corpus_dir(tmp_path))
    assert report.ok, report.problems[:3]
    exported, _ = export_csv(report.case, "ktab")
    for a, b in zip(_numbers_ktab(text)[1:], _numbers_ktab(exported)[1:], strict=True):
        assert np.array_equal(a, b)
