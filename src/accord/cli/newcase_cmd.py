"""``accord case new``, ``case survey-template``, survey import and ``evidence suggest``: starting a new case.

Registered on the ``case`` and ``evidence`` apps by :func:`register_case` and :func:`register_evidence`.
The work is done in :mod:`accord.case.scaffold`, :mod:`accord.case.draft`, :mod:`accord.formats.survey`
and :mod:`accord.case.passages`; this module reads arguments, composes them and prints.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.common import load_corpus_or_exit
from accord.cli.output import fail as _fail

__all__ = ["register_case", "register_evidence", "survey_import"]


# ---------------------------------------------------------------------------------------------------
# accord case new
# ---------------------------------------------------------------------------------------------------


def _doc_meta(corpus: Path, doc: str, text: str, table: dict):  # -> ScaffoldDoc
    from accord.case.scaffold import ScaffoldDoc
    from accord.corpus.readers import DocumentMeta, UnreadableDocument, read_source

    files = [p for p in corpus.iterdir() if p.stem == doc and p.is_file()]
    found = DocumentMeta()
    if files and files[0].suffix.lower() in (".md", ".txt", ".markdown", ".text"):
        try:
            found = read_source(files[0]).meta
        except UnreadableDocument:
            pass
    given = table.get(doc) or (table.get(files[0].name) if files else None) or DocumentMeta()
    meta = given.merged_over(found)
    title = meta.title or _first_line_title(text)
    return ScaffoldDoc(doc, text, title, meta.date, meta.date_precision, meta.publisher, meta.author)


def _folder_docs(corpus: Path, table: dict) -> tuple:  # -> (Corpus, list[ScaffoldDoc])
    texts = load_corpus_or_exit(corpus)
    return texts, [_doc_meta(corpus, doc, text, table) for doc, text in texts.texts.items()]


def _store_docs(db: str, table: dict) -> tuple:  # -> (Corpus, list[ScaffoldDoc])
    from accord.case.scaffold import ScaffoldDoc
    from accord.cli.corpus_cmd import open_store
    from accord.corpus.readers import DocumentMeta

    with open_store(db) as store:
        texts = store.corpus()
        stored = {d.doc: d.meta for d in store.documents()}
    if not texts.texts:
        raise _fail(
            f"the store {db} holds no documents", "add the texts first: accord corpus add FILES --db ..."
        )
    docs = []
    for doc, text in sorted(texts.texts.items()):
        m = (table.get(doc) or DocumentMeta()).merged_over(stored.get(doc) or DocumentMeta())
        docs.append(
            ScaffoldDoc(
                doc, text, m.title or _first_line_title(text), m.date, m.date_precision, m.publisher, m.author
            )
        )
    return texts, docs


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line.split()) <= 16 else None
    return None


def _issue_slots(issues: list[str]) -> list:  # -> list[IssueSlot]
    from accord.case.scaffold import IssueSlot

    slots = []
    for item in issues or ["issue-1"]:
        issue_id, _, words = item.partition("=")
        issue_id = issue_id.strip()
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", issue_id):
            raise _fail(
                f"--issue {item!r}: {issue_id!r} is not a valid id",
                "ids use a-z, 0-9, '-', e.g. --issue 'status=recognition status'",
                2,
            )
        slots.append(IssueSlot(issue_id, words.strip()))
    return slots


def _extracted(
    docs: list, actors: list, case_id: str, as_of: str
) -> tuple[list[dict], list[dict], list[str]]:
    """Events and relations from `accord extract`'s functions, for the proposed actors."""
    from accord.case.model import Actor, Case, CaseMeta
    from accord.extract.dates import parse_anchor
    from accord.extract.draft import DocInput, build_draft
    from accord.extract.pipeline import ActorResolver, extract

    resolver = ActorResolver(((a.id, [a.name, *a.aliases]) for a in actors), {a.id: a.kind for a in actors})
    inputs = []
    for d in docs:
        found = extract(d.text, d.doc, resolver, parse_anchor(d.date, d.date_precision))
        inputs.append(
            DocInput(d.doc, d.text, found, d.title, d.date, d.date_precision, d.publisher, d.author)
        )
    # Extraction needs the case's actors and as_of only; the scaffold has no issues yet.
    meta = CaseMeta.model_construct(
        id=case_id, title=case_id, version="1", as_of=as_of, description="-", sources=[], units=None
    )
    shell = Case.model_construct(
        format=1,
        case=meta,
        issues=[],
        stances=[],
        relations=[],
        events=[],
        actors=[Actor(id=a.id, name=a.name, kind=a.kind, aliases=a.aliases) for a in actors],
    )
    draft = build_draft(shell, inputs)
    return draft.events, draft.relations, draft.skipped


