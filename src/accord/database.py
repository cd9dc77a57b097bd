"""Where Accord's databases live: one rule for the corpus store, the runs store and the web app.

``--db`` as given, else ``$ACCORD_DB``, else ``accord.db`` in the current directory. A plain path is a
SQLite file (made absolute, so files written beside it land in the same place whatever the working
directory later is). ``postgresql://`` URLs use psycopg 3 (the ``accord[postgres]`` extra) unless
psycopg2 is installed.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_DB", "ENV_DB", "resolve_db_url"]

DEFAULT_DB = "accord.db"
ENV_DB = "ACCORD_DB"


def resolve_db_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for a ``--db`` value (see the module docstring)."""
    value = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith(("postgresql://", "postgres://")):
        rest = value.split("://", 1)[1]
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            return f"postgresql+psycopg://{rest}"
        return f"postgresql://{rest}"
    return value
