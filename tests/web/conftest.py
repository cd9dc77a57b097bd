"""Fixtures for the web tests: an app on SQLite (a temporary file) or on the suite's PostgreSQL server.

PostgreSQL: the suite's server (``pg_url``) gets one fresh database for this test session, so the web
tables never meet another test's; each test starts from empty web tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from accord.web import create_app, db

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "nagorno-karabakh"
FIXTURE_CORPUS = REPO / "tests" / "fixtures" / "corpus"
HARBOUR = REPO / "tests" / "fixtures" / "harbour.yaml"
LOCAL = ("127.0.0.1", 50000)


@pytest.fixture(autouse=True)
def _runs_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-draw outcomes of runs recorded on PostgreSQL go to a temporary folder, not the checkout."""
    monkeypatch.setenv("ACCORD_RUNS_DIR", str(tmp_path_factory.mktemp("runs")))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    assert CORPUS.is_dir(), f"{CORPUS} is missing: the shared/ folder must sit beside the checkout"
    return CORPUS


@pytest.fixture(scope="session")
def pg_web_url(pg_url: str) -> Iterator[str]:
    """A database of its own on the suite's PostgreSQL server, dropped at the end of the session."""
    name = f"accord_web_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    yield url
    sa.create_engine(url).dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each API test runs on both databases: a fresh SQLite file, and emptied web tables on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "accord.db")
    url = request.getfixturevalue("pg_web_url")
    engine = sa.create_engine(url)
    db.metadata.drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def app(db_url: str, corpus_dir: Path):
    return create_app(db_url, corpus_dir)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, client=LOCAL) as c:
        yield c


@pytest.fixture
def token(app) -> str:
    return app.state.accord.tokens.create("tests")[0]


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def nk_answer() -> dict:
    """The built-in case's answer with the defaults every interface uses, computed once per session."""
    from accord.answer import answer

    return answer("nagorno-karabakh-2020")
