"""``accord serve``, ``accord report``, ``accord token create|list|revoke``: the web app from the CLI.

Registered in :mod:`accord.cli.main` as::

    app.command("serve")(web_cmd.serve)
    app.command("report")(web_cmd.report)
    app.add_typer(web_cmd.token_app, name="token")
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.case.io import DEFAULT_CASE
from accord.cli.output import rendering_errors
from accord.engines.registry import DEFAULT_MODEL
from accord.errors import InputError, NotFoundError, StorageError, UsageError, hint_of

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLite file path or a URL such as postgresql+psycopg://user@host/db "
        "(default: $ACCORD_DB or accord.db here).",
    ),
]
CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Folder of corpus texts to quote passages from (default: $ACCORD_CORPUS, or "
        "../shared/corpus/nagorno-karabakh if it exists).",
    ),
]

token_app = typer.Typer(help="Access tokens for the web API's writing endpoints.", no_args_is_help=True)


def _engine(db: str | None, read_only: bool = False):  # noqa: ANN202 - a SQLAlchemy engine, imported lazily
    """The web tables' database; with ``read_only`` a missing SQLite file is reported, never created."""
    from accord.errors import AccordError
    from accord.web.db import connect
    from accord.workspace import Workspace

    workspace = Workspace.resolve(db)
    if read_only and not workspace.database_exists():
        raise NotFoundError(
            f"no database at {workspace.sqlite_path}", "tokens live in the server's database: give --db"
        )
    try:
        return connect(workspace)
    except AccordError:
        raise
    except Exception as exc:  # noqa: BLE001 - bad URL, missing driver, server down
        if hint_of(exc):
            raise StorageError(str(exc), hint_of(exc)) from None
        raise StorageError(
            f"cannot open the database {db or '(default)'}: {exc}", "check --db / $ACCORD_DB"
        ) from None


@rendering_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    db: DbOpt = None,
    corpus: CorpusOpt = None,
    workers: Annotated[int, typer.Option(help="Runs executed at the same time.", min=1, max=16)] = 2,
    public_read: Annotated[
        bool, typer.Option("--public-read", help="Let clients other than this machine read without a token.")
    ] = False,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="A Host name clients reach the server by (behind a proxy), '.example.org' "
            "for a domain and its subdomains; repeat for several. Loopback names and IP addresses always "
            "pass.",
        ),
    ] = None,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            help="A per-request cap NAME=N (actors=200, issues=50, interventions=200, "
            "draws=5000 by default); repeat for several.",
        ),
    ] = None,
) -> None:
    """Start the web dashboard and REST API (OpenAPI documentation at /docs); see docs/security.md."""
    import uvicorn

    from accord.cli.main import console, existing_dir
    from accord.web import create_app
    from accord.web.limits import Limits

    existing_dir(corpus, "--corpus")
    try:
        limits = Limits.parse(limit or [])
    except ValueError as exc:
        raise UsageError(f"--limit {exc}", "e.g. --limit actors=500 --limit draws=20000") from None
    _engine(db).dispose()  # fail early, with a message, on a bad --db
    app = create_app(
        db,
        corpus,
        run_workers=workers,
        open_read="all" if public_read else "loopback",
        allowed_hosts=tuple(allow_host or ()),
        limits=limits,
    )
    st = app.state.accord
    console.print(
        f"Accord on http://{host}:{port}/  (API docs /docs; database {st.engine.url.render_as_string()}; "
        f"corpus: {len(st.corpus.texts) if st.corpus else 0} documents)",
        highlight=False,
        soft_wrap=True,
    )
    if not st.tokens.list():
        console.print(
            "Writing (uploads, runs) needs a token: `accord token create --db ...`", highlight=False
        )
    uvicorn.run(app, host=host, port=port, log_level="info")


