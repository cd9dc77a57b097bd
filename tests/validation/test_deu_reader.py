"""The DEU reader: the layout of the public copy, and clear errors (file, line, column) for broken files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from accord.formats.deu import DeuFormatError, read_deu
from accord.validation.problems import issue_problem
from tests.validation.conftest import HEADER, ROWS, tsv


def test_reads_tiny_file(tiny: Path):
    data = read_deu(tiny)
    assert data.actors == ("com", "ep", "de", "fr")
    assert data.weights.tolist() == [4, 4, 4, 2]
    assert [i.issue for i in data.issues] == ["i1", "i2", "i3", "i4"]
    assert [i.issue for i in data.scored()] == ["i1", "i2", "i3"]
    assert data.proposals == ("d01", "d02")
    assert data.issues[1].reference_point is None
    assert math.isnan(data.issues[0].positions[3]) and data.issues[0].line == 3


def test_problem_rules(tiny: Path):
    data = read_deu(tiny)
    one = issue_problem(data, data.issues[0], "weights")
    assert one.problem.actors == ("com", "ep", "de")  # fr has no position: not in the problem
    assert one.problem.capability.tolist() == [1.0, 1.0, 1.0]  # weight row / its largest value
    three = issue_problem(data, data.issues[2], "equal")
    assert three.problem.salience[:, 0].tolist() == [0.5, 0.5, 0.5, 0.5]  # fr: the others' mean salience
    two = issue_problem(data, data.issues[1])
    assert not two.has_status_quo and np.isfinite(two.problem.status_quo).all()


def test_no_weight_row_means_equal_capability(tmp_path: Path):
    path = tmp_path / "f.tsv"
    path.write_text(tsv(ROWS[1:]), encoding="utf-8")
    data = read_deu(path)
    assert data.weights is None and len(data.issues) == 4
    assert issue_problem(data, data.issues[0], "weights").problem.capability.tolist() == [1.0, 1.0, 1.0]


def test_comma_separated_and_crlf(tmp_path: Path):
    path = tmp_path / "f.csv"
    path.write_bytes(tsv(ROWS).replace("\t", ",").replace("\n", "\r\n").encode())
    assert len(read_deu(path).issues) == 4


def _broken(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> str:
    path = tmp_path / "bad.tsv"
    path.write_text(tsv(rows, header), encoding="utf-8")
    with pytest.raises(DeuFormatError) as info:
        read_deu(path)
    return str(info.value)


def test_not_a_number_names_line_and_column(tmp_path: Path):
    rows = [r[:] for r in ROWS]
    rows[2][4] = "fifty"
    message = _broken(tmp_path, rows)
    assert "bad.tsv:4" in message and "'pep'" in message and "fifty" in message


def test_decimal_comma_gets_a_hint(tmp_path: Path):
    rows = [r[:] for r in ROWS]
    rows[1][3] = "50,5"
    assert "decimal mark" in _broken(tmp_path, rows)


def test_out_of_range(tmp_path: Path):
    rows = [r[:] for r in ROWS]
    rows[3][12] = "120"
    message = _broken(tmp_path, rows)
    assert "bad.tsv:5" in message and "'out'" in message and "outside 0-100" in message


def test_missing_required_column(tmp_path: Path):
    header = [h if h != "out" else "outcome" for h in HEADER]
    assert "no column 'out'" in _broken(tmp_path, ROWS, header)


def test_too_few_actors(tmp_path: Path):
    header = ["prnr", "isnr", "pcom", "scom", "out"]
    assert "fewer than two actors" in _broken(tmp_path, [["d1", "i1", "50", "50", "50"]], header)


def test_duplicate_issue_and_stray_cells(tmp_path: Path):
    rows = [r[:] for r in ROWS]
    rows[2][1] = "i1"
    assert "'i1' appears twice" in _broken(tmp_path, rows)
    rows = [r[:] for r in ROWS]
    rows[1] = rows[1] + ["x"]
    assert "bad.tsv:3" in _broken(tmp_path, rows)


def test_empty_binary_and_missing_files(tmp_path: Path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    with pytest.raises(DeuFormatError, match="empty"):
        read_deu(empty)
    binary = tmp_path / "x.tsv"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(DeuFormatError, match="binary"):
        read_deu(binary)
    with pytest.raises(DeuFormatError, match="cannot read"):
        read_deu(tmp_path / "nope.tsv")
    with pytest.raises(DeuFormatError, match="no issue rows"):
        only = tmp_path / "h.tsv"
        only.write_text(tsv([]))
        read_deu(only)


def test_development_file(dev_file: Path):
    data = read_deu(dev_file)
    assert (len(data.issues), len(data.scored()), len(data.proposals), len(data.actors)) == (214, 213, 82, 30)
