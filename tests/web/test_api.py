"""REST API tests, each on SQLite and on PostgreSQL: reading, evidence, access rules, uploads, runs,
restarts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

import accord
from accord.case.validate import validate_text
from accord.spans.pointers import load_corpus_dir
from accord.web import create_app, db
from tests.web.conftest import FIXTURE_CORPUS, HARBOUR, LOCAL

CASE = "nagorno-karabakh-2020"


def wait_run(client: TestClient, run_id: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in ("done", "failed"):
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish: {run}")


def test_case_views_match_the_case(client: TestClient) -> None:
    case = accord.load_case(CASE)
    listed = {c["id"]: c for c in client.get("/api/cases").json()}
    assert {CASE, "nagorno-karabakh-2013"} <= set(listed) and listed[CASE]["default"]
    summary = client.get(f"/api/cases/{CASE}").json()
    assert summary["counts"] | {} == {
        "actors": len(case.actors),
        "issues": 5,
        "stances": len(case.stances),
        "relations": len(case.relations),
        "events": len(case.events),
        "pointers": len(case.all_pointers()),
    }
    network = client.get(f"/api/cases/{CASE}/network").json()
    assert sorted(n["id"] for n in network["nodes"]) == sorted(case.actor_ids)
    # one edge per relation end: a mediation naming its parties is drawn to each of them
    assert len(network["edges"]) == sum(len(r.ends) - 1 for r in case.relations) and all(
        0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in network["nodes"]
    )
    timeline = client.get(f"/api/cases/{CASE}/timeline").json()
    dates = [e["date"] for e in timeline["events"]]
    assert len(dates) == len(case.events) and dates == sorted(dates)
    positions = client.get(f"/api/cases/{CASE}/positions").json()
    russia = next(a for a in positions["issues"][0]["actors"] if a["actor"] == "russia")
    assert russia["position"] == case.stance("russia").issues["territory"].position.point
    assert client.get(f"/api/cases/{CASE}/yaml").text.startswith(("format", "#"))


def test_evidence_shows_the_cited_passage_with_context(client: TestClient, corpus_dir: Path) -> None:
    texts = load_corpus_dir(corpus_dir)
    item = client.get(
        f"/api/cases/{CASE}/evidence", params={"ref": "stance/russia/territory/position"}
    ).json()
    assert item["label"].startswith("Russia") and len(item["estimates"]) >= 2
    for est in item["estimates"]:
        for p in est["pointers"]:
            passage = p["passage"]
            assert passage["verified"] is True
            assert passage["text"] == texts.text(p["doc"])[p["start"] : p["end"]]
            assert passage["before"] or passage["after"]
    for ref in (
        "issue/territory/status_quo",
        "relation/" + accord.load_case(CASE).relations[0].id,
        "stance/russia/capability",
    ):
        assert client.get(f"/api/cases/{CASE}/evidence", params={"ref": ref}).status_code == 200
    assert (
        client.get(f"/api/cases/{CASE}/evidence", params={"ref": "stance/nobody/capability"}).status_code
        == 404
    )
    table = client.get(f"/api/cases/{CASE}/evidence-table").json()
    assert len(table) == len(accord.load_case(CASE).all_pointers())
    doc, start, end = table[0]["doc"], table[0]["start"], table[0]["end"]
    passage = client.get("/api/evidence/passage", params={"doc": doc, "start": start, "end": end}).json()
    assert passage["text"] == texts.text(doc)[start:end]


def test_no_endpoint_reads_a_path(client: TestClient) -> None:
    """Ids only: a path is refused by validation, or unknown; the server never opens it."""
    assert (
        client.get(
            "/api/evidence/passage", params={"doc": "../../etc/passwd", "start": 0, "end": 5}
        ).status_code
        == 422
    )
    assert (
        client.get("/api/evidence/passage", params={"doc": "passwd", "start": 0, "end": 5}).status_code == 404
    )
    assert client.get("/api/cases/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)
    assert client.get("/api/cases/tests.fixtures.harbour").status_code == 404
    assert client.get("/", params={"case": "/etc/passwd"}).status_code == 422
    assert client.get("/api/scenarios/..%2Fx").status_code in (404, 422)


def test_writing_needs_a_valid_token(app, client: TestClient, token: str, auth: dict[str, str]) -> None:
    body = {"case": CASE, "model": "median"}
    assert client.post("/api/runs", json=body).status_code == 401
    assert (
        client.post("/api/runs", json=body, headers={"Authorization": "Bearer acc_wrong"}).status_code == 401
    )
    assert client.post("/api/cases", json={"text": HARBOUR.read_text()}).status_code == 401
    assert client.post("/api/evidence/documents", json={"doc": "x", "text": "y"}).status_code == 401
    assert client.post("/api/runs", json=body, headers=auth).status_code == 202
    tokens = app.state.accord.tokens
    assert tokens.revoke(tokens.list()[0].id)
    assert client.post("/api/runs", json=body, headers=auth).status_code == 401


def test_reading_is_open_on_loopback_only(app, token: str) -> None:
    with TestClient(app, client=("203.0.113.7", 40000)) as remote:
        assert remote.get("/api/cases").status_code == 401
        assert remote.get("/").status_code == 401
        assert remote.get("/api/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_body_size_is_limited(db_url: str, corpus_dir: Path) -> None:
    app = create_app(db_url, corpus_dir, max_body_bytes=5_000)
    token = app.state.accord.tokens.create("t")[0]
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(app, client=LOCAL) as c:
        big = {"text": "x" * 10_000}
        assert c.post("/api/cases/validate", json=big).status_code == 413
        assert c.post("/api/cases", json=big, headers=auth).status_code == 413
        chunks = (b'{"text": "' + b"y" * 1000 + b'"' if i == 0 else b" " * 1000 for i in range(10))
        response = c.post("/api/cases/validate", content=chunks, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert c.post("/api/cases/validate", json={"text": "format: 1"}).status_code == 200


def test_uploads_report_the_cli_problems_with_field_paths(db_url: str) -> None:
    app = create_app(db_url, FIXTURE_CORPUS)
    token = app.state.accord.tokens.create("t")[0]
    auth = {"Authorization": f"Bearer {token}"}
    text = HARBOUR.read_text(encoding="utf-8")
    broken = text.replace("value: 0.9,", "value: high,", 1).replace("kind: leader", "kind: wizard")
    cli = validate_text(broken, "harbour.yaml", load_corpus_dir(FIXTURE_CORPUS))
    assert len(cli.problems) >= 2
    with TestClient(app, client=LOCAL) as c:
        response = c.post("/api/cases", json={"text": broken, "filename": "harbour.yaml"}, headers=auth)
        assert response.status_code == 422
        problems = response.json()["detail"]
        assert [p["text"] for p in problems] == [str(p) for p in cli.problems]
        assert all(p["path"] and p["line"] > 1 for p in problems)
        assert any(p["path"].startswith("actors[3].kind") for p in problems)
        checked = c.post("/api/cases/validate", json={"text": broken, "filename": "harbour.yaml"}).json()
        assert not checked["valid"] and len(checked["problems"]) == len(cli.problems)

        stored = c.post("/api/cases", json={"text": text, "filename": "harbour.yaml"}, headers=auth)
        assert stored.status_code == 201 and stored.json()["id"] == "harbour"
        assert "harbour" in {x["id"] for x in c.get("/api/cases").json()}
        assert c.post("/api/cases", json={"text": text}, headers=auth).status_code == 409
        assert c.post("/api/cases", json={"text": text, "replace": True}, headers=auth).status_code == 201
        builtin = accord.case.io.builtin_path(CASE).read_text(encoding="utf-8")
        assert c.post("/api/cases", json={"text": builtin}, headers=auth).status_code in (409, 422)
        run = c.post("/api/runs", json={"case": "harbour", "model": "median"}, headers=auth).json()
        assert wait_run(c, run["id"])["status"] == "done"
        # text from an upload is escaped in pages, never run
        hostile = text.replace("title: The harbour dispute", "title: <script>alert(1)</script> harbour")
        assert c.post("/api/cases", json={"text": hostile, "replace": True}, headers=auth).status_code == 201
        page = c.get("/", params={"case": "harbour"}).text
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


SCENARIO = """scenario: 1
id: web-test-turkey-up
title: Turkey grows stronger (web test)
case: nagorno-karabakh-2020
interventions:
  - {kind: scale, actor: turkey, attribute: capability, factor: 1.5}
