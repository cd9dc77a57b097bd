"""``accord corpus ...``: the searchable corpus store (add texts, list them, search passages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.render import safe
from accord.corpus.documents import StorageError, Store
from accord.corpus.readers import (
    TEXT_SUFFIXES,
    DocumentMeta,
    SourceText,
    UnreadableDocument,
    check_date,
    check_doc_id,
    load_meta_file,
    read_source,
)
from accord.errors import InputError, UsageError

app = typer.Typer(help="Add texts to the corpus store and search them.", no_args_is_help=True)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Corpus store: a SQLite file or a SQLAlchemy URL (postgresql://...). Default: $ACCORD_DB, "
        "else ./accord.db.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def open_store(db: str | None) -> Store:
    """Open the store for a command (a :class:`StorageError`, rendered by the CLI, says why not)."""
    return Store(db)


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given, and the text, Markdown and HTML files of folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
        else:
            files.append(path)
    return files


def _read_all(files: list[Path], doc_id: str | None) -> list[SourceText]:
    """Read every file first, so one bad file refuses the whole batch before anything is stored."""
    from accord.cli.main import err

    sources, problems = [], []
    for file in files:
        try:
            sources.append(read_source(file, doc_id))
        except UnreadableDocument as exc:
            problems.append(exc)
    if len(problems) == 1:
        raise InputError(f"{problems[0]}; nothing was added", problems[0].hint)
    if problems:
        for exc in problems:  # the details; the error itself goes through the one renderer
            err.print(f"  {safe(str(exc))}" + (f" ({safe(exc.hint)})" if exc.hint else ""), soft_wrap=True)
        raise InputError(
            f"{len(problems)} file(s) refused (above); nothing was added",
            "fix or leave out those files: nothing is stored until every file given reads",
        )
    return sources


def _meta_for(source: SourceText, table: dict[str, DocumentMeta], given: DocumentMeta) -> DocumentMeta:
    from_file = table.get(source.doc) or table.get(source.path.name) or DocumentMeta()
    return given.merged_over(from_file)


def _given_meta(
    doc_id: str | None, title: str | None, date: str | None, publisher: str | None, author: str | None
) -> DocumentMeta:
    """The metadata given as options, after checking ``--id`` and ``--date`` (exit 2 with a hint if wrong)."""
    why = check_doc_id(doc_id) if doc_id is not None else None
    if why:
        raise UsageError(f"--id: {why}", "e.g. --id crisis-group-2020")
    precision = None
    if date is not None:
        try:
            precision = check_date(date)
        except ValueError as exc:
            raise UsageError(f"--date {date!r}: {exc}", "give YYYY, YYYY-MM or YYYY-MM-DD") from None
    return DocumentMeta(
        title=title,
        date=date.strip() if date else None,
        date_precision=precision,
        publisher=publisher,
        author=author,
    )


def _refuse(exc: StorageError, stored: int) -> StorageError:
    """The store's refusal of one file, saying how many files before it were stored."""
    before = f" ({stored} file(s) before it were stored)" if stored else ""
    return StorageError(f"{exc.message}{before}", exc.hint)


