"""``accord runs list|show|export``: the stored runs (thin over :mod:`accord.store.runs`).

These commands only read: they never create a database (``accord.db``) that is not there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import consoles, print_json, summary_table
from accord.cli.output import rendering_errors
from accord.errors import InputError, NotFoundError, UsageError

DbOpt = Annotated[
    str | None,
    typer.Option(
        help="Runs database: a SQLAlchemy URL or a SQLite file (default $ACCORD_DB or ./accord.db)."
    ),
]

runs_app = typer.Typer(help="Stored runs: list, show, export.", no_args_is_help=True)


def _store(db: str | None, missing_ok: bool = False):  # -> RunStore | None
    """The runs store of ``db``; ``None`` (with ``missing_ok``) when there is no database yet: reading
    never creates one."""
    from accord.store.runs import RunStore, StorageError
    from accord.workspace import Workspace

    workspace = Workspace.resolve(db)
    if not workspace.database_exists():
        if missing_ok:
            return None
        raise NotFoundError(
            f"no runs database at {workspace.sqlite_path}",
            "runs are recorded by `accord run --scenario NAME --draws N`; or give --db",
        )
    try:
        store = RunStore(workspace.url, workspace.runs_dir)
        _ = store.engine
        return store
    except StorageError as exc:
        raise StorageError(str(exc), exc.hint) from None


def _get(store, run_id: str):  # noqa: ANN001, ANN202 - RunStore in, the run's record out
    from accord.store.runs import StorageError

    try:
        return store.get(run_id)
    except StorageError as exc:
        raise NotFoundError(str(exc), exc.hint or "`accord runs list` shows the ids") from None


@runs_app.command("list")
@rendering_errors
def runs_list(
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many runs, newest first.", min=1)] = 20,
    case: Annotated[str | None, typer.Option(help="Only runs of this case id.")] = None,
    scenario: Annotated[str | None, typer.Option(help="Only runs of this scenario id.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List stored runs, newest first."""
    console, _ = consoles()
    store = _store(db, missing_ok=True)
    rows = store.list(limit, case, scenario) if store is not None else []
    if json_out:
        print_json(
            [
                {
                    k: r[k]
                    for k in (
                        "id",
                        "created_at",
                        "case_id",
                        "scenario_id",
                        "model",
                        "draws",
                        "seed",
                        "perspective",
                        "executor",
                    )
                }
                for r in rows
            ]
        )
        return
    if not rows:
        console.print("no stored runs yet (`accord run --scenario NAME --draws N` records one)")
        return
    table = Table(title=f"Stored runs ({len(rows)})")
    for col in ("id", "when (UTC)", "case", "scenario", "model", "draws", "seed", "perspective", "time"):
        # ids are copied by users: never cut them; the other columns fold
        table.add_column(
            col,
            justify="right" if col in ("draws", "seed", "time") else "left",
            no_wrap=col == "id",
            overflow="fold",
        )
    for r in rows:
        when = (
            r["created_at"].strftime("%Y-%m-%d %H:%M")
            if hasattr(r["created_at"], "strftime")
            else str(r["created_at"])
        )
        total = (r["timings"] or {}).get("total_s")
        table.add_row(
            r["id"],
            when,
            r["case_id"],
            r["scenario_id"] or "-",
            r["model"],
            str(r["draws"]),
            str(r["seed"]),
            r["perspective"] or "-",
            f"{total:.1f} s" if total is not None else "",
        )
    console.print(table)


@runs_app.command("show")
@rendering_errors
def runs_show(
    run_id: Annotated[str, typer.Argument(help="A run id (or a unique prefix).")],
    db: DbOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the run record as JSON.")] = False,
) -> None:
    """Show one stored run: its settings, versions, timings and per-issue summary."""
    console, _ = consoles()
    store = _store(db)
    run = _get(store, run_id)
    if json_out:
        print_json(run)
        return
    console.print(f"[bold]run {run['id']}[/bold] at {run['created_at']}", highlight=False, soft_wrap=True)
    for key in (
        "case_id",
        "case_hash",
        "scenario_id",
        "model",
        "rounds",
        "draws",
        "seed",
        "perspective",
        "executor",
    ):
        console.print(f"  {key}: {run[key]}", highlight=False)
    console.print("  versions: " + ", ".join(f"{k} {v}" for k, v in run["versions"].items()), highlight=False)
    console.print(f"  outcomes: {store.outcomes_path(run)} ({run['outcomes_rows']} rows)", highlight=False)
    summary = run["summary"]
    console.print(summary_table("Summary", summary, list(run["thresholds"])))
    if summary.get("headline"):
        console.print(f"headline: {summary['headline']}", highlight=False)
    _print_scales_of(console, run["case_id"])


@runs_app.command("export")
@rendering_errors
def runs_export(
    run_id: Annotated[str, typer.Argument(help="A run id (or a unique prefix).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (.csv, .parquet or .json).")],
    db: DbOpt = None,
) -> None:
    """Export a run's per-draw outcomes (one row per draw and issue) as CSV, Parquet or JSON."""
    from accord.store.runs import StorageError

    console, _ = consoles()
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".parquet", ".json"):
        raise UsageError(
            f"cannot tell the format of {output}", "end the file name in .csv, .parquet or .json"
        )
    store = _store(db)
    run = _get(store, run_id)
    try:
        frame = store.outcomes(run)
    except StorageError as exc:
        raise StorageError(str(exc), exc.hint) from None
    try:
        if suffix == ".csv":
            frame.to_csv(output, index=False)
        elif suffix == ".parquet":
            frame.to_parquet(output, index=False)
        else:
            frame.to_json(output, orient="records", indent=1)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc}", "check the folder exists and is writable") from None
    console.print(f"wrote {len(frame)} rows of run {run['id']} to {output}", highlight=False)


def _print_scales_of(console: Any, case_id: str) -> None:
    """The scales' meaning of a stored run's case, when the case is a built-in one (else say where)."""
    from accord.case.io import builtin_path, load_case
    from accord.cli.common import print_scales

    if builtin_path(case_id) is None:
        console.print(
            f"[dim]scales: see the case file of {case_id} (`accord case show FILE`)[/dim]", highlight=False
        )
        return
    print_scales(console, load_case(case_id))