"""


def test_runs_with_draws_and_scenarios(client: TestClient, auth: dict[str, str]) -> None:
    bad = SCENARIO.replace("actor: turkey", "actor: atlantis")
    response = client.post("/api/scenarios", json={"text": bad, "filename": "s.yaml"}, headers=auth)
    assert response.status_code == 422 and "interventions[0]" in response.json()["detail"][0]["path"]
    assert client.post("/api/scenarios", json={"text": SCENARIO}, headers=auth).status_code == 201
    listed = {s["id"] for s in client.get("/api/scenarios", params={"case": CASE}).json()}
    assert "web-test-turkey-up" in listed
    assert (
        client.get("/api/scenarios/web-test-turkey-up").json()["scenario"]["interventions"][0]["actor"]
        == "turkey"
    )

    base = client.post("/api/runs", json={"case": CASE, "draws": 40, "seed": 3}, headers=auth)
    assert base.status_code == 202 and base.headers["location"] == f"/api/runs/{base.json()['id']}"
    scen = client.post(
        "/api/runs",
        json={"case": CASE, "draws": 40, "seed": 3, "scenario": "web-test-turkey-up"},
        headers=auth,
    )
    wrong = client.post(
        "/api/runs", json={"case": "nagorno-karabakh-2013", "scenario": "web-test-turkey-up"}, headers=auth
    )
    assert wrong.status_code == 422
    results = []
    for run in (base.json(), scen.json()):
        assert wait_run(client, run["id"])["status"] == "done"
        results.append(client.get(f"/api/runs/{run['id']}/result").json())
    for body in results:
        result = body["result"]
        assert list(result["forecast"]) == [
            "territory",
            "status",
            "russian-force",
            "mediation-lead",
            "turkey-role",
        ]
        assert all(len(v) == 40 for v in body["charts"]["finals"].values())
        interval = result["interval"]
        assert all(interval[i]["low"] <= f <= interval[i]["high"] for i, f in result["forecast"].items())
        assert len(result["rounds"]) == result["rounds_run"] + 1
        assert set(result["rounds"][0]["positions"]["russia"]) == set(result["forecast"])
    assert (
        results[1]["result"]["scenario"] == "web-test-turkey-up" and results[0]["result"]["scenario"] is None
    )
    assert results[0]["charts"]["finals"] != results[1]["charts"]["finals"]
    assert {r["id"] for r in client.get("/api/runs", params={"case": CASE}).json()} >= {
        base.json()["id"],
        scen.json()["id"],
    }
    # finished runs are recorded in the runs store too (accord runs list), with the same summary
    store_ids = [client.get(f"/api/runs/{r.json()['id']}").json()["store_id"] for r in (base, scen)]
    recorded = {r["id"]: r for r in client.get("/api/recorded-runs", params={"case": CASE}).json()}
    assert all(sid in recorded for sid in store_ids)
    assert (
        recorded[store_ids[1]]["scenario_id"] == "web-test-turkey-up"
        and recorded[store_ids[1]]["draws"] == 40
    )
    median = recorded[store_ids[0]]["summary"]["issues"]["territory"]["median"]
    assert median == pytest.approx(results[0]["result"]["forecast"]["territory"])


def test_global_sensitivity_runs_in_the_background(client: TestClient, auth: dict[str, str]) -> None:
    body = {"case": CASE, "method": "morris", "samples": 4, "group_by": "actor"}
    assert client.post("/api/sensitivity", json=body).status_code == 401
    started = client.post("/api/sensitivity", json=body, headers=auth)
    assert started.status_code == 202 and started.json()["kind"] == "sensitivity"
    assert wait_run(client, started.json()["id"])["status"] == "done"
    result = client.get(f"/api/runs/{started.json()['id']}/result").json()["result"]
    territory = result["issues"]["territory"]
    assert result["method"] == "morris" and {r["input"] for r in territory} <= set(
        accord.load_case(CASE).actor_ids
    )
    assert [r["mu_star"] for r in territory] == sorted((r["mu_star"] for r in territory), reverse=True)
    assert started.json()["id"] not in {
        r["id"] for r in client.get("/api/runs", params={"kind": "run"}).json()
    }


def test_a_failing_model_is_a_failed_run_not_an_error(client: TestClient, auth: dict[str, str]) -> None:
    run = client.post(
        "/api/runs", json={"case": CASE, "model": "eum", "rounds": 500, "draws": 0}, headers=auth
    ).json()
    assert wait_run(client, run["id"])["status"] in ("done", "failed")
    assert client.get("/api/runs/999999/result").status_code == 404
    assert client.post("/api/runs", json={"case": "nope", "model": "eum"}, headers=auth).status_code == 404
    assert client.post("/api/runs", json={"case": CASE, "model": "oracle"}, headers=auth).status_code == 422
    assert client.post("/api/runs", json={"case": CASE, "draws": 10**6}, headers=auth).status_code == 422


def test_results_persist_and_unfinished_runs_resume_after_a_restart(db_url: str, corpus_dir: Path) -> None:
    first = create_app(db_url, corpus_dir)
    token = first.state.accord.tokens.create("t")[0]
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(first, client=LOCAL) as c:
        done_id = c.post(
            "/api/runs", json={"case": CASE, "model": "median", "draws": 10}, headers=auth
        ).json()["id"]
        wait_run(c, done_id)
        before = c.get(f"/api/runs/{done_id}/result").json()["result"]
    # A server that stopped mid-run leaves rows queued or running; the next one must finish them.
    engine = sa.create_engine(first.state.accord.db_url)
    with engine.begin() as conn:
        ids = [
            conn.execute(
                db.runs.insert().values(
                    case_id=CASE,
                    model="mean",
                    draws=5,
                    seed=1,
                    status=status,
                    progress=0.4,
                    created_at=db.now(),
                )
            ).inserted_primary_key[0]
            for status in ("queued", "running")
        ]
    engine.dispose()
    second = create_app(db_url, corpus_dir)
    with TestClient(second, client=LOCAL) as c:
        assert c.get(f"/api/runs/{done_id}/result").json()["result"] == before
        for run_id in ids:
            assert wait_run(c, run_id)["status"] == "done"
            assert c.get(f"/api/runs/{run_id}/result").status_code == 200


def test_sensitivity_tornado(client: TestClient) -> None:
    data = client.get(f"/api/cases/{CASE}/sensitivity", params={"issue": "territory"}).json()
    swings = [b["swing"] for b in data["bars"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert all(b["ref"].startswith("stance/") for b in data["bars"])
    assert client.get(f"/api/cases/{CASE}/sensitivity", params={"issue": "nothing"}).status_code == 404


def test_corpus_additions_are_searchable_pointers(client: TestClient, auth: dict[str, str]) -> None:
    text = "The lighthouse keepers met in March. They agreed on a shared beacon schedule for the winter."
    added = client.post(
        "/api/evidence/documents",
        json={"doc": "web-test-note", "text": text, "title": "A note"},
        headers=auth,
    )
    assert added.status_code == 201 and added.json()["status"] in ("added", "unchanged")
    hits = client.get("/api/evidence/search", params={"q": "beacon schedule"}).json()
    hit = next(h for h in hits if h["doc"] == "web-test-note")
    assert text[hit["start"] : hit["end"]] == hit["text"]
    assert "web-test-note" in {d["doc"] for d in client.get("/api/evidence/documents").json()}
    assert client.get("/api/evidence/search", params={"q": "!!!"}).status_code == 422
    folder_hits = client.get("/api/evidence/search", params={"q": '"Minsk Group"'}).json()
    assert folder_hits and all(
        "minsk group" in h["text"].lower() for h in folder_hits
    )  # the corpus folder's texts


def test_validate_endpoint_gives_cli_lines(client: TestClient) -> None:
    report = client.post(
        "/api/cases/validate", json={"text": "format: 1\ncase: {id: X}\n", "filename": "x.yaml"}
    ).json()
    assert not report["valid"] and all(p["text"].startswith("x.yaml:") for p in report["problems"])


def test_pages_and_vendor_script_are_served_locally(client: TestClient) -> None:
    for path in ("/", "/timeline", "/positions", "/runs", "/compare", "/sensitivity", "/evidence", "/cases"):
        page = client.get(path, params={"case": CASE})
        assert page.status_code == 200, path
        assert 'src="/vendor/plotly.min.js"' in page.text and "https://" not in page.text.split("<body")[0]
    js = client.get("/vendor/plotly.min.js")
    assert (
        js.status_code == 200
        and js.headers["content-type"].startswith("text/javascript")
        and len(js.content) > 1e6
    )
    assert client.get("/static/accord.js").status_code == 200
    docs = client.get("/docs")
    assert docs.status_code == 200 and "https://" not in docs.text  # no CDN, unlike FastAPI's own /docs
    assert client.get("/redoc").status_code == 404
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/cases",
        "/api/runs",
        "/api/scenarios",
        "/api/cases/{case_id}/sensitivity",
        "/api/evidence/search",
    } <= set(paths)


@pytest.mark.parametrize("page", ["/runs/999999"])
def test_unknown_run_page_is_404(client: TestClient, page: str) -> None:
    assert client.get(page).status_code == 404


def test_stopping_the_server_puts_a_running_run_back_in_the_queue(tmp_path: Path, corpus_dir: Path) -> None:
    """A server that stops (lifespan end) interrupts its runs at the next progress report; the next resumes
    them."""
    db_file = str(tmp_path / "stop.db")
    first = create_app(db_file, corpus_dir, run_workers=1)
    auth = {"Authorization": f"Bearer {first.state.accord.tokens.create('t')[0]}"}
    with TestClient(first, client=LOCAL) as c:
        run_id = c.post("/api/runs", json={"case": CASE, "model": "eum", "draws": 3000}, headers=auth).json()[
            "id"
        ]
        deadline = time.monotonic() + 30
        while c.get(f"/api/runs/{run_id}").json()["progress"] < 0.1 and time.monotonic() < deadline:
            time.sleep(0.05)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with create_app(db_file, corpus_dir, resume_runs=False).state.accord.engine.connect() as conn:
            status = conn.execute(sa.select(db.runs.c.status).where(db.runs.c.id == run_id)).scalar()
        if status != "running":
            break
        time.sleep(0.1)
    assert status == "queued"
    with TestClient(create_app(db_file, corpus_dir), client=LOCAL) as c:
        assert wait_run(c, run_id)["status"] == "done"
        assert len(c.get(f"/api/runs/{run_id}/result").json()["charts"]["finals"]["territory"]) == 2000


def test_api_docs_without_swagger_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, corpus_dir: Path
) -> None:
    """Without fastapi-offline, /docs is a page of our own listing every operation from the schema."""
    import accord.web.pages as pages

    monkeypatch.setattr(pages, "_swagger_assets", lambda: None)
    with TestClient(create_app(str(tmp_path / "d.db"), corpus_dir), client=LOCAL) as c:
        page = c.get("/docs").text
        assert (
            "POST /api/runs" in page
            and "GET /api/cases/{case_id}/evidence" in page
            and "https://" not in page
        )
