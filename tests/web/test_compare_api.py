"""``GET /api/compare``: the web's perspectives and cases comparison equals the API layer's, with no token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import accord
from accord.comparisons import case_variants, comparison, perspective_variants
from accord.web import create_app
from tests.web.conftest import LOCAL


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[TestClient]:
    app = create_app(str(tmp_path_factory.mktemp("cmp") / "accord.db"), corpus_dir)
    with TestClient(app, client=LOCAL) as c:
        yield c


def test_perspectives_match_the_api_layer(web: TestClient) -> None:
    r = web.get("/api/compare", params={"kind": "perspectives", "case": "nagorno-karabakh-2020", "draws": 40})
    assert r.status_code == 200
    doc = r.json()
    case = accord.load_case("nagorno-karabakh-2020")
    expected = comparison(perspective_variants(case), draws=40)
    assert doc["variants"] == expected["variants"]
    assert doc["baseline"] == "pooled (all sources)" and len(doc["variants"]) == 1 + len(case.case.sources)
    assert [i["id"] for i in doc["issues"]] == list(case.issue_ids)
    pooled = doc["variants"][0]["forecast"]
    assert all(f["shift"] == 0 for f in pooled.values())
    other = doc["variants"][1]["forecast"]["territory"]
    assert other["shift"] == pytest.approx(other["median"] - pooled["territory"]["median"], abs=0.011)


def test_cases_side_by_side(web: TestClient) -> None:
    ids = ["nagorno-karabakh-2013", "nagorno-karabakh-2020"]
    r = web.get("/api/compare", params={"kind": "cases", "case": ids, "model": "mean"})
    assert r.status_code == 200
    expected = comparison(case_variants([accord.load_case(c) for c in ids]), model="mean")
    assert r.json()["variants"] == expected["variants"]
    assert [v["case"] for v in r.json()["variants"]] == ids
    sq = [v["forecast"]["territory"]["status_quo"] for v in r.json()["variants"]]
    assert sq[0] != sq[1]  # each case keeps its own status quo


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({"kind": "cases", "case": ["nagorno-karabakh-2013"]}, 422, "give 2 to"),
        (
            {"kind": "perspectives", "case": ["nagorno-karabakh-2013", "nagorno-karabakh-2020"]},
            422,
            "one case",
        ),
        ({"kind": "cases", "case": ["nagorno-karabakh-2013", "no-such-case"]}, 404, "no-such-case"),
        ({"kind": "cases", "case": ["nagorno-karabakh-2013", "Bad Id"]}, 422, "not a case id"),
        ({"kind": "perspectives", "case": ["nagorno-karabakh-2013"], "draws": 501}, 422, "500"),
    ],
)
def test_bad_requests_are_named(web: TestClient, params: dict, status: int, text: str) -> None:
    r = web.get("/api/compare", params=params)
    assert r.status_code == status
    assert text in r.text


def test_perspectives_of_a_scenario(web: TestClient) -> None:
    from accord.scenarios.service import load_scenario

    params = {"kind": "perspectives", "case": "nagorno-karabakh-2020", "scenario": "hardened-positions"}
    r = web.get("/api/compare", params={**params, "model": "mean"})
    assert r.status_code == 200
    case = accord.load_case("nagorno-karabakh-2020")
    scenario, _ = load_scenario("hardened-positions", case)
    expected = comparison(perspective_variants(case, scenario), model="mean")
    assert r.json()["variants"] == expected["variants"]
    assert {v["scenario"] for v in r.json()["variants"]} == {"hardened-positions"}
    plain = web.get(
        "/api/compare", params={"kind": "perspectives", "case": "nagorno-karabakh-2020", "model": "mean"}
    )
    assert plain.json()["variants"] != r.json()["variants"]
    assert web.get("/api/compare", params={**params, "scenario": "nope"}).status_code == 404
    other = web.get("/api/compare", params={**params, "case": "nagorno-karabakh-2013"})
    assert other.status_code == 422 and "is about case" in other.text
    both = web.get(
        "/api/compare",
        params={**params, "kind": "cases", "case": ["nagorno-karabakh-2013", "nagorno-karabakh-2020"]},
    )
    assert both.status_code == 422 and "kind=perspectives" in both.text


def test_a_second_computation_waits_outside_the_server(web: TestClient) -> None:
    """While one comparison computes, a request for another gets 503 with Retry-After (no thread held);
    a comparison already computed is still served."""
    from accord.web import compare_routes

    done = web.get(
        "/api/compare", params={"kind": "perspectives", "case": "nagorno-karabakh-2013", "model": "median"}
    )
    assert done.status_code == 200
    assert compare_routes._one_at_a_time.acquire(blocking=False)  # as if another comparison were running
    try:
        busy = web.get(
            "/api/compare", params={"kind": "perspectives", "case": "nagorno-karabakh-2013", "draws": 7}
        )
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "3"
        again = web.get(
            "/api/compare",
            params={"kind": "perspectives", "case": "nagorno-karabakh-2013", "model": "median"},
        )
        assert again.status_code == 200 and again.json() == done.json()
    finally:
        compare_routes._one_at_a_time.release()
