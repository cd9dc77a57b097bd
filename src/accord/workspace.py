"""The workspace: where Accord's database, corpus and runs folder are, read once, and one ``connect()``.

Every edge (CLI command, web app, report) builds one :class:`Workspace` from its options with
:meth:`Workspace.resolve`; nothing below the edges reads the environment for these settings. The rules:

* database: ``--db`` as given, else ``$ACCORD_DB``, else ``accord.db`` in the current directory. A plain
  path is a SQLite file (made absolute, so files written beside it land in the same place whatever the
  working directory later is); ``postgresql://`` URLs use psycopg 3 (the ``postgres`` extra) unless
  psycopg2 is installed;
* runs folder (per-draw Parquet files): beside a SQLite file (``accord-runs/`` for ``accord.db``), else
  ``$ACCORD_RUNS_DIR``, else ``./accord-runs``;
* corpus folder: ``--corpus``, else ``$ACCORD_CORPUS``, else the shared data folder's Nagorno-Karabakh
  corpus when there is one (:func:`shared_dir`).

>>> ws = Workspace.resolve(db="/tmp/x.db", environ={})
>>> ws.url
'sqlite:////tmp/x.db'
>>> ws.runs_dir.name
'x-runs'
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # SQLAlchemy loads only when a command connects (start-up time of the CLI)
    from sqlalchemy.engine import Engine

__all__ = [
    "DEFAULT_DB",
    "ENV_CORPUS",
    "ENV_DB",
    "ENV_FORCE_PROMPT",
    "ENV_RUNS_DIR",
    "ENV_SHARED",
    "Workspace",
    "force_prompt",
    "resolve_db_url",
    "shared_dir",
    "one_blas_thread",
    "skip_pydantic_plugins",
]

DEFAULT_DB = "accord.db"
ENV_DB = "ACCORD_DB"
ENV_CORPUS = "ACCORD_CORPUS"
ENV_RUNS_DIR = "ACCORD_RUNS_DIR"
ENV_SHARED = "ACCORD_SHARED"
ENV_FORCE_PROMPT = "ACCORD_FORCE_PROMPT"  # ask even when stdin is not a terminal (scripted sessions)
ENV_START_METHOD = "ACCORD_START_METHOD"  # how pool workers start (fork, forkserver, spawn)
DEFAULT_CORPUS_NAME = "nagorno-karabakh"


def resolve_db_url(db: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The SQLAlchemy URL for a ``--db`` value (see the module docstring)."""
    env = os.environ if environ is None else environ
    value = db or env.get(ENV_DB) or DEFAULT_DB
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


def shared_dir(environ: Mapping[str, str] | None = None, start: Path | None = None) -> Path | None:
    """The project's shared data folder: ``$ACCORD_SHARED``, else the first ``shared/`` folder holding a
    ``corpus/`` beside the current directory or one of its parents (a checkout sits next to it), else
    none. The one rule every part of Accord uses to find the shared corpus and reference data."""
    env = os.environ if environ is None else environ
    if env.get(ENV_SHARED):
        return Path(env[ENV_SHARED]).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "shared"
        if (candidate / "corpus").is_dir():
            return candidate
    return None


