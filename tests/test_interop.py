"""Exports for other tools: GEXF/GraphML (NetworkX, Gephi), Kumu and Excel workbooks (openpyxl), read back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.formats.gexf import to_gexf, to_graphml
from accord.formats.kumu import to_kumu
from accord.formats.xlsx import to_xlsx

nx = pytest.importorskip("networkx")
openpyxl = pytest.importorskip("openpyxl")
CASE = "nagorno-karabakh-2020"


def _ends(case: accord.case.model.Case) -> int:
    return sum(len(r.ends) - 1 for r in case.relations)


def test_gexf_has_every_actor_and_dated_relation() -> None:
    case = accord.load_case(CASE)
    graph = nx.read_gexf(io.BytesIO(to_gexf(case)))
    assert set(graph.nodes) == set(case.actor_ids)
    assert graph.number_of_edges() == _ends(case)
    edges = {d["id"]: d for _, _, d in graph.edges(data=True)}
    dated = [r for r in case.relations if r.since and r.to is not None]
    assert dated, "the built-in case has dated relations"
    for r in dated:
        assert edges[r.id]["start"].startswith(r.since[:4]), r.id
    ended = [r for r in case.relations if r.until and r.to is not None]
    for r in ended:
        assert edges[r.id]["end"].startswith(r.until[:4])
    assert graph.nodes["russia"]["capability"] == pytest.approx(case.stance("russia").capability.point)


def test_graphml_reads_back() -> None:
    case = accord.load_case(CASE)
    graph = nx.read_graphml(io.BytesIO(to_graphml(case)))
    assert graph.number_of_nodes() == len(case.actors) and graph.number_of_edges() == _ends(case)
    assert {d["relation_type"] for _, _, d in graph.edges(data=True)} == {
        r.type.value for r in case.relations
    }


def test_kumu_workbook_connects_elements_by_label() -> None:
    case = accord.load_case(CASE)
    book = openpyxl.load_workbook(io.BytesIO(to_kumu(case)))
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].values)
    connections = list(book["Connections"].values)
    assert elements[0][:4] == ("Label", "Type", "Description", "Tags") and connections[0][:4] == (
        "From",
        "To",
        "Type",
        "Direction",
    )
    labels = {row[0] for row in elements[1:]}
    assert labels == {a.name for a in case.actors}
    assert len(connections) - 1 == _ends(case)
    assert all(row[0] in labels and row[1] in labels for row in connections[1:])


def test_xlsx_holds_the_case_and_a_run() -> None:
    case = accord.load_case(CASE)
    run = accord.run(case, "smp", draws=20).to_json()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(case, run)))
    assert {"Case", "Sources", "Actors", "Issues", "Stances", "Relations", "Events", "Forecast"} <= set(
        book.sheetnames
    )
    issues = list(book["Issues"].values)
    assert issues[0][:4] == ("id", "question", "0 means", "100 means") and len(issues) == len(case.issues) + 1
    forecast = list(book["Forecast"].values)
    assert [row[0] for row in forecast[1:]] == list(case.issue_ids)
    assert all(row[4] <= row[3] <= row[5] for row in forecast[1:])


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "kumu", "xlsx"])
def test_case_export_writes_the_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"nk.{fmt}"
    result = CliRunner().invoke(app, ["case", "export", CASE, "--to", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000
