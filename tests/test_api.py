"""The README's Python API, as written there, and the one Run shape behind every interface."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import accord
from accord.scenarios.run import JSON_KEYS

HARBOUR = Path(__file__).resolve().parent / "fixtures" / "harbour.yaml"
SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "run-schema.json"


@pytest.fixture(scope="module")
def case() -> accord.Case:
    return accord.load_case("nagorno-karabakh-2020")


def test_readme_python_api(case):
    """The README's block, line by line, with what each line promises."""
    stances = case.stances_frame()
    assert isinstance(stances, pd.DataFrame)
    assert stances.index.names == ["actor", "issue"] and {"position", "salience", "capability"} <= set(
        stances.columns
    )
    assert ("russia", "territory") in stances.index

    result = accord.run(case)
    assert result.model == "compromise" and result.headline == "point"
    forecast = result.forecast_frame()
    assert list(forecast.index) == list(case.issue_ids)
    assert {"status_quo", "forecast"} <= set(forecast.columns)
    assert forecast["status_quo"].tolist() == [i.status_quo.point for i in case.issues]  # the case's own

    positions = result.positions_frame()
    assert list(positions.columns) == ["draw", "round", "actor", "issue", "position"]
    n_rounds = result.run_result().trajectory.positions.shape[1]
    assert len(positions) == n_rounds * len(result.run_result().actors) * len(case.issues)
    last = positions[positions["round"] == positions["round"].max()]
    assert np.isfinite(last["position"]).all()


def test_run_accepts_a_name_a_file_or_nothing():
    by_name = accord.run("nagorno-karabakh-2020", model="median")
    default = accord.run(model="median")
    from_file = accord.run(HARBOUR, model="median")
    assert by_name.forecast == default.forecast
    assert from_file.case.id == "harbour" and set(from_file.forecast) == {"harbour"}


def test_draws_make_the_distribution_the_headline(case):
    point = accord.run(case, model="eum", seed=3)
    dist = accord.run(case, model="eum", draws=256, seed=3)
    assert dist.headline == "distribution" and dist.n_draws == 256
    assert dist.point_forecast == point.forecast  # the point run is the same run, labelled as such
    frame = dist.forecast_frame()
    assert (frame["p10"] <= frame["forecast"]).all() and (frame["forecast"] <= frame["p90"]).all()
    assert frame["forecast"].tolist() == [dist.forecast[i] for i in case.issue_ids]
    assert len(dist.draws_frame()) == 256 * len(case.issues)
    again = accord.run(case, model="eum", draws=256, seed=3)
    assert again.forecast == dist.forecast  # seeded


def test_scenarios_go_through_the_same_call(case):
    run = accord.run(case, model="eum", scenario="russia-sides-with-azerbaijan")
    plain = accord.run(case, model="eum")
    assert run.scenario_id == "russia-sides-with-azerbaijan"
    assert run.forecast != plain.forecast


def test_to_json_has_the_same_keys_whatever_the_options(case):
    docs = [
        accord.run(case, model="median").to_json(),
        accord.run(case, model="median", draws=20, seed=1, thresholds=["territory>=50"]).to_json(),
        accord.run(case, model="median", scenario="turkey-backing-grows").to_json(),
    ]
    for doc in docs:
        assert tuple(doc) == JSON_KEYS
        json.dumps(doc)  # JSON-ready
        assert set(doc["forecast"]) == set(case.issue_ids) == set(doc["status_quo"])
        first = doc["rounds"][0]
        assert set(first) == {"round", "positions", "outcome"}
        assert set(first["positions"]["russia"]) == set(case.issue_ids)
        assert doc["status_quo"] == {i.id: i.status_quo.point for i in case.issues}
    assert docs[0]["headline"] == "point" and docs[0]["interval"] == {}
    assert docs[1]["headline"] == "distribution" and set(docs[1]["interval"]) == set(case.issue_ids)
    assert docs[1]["summary"]["thresholds"]["territory>=50"] >= 0


def test_the_json_schema_describes_to_json(case):
    """docs/run-schema.json: every key it requires is there, with the type it says (checked by hand:
    no validator library is a dependency)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["required"] == list(JSON_KEYS)
    doc = accord.run(case, model="median", draws=10).to_json()
    kinds: dict[str, tuple[type, ...]] = {
        "object": (dict,),
        "array": (list,),
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "null": (type(None),),
    }
    for key, spec in schema["properties"].items():
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        assert isinstance(doc[key], tuple(t for name in types for t in kinds[name])), key


def test_errors_are_accord_errors_with_hints(case):
    from accord.scenarios.summary import ThresholdError

    with pytest.raises(ThresholdError) as info:
        accord.run(case, model="median", draws=10, thresholds=["territory=>50"])
    assert isinstance(info.value, accord.AccordError)


def test_workspace_reads_its_settings_once(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_DB", str(tmp_path / "w.db"))
    ws = accord.Workspace.resolve()
    monkeypatch.setenv("ACCORD_DB", str(tmp_path / "other.db"))
    assert ws.url.endswith("/w.db") and ws.runs_dir == tmp_path / "w-runs"
    assert not ws.database_exists()
    with ws.connect().connect() as conn:  # connect() opens it (and SQLite creates the file)
        conn.exec_driver_sql("select 1")
    assert ws.database_exists()


def test_the_web_database_opens_through_the_workspace(tmp_path, monkeypatch):
    """``web.db.connect`` is the workspace's ``connect()`` (WAL on SQLite) plus the web tables."""
    import sqlalchemy as sa

    from accord.web import db as web_db

    opened = []
    real = accord.Workspace.connect
    monkeypatch.setattr(
        accord.Workspace, "connect", lambda self, **kw: opened.append(self) or real(self, **kw)
    )
    workspace = accord.Workspace.resolve(db=str(tmp_path / "web.db"), environ={})
    engine = web_db.connect(workspace)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert {"web_runs", "web_tokens"} <= set(sa.inspect(engine).get_table_names())
    assert opened == [workspace] and str(engine.url) == workspace.url
    engine.dispose()


def test_the_readme_block_runs_as_written():
    """The README's Python block, executed as a notebook would (the README promises this test runs it)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("From Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    dist = namespace["dist"]
    assert isinstance(dist, accord.Run) and dist.headline == "distribution" and dist.n_draws == 256


def test_http_renders_accord_errors_in_one_place(tmp_path):
    """The web app's one handler: an AccordError raised anywhere becomes {detail, hint, kind} with the
    kind's status (a route is added to the real app to raise one)."""
    from fastapi.testclient import TestClient

    from accord.errors import NotFoundError, UsageError
    from accord.web import create_app

    app = create_app(str(tmp_path / "web.db"), tmp_path, resume_runs=False, record_runs=False)

    @app.get("/api/_raise/{kind}")
    def _raise(kind: str) -> None:
        raise (UsageError if kind == "usage" else NotFoundError)(f"{kind} went wrong", "do this instead")

    with TestClient(app, client=("127.0.0.1", 5000)) as client:
        usage = client.get("/api/_raise/usage")
        missing = client.get("/api/_raise/missing")
    assert usage.status_code == 400 and usage.json() == {
        "detail": "usage went wrong",
        "hint": "do this instead",
        "kind": "usage",
    }
    assert missing.status_code == 404 and missing.json()["kind"] == "not_found"