def force_prompt(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a command asks before writing even when stdin is not a terminal (``$ACCORD_FORCE_PROMPT``):
    without it, a command with nobody to answer refuses rather than guesses."""
    env = os.environ if environ is None else environ
    return bool(env.get(ENV_FORCE_PROMPT))


def skip_pydantic_plugins(environ: MutableMapping[str, str] | None = None) -> None:
    """Tell pydantic not to look for plugins, unless the user has set ``PYDANTIC_DISABLE_PLUGINS``.

    Accord's models use none, and the look-up scans every installed package's entry points when the first
    validator is built (~10-15 ms of each command's start-up). A value the user gives, even ``""``, wins.
    """
    env = os.environ if environ is None else environ
    env.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if environ is None and env["PYDANTIC_DISABLE_PLUGINS"] == "__all__":
        sys.modules.setdefault(_PLUGIN_LOADER, _plugin_loader_while_skipped())


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread(environ: MutableMapping[str, str] | None = None) -> None:
    """Ask NumPy's OpenBLAS for one thread, unless the user has chosen a thread count.

    When NumPy loads, OpenBLAS starts a worker thread per core, and each spins for a while (about 75 ms of
    CPU on this project's two-core machine, as much as the rest of ``import numpy``), on a core another
    process or the command itself could use. Accord's arithmetic is elementwise NumPy and small matrices,
    which one thread serves as fast. It must be set before NumPy loads, so the CLI calls it first; pool and
    Dask workers inherit it. Any of ``OPENBLAS_NUM_THREADS``, ``GOTO_NUM_THREADS`` or ``OMP_NUM_THREADS``
    set by the user, even empty, wins.
    """
    env = os.environ if environ is None else environ
    if not any(name in env for name in BLAS_THREAD_VARIABLES):
        env["OPENBLAS_NUM_THREADS"] = "1"


_PLUGIN_LOADER = "pydantic.plugin._loader"


def _plugin_loader_while_skipped() -> types.ModuleType:
    """A stand-in for pydantic's plugin loader that answers "no plugins" while they are skipped.

    The real module imports ``importlib.metadata`` (and with it ``email``, ~12 ms of each command) only to
    read entry points that ``PYDANTIC_DISABLE_PLUGINS`` tells it to ignore. Should the variable change
    later in the process, the stand-in steps aside: the real loader is imported and answers from then on.
    """
    stand_in = types.ModuleType(
        _PLUGIN_LOADER, "Accord's stand-in: no pydantic plugins while they are skipped."
    )

    def get_plugins() -> Any:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in ("__all__", "1", "true"):
            return ()
        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        return importlib.import_module(_PLUGIN_LOADER).get_plugins()

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    return stand_in


def start_method(environ: Mapping[str, str] | None = None) -> str:
    """How pool workers start, when the user says so (``$ACCORD_START_METHOD``: fork, forkserver or
    spawn; empty: let :mod:`accord.scenarios.executors` choose)."""
    env = os.environ if environ is None else environ
    return env.get(ENV_START_METHOD, "").strip().lower()


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :]
    return None if path in ("", ":memory:") else Path(path)


@dataclass(frozen=True)
class Workspace:
    """Database URL, corpus folder and runs folder of one command or server, resolved once."""

    url: str
    corpus_dir: Path | None
    runs_dir: Path

    @classmethod
    def resolve(
        cls,
        db: str | None = None,
        corpus: str | Path | None = None,
        runs_dir: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Workspace:
        """Apply the module's rules to the options given (``None``: environment, then defaults)."""
        env = os.environ if environ is None else environ
        url = resolve_db_url(db, env)
        if runs_dir is not None:
            runs = Path(runs_dir).expanduser().resolve()
        elif (file := _sqlite_file(url)) is not None:
            runs = file.parent / f"{file.stem}-runs"
        else:
            runs = Path(env.get(ENV_RUNS_DIR, "accord-runs")).expanduser().resolve()
        return cls(url=url, corpus_dir=_corpus_dir(corpus, env), runs_dir=runs)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite, else ``None``."""
        return _sqlite_file(self.url)

    def database_exists(self) -> bool:
        """Whether there is anything to read: read-only commands never create an empty ``accord.db``."""
        path = self.sqlite_path
        return path is None or path.exists() or not self.url.startswith("sqlite")

    def connect(self, **options: Any) -> Engine:
        """A SQLAlchemy engine for the workspace's database (SQLite: WAL and a generous busy timeout,
        because run workers write while requests read)."""
        import sqlalchemy as sa

        if self.url.startswith("sqlite"):
            engine = sa.create_engine(
                self.url, connect_args={"timeout": 30, "check_same_thread": False}, **options
            )
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return sa.create_engine(self.url, pool_pre_ping=True, **options)


def _corpus_dir(corpus: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if corpus is not None:
        return Path(corpus).expanduser()
    if env.get(ENV_CORPUS):
        return Path(env[ENV_CORPUS]).expanduser()
    shared = shared_dir(env)
    folder = shared / "corpus" / DEFAULT_CORPUS_NAME if shared is not None else None
    return folder if folder is not None and folder.is_dir() else None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
