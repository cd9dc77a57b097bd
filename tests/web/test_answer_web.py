"""The answer over HTTP: tokenless, cached per case version, the same numbers as the Python API; what-if."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import accord
from accord.web import create_app

CASE = "nagorno-karabakh-2020"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Any:
    app = create_app(str(tmp_path_factory.mktemp("answer") / "accord.db"), corpus_dir)
    with TestClient(app, client=("127.0.0.1", 50000)) as client:
        yield client


def _numbers(doc: dict[str, Any]) -> Any:
    return [(r["name"], r["forecast"]) for r in doc["scenarios"]], doc["drivers"], doc["leverage"]


def test_answer_is_served_without_a_token_and_matches_the_api(
    web: TestClient, nk_answer: dict[str, Any]
) -> None:
    first = web.get(f"/api/cases/{CASE}/answer")  # no Authorization header
    assert first.status_code == 200
    doc = first.json()
    assert _numbers(doc) == _numbers(nk_answer)  # one answer per question, whichever interface asks
    assert len(doc["scenarios"]) >= 6 and len(doc["drivers"]) >= 3
    again = web.get(f"/api/cases/{CASE}/answer").json()
    assert again == doc and again["timings"] == doc["timings"]  # served from the cache, not recomputed


def test_answer_as_csv(web: TestClient, nk_answer: dict[str, Any]) -> None:
    from accord.web.answers import remember_answer

    remember_answer(web.app.state.accord, accord.load_case(CASE), nk_answer)
    response = web.get(f"/api/cases/{CASE}/answer", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(nk_answer["scenarios"]) * len(nk_answer["issues"])
    azerbaijan = next(
        r for r in rows if r["scenario"] == "russia-sides-with-azerbaijan" and r["issue"] == "territory"
    )
    row = next(r for r in nk_answer["scenarios"] if r["name"] == "russia-sides-with-azerbaijan")
    assert float(azerbaijan["median"]) == row["forecast"]["territory"]["median"]


def test_unknown_case_answer_is_404(web: TestClient) -> None:
    assert web.get("/api/cases/atlantis/answer").status_code == 404
    page = web.get("/", params={"case": "atlantis"})
    assert (
        page.status_code == 404
        and page.headers["content-type"].startswith("text/html")
        and "atlantis" in page.text
    )
    run_page = web.get("/runs/987654")
    assert run_page.status_code == 404 and "<h1>" in run_page.text


def test_whatif_point_forecast_and_draws(web: TestClient) -> None:
    body = {"changes": [{"actor": "russia", "attribute": "position", "issue": "territory", "value": 0}]}
    quick = web.post(f"/api/cases/{CASE}/whatif", json=body)
    assert quick.status_code == 200
    t = quick.json()["issues"]["territory"]
    assert t["point_run"] < t["base_point_run"] and "median" not in t
    assert "kind: set" in quick.json()["scenario_yaml"]
    full = web.post(f"/api/cases/{CASE}/whatif", json={**body, "draws": 40}).json()["issues"]["territory"]
    assert full["low"] <= full["median"] <= full["high"] and full["point_run"] == t["point_run"]
    bad = web.post(
        f"/api/cases/{CASE}/whatif", json={"changes": [{"actor": "atlantis", "attribute": "remove"}]}
    )
    assert bad.status_code == 422 and "atlantis" in str(bad.json()["detail"])
    missing = web.post(
        f"/api/cases/{CASE}/whatif", json={"changes": [{"actor": "russia", "attribute": "salience"}]}
    )
    assert missing.status_code == 422


def test_static_files_are_compressed_and_cached(web: TestClient) -> None:
    js = web.get("/static/accord.js", headers={"Accept-Encoding": "gzip"})
    assert js.headers.get("content-encoding") == "gzip" and "max-age" in js.headers["cache-control"]
    plotly = web.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert plotly.headers.get("content-encoding") == "gzip"