def new_cmd(
    case_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new case's id (a-z, 0-9, '-'), e.g. serbia-kosovo-2023.")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the scaffold YAML.")],
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="Folder of the texts (.txt, .md) the case is built from.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Or: a corpus store (`accord corpus add`), every current document."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The case's title (default: from the id).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The day the case describes, YYYY-MM-DD (default: the latest source date)."
        ),
    ] = None,
    meta: Annotated[
        Path | None,
        typer.Option(
            "--meta", help="A sources.yaml with titles and dates (default: DIR/sources.yaml if there)."
        ),
    ] = None,
    issue: Annotated[
        list[str] | None,
        typer.Option("--issue", help="An issue slot, ID or ID=words to search for; repeat for several."),
    ] = None,
    candidates: Annotated[
        int, typer.Option("--candidates", min=0, max=10, help="Candidate passages per slot.")
    ] = 2,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
) -> None:
    """Write a commented draft case from a folder of texts: sources, actors, extracted events, to-do slots."""
    from accord.case.draft import validate_draft_data
    from accord.case.mentions import propose_actors
    from accord.case.model import parse_partial_date
    from accord.case.scaffold import ScaffoldInput, default_as_of, render_scaffold
    from accord.case.validate import validate_text
    from accord.cli.main import console, err
    from accord.corpus.readers import load_meta_file

    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", case_id):
        raise _fail(
            f"{case_id!r} is not a valid case id",
            "use lower-case letters, digits and '-', e.g. serbia-kosovo-2023",
            2,
        )
    if output.exists() and not force:
        raise _fail(f"{output} exists; not overwritten", "give another -o, or --force", 1)
    if as_of is not None:
        try:
            if parse_partial_date(as_of)[1].value != "day":
                raise ValueError
        except ValueError:
            raise _fail(f"--as-of {as_of!r} is not a day", "write YYYY-MM-DD", 2) from None
    if (corpus is None) == (db is None):
        raise _fail("give the texts: --corpus DIR or --db STORE (one of them)", "e.g. --corpus corpus/", 2)
    if meta is None and corpus is not None and (corpus / "sources.yaml").is_file():
        meta = corpus / "sources.yaml"
    try:
        table = load_meta_file(meta) if meta is not None else {}
    except ValueError as exc:
        raise _fail(str(exc), "see docs/evidence.md for the sources.yaml layout") from None
    texts, docs = _store_docs(db, table) if db is not None else _folder_docs(corpus, table)  # type: ignore[arg-type]
    err.print(f"read {len(docs)} text(s)", highlight=False)
    actors = propose_actors(texts.texts)
    when = as_of or default_as_of(docs)
    events, relations, skipped = _extracted(docs, actors, case_id, when) if actors else ([], [], [])
    spec = ScaffoldInput(
        id=case_id,
        title=title or case_id.replace("-", " ").capitalize(),
        as_of=when,
        docs=docs,
        actors=actors,
        issues=_issue_slots(issue or []),
        events=events,
        relations=relations,
        candidates=candidates,
    )
    text = render_scaffold(spec)
    report = validate_text(text, str(output), texts, data_check=validate_draft_data)
    if not report.ok:  # a bug if it happens: never write a scaffold that draft mode refuses
        for problem in report.problems[:10]:
            err.print(str(problem), markup=False, highlight=False)
        raise _fail("the scaffold does not validate as a draft; please report this with the texts used")
    output.write_text(text, encoding="utf-8")
    for note in skipped[:5]:
        err.print(f"note: {escape(note)}", soft_wrap=True, highlight=False)
    console.print(
        f"wrote {output}: {len(docs)} source(s), {len(actors)} actor(s), {len(events)} event(s), "
        f"{len(relations)} relation(s); {len(report.todos)} to-do(s)",
        highlight=False,
    )
    where = f"--corpus {corpus}" if corpus is not None else "--corpus DIR"
    console.print(f"next: accord case validate {output} --draft {where}", highlight=False, markup=False)


# ---------------------------------------------------------------------------------------------------
# accord case validate --draft (called from case_cmd.validate_cmd)
# ---------------------------------------------------------------------------------------------------


def print_draft_report(case: str, corpus, json_out: bool) -> None:  # noqa: ANN001 - Corpus | None
    """Validate in draft mode; print errors, then the checklist; exit 1 on errors only."""
    from accord.case.draft import draft_report
    from accord.cli.main import console, err, print_json

    report = draft_report(case, corpus)
    if json_out:
        print_json(report.to_json())
        raise typer.Exit(0 if report.ok else 1)
    for problem in report.problems:
        err.print(str(problem), highlight=False, markup=False, soft_wrap=True)
    if report.todos:
        console.print(
            f"To do ({len(report.blocking)} blocking, {len(report.todos) - len(report.blocking)} open):",
            highlight=False,
        )
    for todo in sorted(report.todos, key=lambda t: (not t.blocking, t.line, t.column)):
        console.print(str(todo), highlight=False, markup=False, soft_wrap=True)
    if report.ok:
        console.print(report.summary(), highlight=False, soft_wrap=True)
    else:
        err.print(f"{len(report.problems)} problem(s) in {report.file} (besides the to-dos)", highlight=False)
    raise typer.Exit(0 if report.ok else 1)


# ---------------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------------


def register_case(app: typer.Typer) -> None:
    from accord.cli.survey_cmd import template_cmd

    app.command("new")(new_cmd)
    app.command("survey-template")(template_cmd)


def register_evidence(app: typer.Typer) -> None:
    from accord.cli.suggest_cmd import suggest_cmd

    app.command("suggest")(suggest_cmd)


def survey_import(
    file: Path, into: str | None, output: Path, corpus: Path | None, date: str | None = None
) -> None:
    from accord.cli.survey_cmd import import_survey

    import_survey(file, into, output, corpus, date)
