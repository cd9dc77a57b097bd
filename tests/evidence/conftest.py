"""Fixtures for the evidence tests: small texts written for Accord, stores on real SQLite (and PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.corpus.documents import Store, metadata

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GOLD = HERE / "gold"
FIXTURES = HERE.parent / "fixtures"
NK_CORPUS = Path(
    os.environ.get("ACCORD_NK_CORPUS", HERE.parents[2] / "shared" / "corpus" / "nagorno-karabakh")
)


@pytest.fixture
def store(tmp_path) -> Store:
    """A fresh SQLite store in a temporary folder."""
    with Store(str(tmp_path / "corpus.db")) as s:
        yield s


@pytest.fixture
def pg_store(pg_url) -> Store:
    """A store on the test run's PostgreSQL server, its corpus tables dropped before and after."""

    def drop() -> None:
        engine = sa.create_engine(pg_url)
        with engine.begin() as conn:
            metadata.drop_all(conn)
        engine.dispose()

    drop()
    with Store(pg_url) as s:
        yield s
    drop()


@pytest.fixture(scope="session")
def nk_corpus() -> Path:
    """The Nagorno-Karabakh corpus in shared/ (never copied into the repository)."""
    if not NK_CORPUS.is_dir():
        pytest.skip(f"the Nagorno-Karabakh corpus is not at {NK_CORPUS}")
    return NK_CORPUS


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path
