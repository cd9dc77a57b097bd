"""``accord extract``: draft events, actors and relations from texts, with provenance."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import fail
from accord.workspace import Workspace, force_prompt


def _load_docs(docs: list[str], db: str | None, meta: Path | None, case):  # noqa: ANN001, ANN202
    """Each DOC as (id, text, metadata): a file path, or a document id in the store."""
    from accord.corpus.readers import DocumentMeta, UnreadableDocument, load_meta_file, read_source

    table = load_meta_file(meta) if meta is not None else {}
    sources = {s.id: s for s in case.case.sources}
    store = None
    loaded = []
    for doc in docs:
        path = Path(doc)
        if path.is_file():
            try:
                source = read_source(path)
            except UnreadableDocument as exc:
                raise fail(str(exc)) from None
            doc_id, text, found = source.doc, source.text, source.meta
        else:
            if store is None:
                if not Workspace.resolve(db).database_exists():  # reading never creates a database
                    raise fail(f"{doc}: no such file, and no corpus store to look it up in (--db)")
                from accord.cli.corpus_cmd import open_store

                store = open_store(db)
            text = store.text(doc)
            if text is None:
                raise fail(f"{doc}: no such file, and no document of that id in {store.url}")
            stored = next(d for d, _ in store.versions(doc) if d.current)
            doc_id, found = doc, stored.meta
        from_case = sources.get(doc_id)
        case_meta = (
            DocumentMeta(
                title=from_case.title,
                date=from_case.date,
                date_precision=from_case.date_precision,
                publisher=from_case.publisher,
                author=from_case.author,
            )
            if from_case
            else DocumentMeta()
        )
        given = table.get(doc_id) or table.get(path.name) or DocumentMeta()
        loaded.append((doc_id, text, given.merged_over(found.merged_over(case_meta))))
    return loaded


def extract(
    docs: Annotated[
        list[str], typer.Argument(help="Files (.txt, .md, .html) or document ids in the corpus store.")
    ],
    case: Annotated[
        str | None,
        typer.Option(
            "--case",
            help="Case whose actors (and aliases) resolve mentions; its sources give document dates.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the draft case here (default: stdout).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Corpus store for document ids and dates (default $ACCORD_DB / ./accord.db)."
        ),
    ] = None,
    meta: Annotated[
        Path | None, typer.Option("--meta", help="A sources.yaml giving document dates and titles.")
    ] = None,
    merge: Annotated[
        Path | None,
        typer.Option("--merge", help="Add what the case file lacks to it, after showing the diff."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --merge: write without asking.")] = False,
) -> None:
    """Propose dated events and relations (each with its sentence as evidence) as a draft case.

    The draft is a full case YAML (the case's meta, actors and issues plus what was extracted) that
    `accord case validate` accepts. With --merge CASE the new items are appended to CASE after review.
    """
    from accord.case.draft import validate_text_or_draft as validate_text
    from accord.cli.case_cmd import load_or_exit
    from accord.cli.main import console, err
    from accord.extract.dates import parse_anchor
    from accord.extract.draft import DocInput, build_draft, merge_text, new_items
    from accord.extract.pipeline import ActorResolver
    from accord.extract.pipeline import extract as run_extraction

    if case is None and merge is None:
        raise fail("give --case CASE (its actors resolve the mentions) or --merge CASE", code=2)
    if merge is not None and not merge.is_file():
        raise fail(f"--merge {merge}: no such case file", code=2)
    the_case = load_or_exit(case or str(merge), allow_draft=True)  # a draft case works too
    resolver = ActorResolver.from_case(the_case)
    try:
        loaded = _load_docs(docs, db, meta, the_case)
    except ValueError as exc:
        raise fail(str(exc)) from None
    inputs = []
    for doc_id, text, info in loaded:
        anchor = parse_anchor(info.date, info.date_precision)
        if anchor is None:
            err.print(
                f"note: {doc_id}: no document date known; relative dates are skipped (give --meta or --db)"
            )
        found = run_extraction(text, doc_id, resolver, anchor)
        inputs.append(
            DocInput(
                doc_id, text, found, info.title, info.date, info.date_precision, info.publisher, info.author
            )
        )
    draft = build_draft(the_case, inputs)
    for note in draft.skipped:
        err.print(f"note: {escape(note)}", soft_wrap=True)
    err.print(
        f"{len(draft.events)} event(s), {len(draft.relations)} relation(s) from {len(inputs)} document(s)"
    )
    text = draft.to_yaml()
    report = validate_text(text, "<draft>")
    if not report.ok:  # a bug if it happens: say so rather than write an invalid draft
        for problem in report.problems[:10]:
            err.print(str(problem), markup=False)
        raise fail("the draft does not validate; please report this with the documents used")
    if merge is None:
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            console.print(f"wrote {output}")
        return
    _merge(the_case, merge, draft, new_items, merge_text, validate_text, yes)


def _merge(the_case, path: Path, draft, new_items, merge_text, validate_text, yes: bool) -> None:  # noqa: ANN001
    from accord.cli.main import console, err

    events, relations, sources = new_items(the_case, draft)
    if not events and not relations:
        console.print(f"nothing new to merge into {path}")
        return
    before = path.read_text(encoding="utf-8")
    try:
        after = merge_text(before, events, relations, sources)
    except ValueError as exc:
        raise fail(
            f"cannot merge into {path} automatically ({exc}); write a draft with -o and merge by hand"
        ) from None
    report = validate_text(after, str(path))
    if not report.ok:
        for problem in report.problems[:10]:
            err.print(str(problem), markup=False)
        raise fail(f"the merged case would not validate; {path} is unchanged")
    diff = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), str(path), f"{path} (merged)"
    )
    sys.stdout.write("".join(diff))
    summary = (
        f"{len(events)} event(s), {len(relations)} relation(s), {len(sources)} source(s) to add to {path}"
    )
    if not yes:
        if not sys.stdin.isatty() and not force_prompt():
            raise fail(f"{summary}; not a terminal, so nothing was written: re-run with --yes to accept")
        if not typer.confirm(f"{summary}. Write?", default=False):
            console.print("nothing written")
            return
    path.write_text(after, encoding="utf-8")
    console.print(f"merged: {summary}")
