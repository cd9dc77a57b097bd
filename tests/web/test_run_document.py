"""One run, one shape: the web serves the run document of ``accord run --json`` (``Run.to_json()``)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli.main import app as cli
from accord.scenarios.run import JSON_KEYS
from tests.web.test_api import CASE, wait_run


@pytest.mark.parametrize("draws", [0, 30])
def test_the_web_run_is_the_cli_run(client: TestClient, auth: dict[str, str], draws: int) -> None:
    """The same run started from the web and from ``accord run --json``: the same top-level keys (the
    schema's), and the same forecast, interval, status quo and rounds."""
    body = {"case": CASE, "model": "smp", "draws": draws, "seed": 7}
    started = client.post("/api/runs", json=body, headers=auth)
    assert wait_run(client, started.json()["id"])["status"] == "done"
    served = client.get(f"/api/runs/{started.json()['id']}/result").json()
    web = served["result"]
    out = CliRunner().invoke(
        cli, ["run", CASE, "-m", "smp", "--draws", str(draws), "--seed", "7", "--json", "--no-store", "-q"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert tuple(web) == tuple(doc) == JSON_KEYS
    for key in ("forecast", "point_forecast", "status_quo", "interval", "rounds", "rounds_run", "summary"):
        assert web[key] == doc[key], key  # bit for bit: one computation, floats exact through JSON
    assert web["headline"] == ("distribution" if draws else "point")
    charts = served["charts"]
    if draws:
        assert all(len(v) == draws for v in charts["finals"].values())
        bands = charts["path_bands"]["territory"]
        assert all(lo <= hi for lo, hi in zip(bands["p05"], bands["p95"], strict=True))
    else:
        assert charts == {"finals": None, "mean_path": None, "path_bands": None}


def test_a_row_from_before_the_one_shape_is_still_served(client: TestClient, app) -> None:
    """A result stored by an older server (the chart summary itself) is served under ``result``."""
    import sqlalchemy as sa

    from accord.web import db

    engine = sa.create_engine(app.state.accord.db_url)
    with engine.begin() as conn:
        run_id = conn.execute(
            db.runs.insert().values(
                case_id=CASE,
                model="smp",
                draws=0,
                seed=0,
                status="done",
                progress=1.0,
                created_at=db.now(),
                result=json.dumps({"forecast": [{"issue": "territory", "point": 40.0}]}),
            )
        ).inserted_primary_key[0]
    engine.dispose()
    served = client.get(f"/api/runs/{run_id}/result").json()
    assert served["result"]["forecast"][0]["point"] == 40.0 and "charts" not in served