@app.command("add")
def add_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Text (.txt), Markdown (.md) or HTML (.html) files, or folders of them."),
    ],
    db: DbOpt = None,
    meta: Annotated[
        Path | None,
        typer.Option(
            "--meta",
            help="A sources.yaml giving id/file, title, published, date_precision, publisher, author.",
        ),
    ] = None,
    doc_id: Annotated[
        str | None,
        typer.Option("--id", help="Document id (only with one file; default: file name without extension)."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title (only with one file).")] = None,
    date: Annotated[
        str | None, typer.Option(help="Publication date YYYY[-MM[-DD]] (only with one file).")
    ] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher (only with one file).")] = None,
    author: Annotated[str | None, typer.Option(help="Author (only with one file).")] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Let a file replace a same-named document added from another file."),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Add texts to the store. Unchanged texts are skipped; a changed text becomes a new version.

    A changed text from another file than the one a document was added from (a same-named file in another
    folder) is refused unless ``--replace``: give it its own ``--id`` instead.
    """
    from accord.cli.main import console, print_json

    files = _expand(paths)
    if not files:
        raise InputError(
            f"no .txt, .md or .html files found in {', '.join(str(p) for p in paths)}",
            "give text (.txt), Markdown (.md) or HTML (.html) files, or folders holding them",
        )
    single = {"--id": doc_id, "--title": title, "--date": date, "--publisher": publisher, "--author": author}
    used = [k for k, v in single.items() if v]
    if used and len(files) > 1:
        raise UsageError(
            f"{', '.join(used)} describe one document, but {len(files)} files were given",
            "add the files one at a time, or describe them in a --meta sources.yaml",
        )
    table: dict[str, DocumentMeta] = {}
    if meta is not None:
        try:
            table = load_meta_file(meta)
        except ValueError as exc:
            raise InputError(
                f"--meta {exc}", "a sources.yaml lists documents: [{id, file, title, published, ...}]"
            ) from None
    given = _given_meta(doc_id, title, date, publisher, author)
    sources = _read_all(files, doc_id)
    with open_store(db) as store:
        results = []
        for source in sources:
            try:
                results.append(store.add(source, _meta_for(source, table, given), replace=replace))
            except StorageError as exc:
                raise _refuse(exc, len(results)) from None
        url = store.url
    if json_out:
        print_json([r.__dict__ for r in results])
        return
    out = Table(title=f"Corpus store {safe(url)}")
    for col in ("document", "version", "status", "passages", "sha256"):
        out.add_column(col)
    for r in results:
        out.add_row(safe(r.doc), str(r.version), r.status, str(r.passages), r.sha256[:12] + "...")
    console.print(out)


@app.command("list")
def list_cmd(
    db: DbOpt = None,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="Show superseded versions too.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """List the documents in the store with their versions, dates and titles."""
    from accord.cli.main import console, print_json

    with open_store(db) as store:
        docs = store.documents(all_versions=all_versions)
    if json_out:
        print_json(
            [
                {
                    "doc": d.doc,
                    "version": d.version,
                    "current": d.current,
                    "sha256": d.sha256,
                    "chars": d.n_chars,
                    "media_type": d.media_type,
                    **d.meta.as_dict(),
                    "source_path": d.source_path,
                }
                for d in docs
            ]
        )
        return
    out = Table(title=f"{len(docs)} document version(s)" if all_versions else f"{len(docs)} document(s)")
    for col in ("document", "version", "date", "chars", "title", "publisher"):
        out.add_column(col)
    for d in docs:
        version = str(d.version) + ("" if d.current else " (old)")
        out.add_row(
            safe(d.doc),
            version,
            safe(d.meta.date or ""),
            str(d.n_chars),
            safe(d.meta.title or ""),
            safe(d.meta.publisher or ""),
        )
    console.print(out)


@app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help='Words to look for; "quoted phrases" match as phrases.')],
    db: DbOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=1000, help="How many passages to show.")
    ] = 10,
    doc: Annotated[str | None, typer.Option("--doc", help="Search one document only.")] = None,
    semantic: Annotated[
        bool,
        typer.Option(
            "--semantic",
            help="Also rank by meaning (embeddings; needs the accord\\[semantic] extra) and fuse with "
            "BM25 by "
            "reciprocal rank fusion. The first such search embeds the store's passages and caches the "
            "vectors.",
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Find passages: pointers (doc, span, sha256) with their BM25 scores.

    With --semantic the score is the reciprocal rank fusion of the BM25 and the semantic rankings."""
    from accord.cli.main import console, err, print_json
    from accord.corpus.search import QueryError, search
    from accord.corpus.semantic import SemanticUnavailable, ensure_embeddings

    with open_store(db) as store:
        try:
            if semantic:
                ensure_embeddings(store, doc=doc, progress=_embedding_progress(err))
            hits = search(store, query, limit, doc=doc, semantic=semantic)
        except QueryError as exc:
            raise UsageError(
                str(exc), 'give a few words or a "quoted phrase", and --limit 1 or more'
            ) from None
        except SemanticUnavailable as exc:
            raise InputError(f"--semantic: {exc}", exc.hint) from None
        empty = not hits and not store.counts()["documents"]
    if json_out:
        print_json([h.to_json() for h in hits])
        return
    if not hits:
        err.print(
            f"no passage matches {safe(repr(query))}"
            + (" (the store is empty: `accord corpus add`)" if empty else "")
        )
        return
    out = Table(
        title=f"{len(hits)} passage(s) for {safe(repr(query))}"
        + (" (BM25 + semantic, fused)" if semantic else ""),
        show_lines=True,
    )
    columns = [("score", "right"), ("document", "left"), ("span", "left")]
    if semantic:
        columns.append(("ranks", "left"))
    for col, justify in (*columns, ("passage", "left")):
        out.add_column(col, justify=justify)  # type: ignore[arg-type]
    for h in hits:
        cells = [f"{h.score:.4f}" if semantic else f"{h.score:.2f}", safe(h.doc), f"{h.start}-{h.end}"]
        if h.fusion is not None:
            lexical = f"#{h.fusion.lexical_rank}" if h.fusion.lexical_rank else "-"
            closeness = f"#{h.fusion.semantic_rank}" if h.fusion.semantic_rank else "-"
            cosine = f" ({h.fusion.cosine:.2f})" if h.fusion.cosine is not None else ""
            cells.append(f"BM25 {lexical}\nmeaning {closeness}{cosine}")
        out.add_row(*cells, safe(h.text))
    console.print(out)


def _embedding_progress(err):  # type: ignore[no-untyped-def]
    """Tell on stderr that (and how far) passages are being embedded; silent when all are cached."""
    import time

    started = time.perf_counter()
    step = 0

    def progress(done: int, total: int) -> None:
        nonlocal started, step
        if done == 0:
            started = time.perf_counter()
            err.print(
                f"embedding {total} passage text(s) for semantic search (once: the vectors are kept in "
                "the store)",
                soft_wrap=True,
            )
        elif done == total:
            err.print(
                f"embedded {total} passage text(s) in {time.perf_counter() - started:.1f} s", soft_wrap=True
            )
        elif done * 10 // total > step:
            step = done * 10 // total
            err.print(f"  {done}/{total}")

    return progress
