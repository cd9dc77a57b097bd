"""The PostgreSQL server that `make test` starts is real and reachable through SQLAlchemy."""

from __future__ import annotations

import sqlalchemy as sa


def test_postgres_server_answers(pg_url):
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("select version()")).scalar_one()
    assert version.startswith("PostgreSQL")