@rendering_errors
def report(
    case: Annotated[str, typer.Argument(help="A case file or built-in name.")] = DEFAULT_CASE,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="A scenario (built-in name or file); repeat for several."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    model: Annotated[str, typer.Option("--model", "-m", help="Bargaining model.")] = DEFAULT_MODEL,
    draws: Annotated[
        int,
        typer.Option(
            help="Monte Carlo draws per variant and for the answer (0: point runs; the answer keeps 256).",
            min=0,
            max=100_000,
        ),
    ] = 256,  # accord.answer.DEFAULT_DRAWS: the report's numbers are those of `accord run` and the answer
    seed: Annotated[int, typer.Option(help="Random seed.", min=0)] = 0,
    corpus: CorpusOpt = None,
    baseline: Annotated[bool, typer.Option(help="Include the case as it is next to the scenarios.")] = True,
) -> None:
    """Write one self-contained HTML report (charts, forecast tables, evidence) that opens offline."""
    from accord.cli.case_cmd import load_or_exit
    from accord.cli.common import check_model
    from accord.cli.main import console, err, existing_dir
    from accord.report import ReportVariant, build_report, write_report
    from accord.spans.pointers import load_corpus_dir
    from accord.workspace import Workspace

    check_model(model)
    existing_dir(corpus, "--corpus")
    folder = Workspace.resolve(corpus=corpus).corpus_dir
    loaded = load_or_exit(case)
    variants = [ReportVariant("the case as it is")] if baseline or not scenario else []
    for name in scenario or []:
        variants.append(_scenario_variant(name, loaded))
    corpus_texts = load_corpus_dir(folder) if folder is not None else None
    if corpus_texts is None:
        err.print(
            "no corpus folder: the report lists evidence pointers without their passages (give --corpus)"
        )
    html = build_report(
        loaded,
        variants,
        model,
        draws,
        seed,
        corpus_texts,
        progress=lambda msg: err.print(f"[dim]{msg}[/dim]", highlight=False),
    )
    path = write_report(output, html)
    console.print(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(variants)} variant(s), self-contained)",
        highlight=False,
    )


def _scenario_variant(name: str, case):  # noqa: ANN001, ANN202 - Case in, ReportVariant out
    from accord.report import ReportVariant
    from accord.scenarios.language import ScenarioError
    from accord.scenarios.service import load_scenario

    try:
        scenario, _case = load_scenario(name, case)
    except ScenarioError as exc:
        from accord.cli.main import err

        for problem in exc.problems:
            err.print(str(problem), highlight=False, markup=False, soft_wrap=True)
        raise InputError(
            f"scenario {name}: {len(exc.problems)} problem(s)", "`accord scenarios validate` shows them"
        ) from None
    return ReportVariant(scenario.title, scenario)


@token_app.command("create")
@rendering_errors
def token_create(
    name: Annotated[str, typer.Option("--name", help="Who or what the token is for.")] = "default",
    db: DbOpt = None,
) -> None:
    """Create a token and print it (only this once: the database keeps its hash)."""
    from accord.web.tokens import TokenStore

    token, info = TokenStore(_engine(db)).create(name)
    typer.echo(token)
    typer.echo(f"token {info.id} ({info.name}) created; send it as 'Authorization: Bearer TOKEN'", err=True)


@token_app.command("list")
@rendering_errors
def token_list(
    db: DbOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List tokens (id, name, first characters, created, revoked)."""
    from rich.table import Table

    from accord.cli.main import console, print_json
    from accord.web.tokens import TokenStore

    tokens = TokenStore(_engine(db, read_only=True)).list()
    if json_out:
        print_json([t.to_json() for t in tokens])
        return
    table = Table(title="Access tokens")
    for column in ("id", "name", "starts with", "created", "status"):
        table.add_column(column, no_wrap=column in ("id", "starts with"), overflow="fold")
    for t in tokens:
        table.add_row(
            str(t.id),
            t.name,
            t.prefix + "…",
            t.created_at.strftime("%Y-%m-%d %H:%M"),
            "active" if t.active else f"revoked {t.revoked_at:%Y-%m-%d}",
        )
    console.print(table)


@token_app.command("revoke")
@rendering_errors
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (`accord token list`).")],
    db: DbOpt = None,
) -> None:
    """Revoke a token: requests using it are refused from now on."""
    from accord.web.tokens import TokenStore

    if not TokenStore(_engine(db, read_only=True)).revoke(token_id):
        raise NotFoundError(f"no active token {token_id}", "`accord token list` shows the ids")
    typer.echo(f"token {token_id} revoked")
