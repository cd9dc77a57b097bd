"""``accord evidence ...``: authoring help for evidence pointers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import existing_dir
from accord.errors import NotFoundError, UsageError
from accord.spans.pointers import LocateError, load_corpus_dir, pointer_for
from accord.workspace import Workspace

app = typer.Typer(help="Find and check the passages behind a case's numbers.", no_args_is_help=True)


@app.command("locate")
def locate_cmd(
    doc: Annotated[str, typer.Argument(help="Document id (file name without extension).")],
    words: Annotated[str, typer.Argument(help="A few words of the sentence to point at.")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of the corpus texts.")],
    occurrence: Annotated[
        int | None, typer.Option(help="Which match, if the words occur several times.")
    ] = None,
    exact: Annotated[
        bool, typer.Option("--exact", help="Point at the words only, not the whole sentence.")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the pointer as JSON.")] = False,
) -> None:
    """Print the evidence pointer {doc, start, end, sha256} of the sentence containing WORDS."""
    from accord.cli.main import print_json

    existing_dir(corpus, "--corpus")
    try:
        pointer = pointer_for(load_corpus_dir(corpus), doc, words, occurrence=occurrence, sentence=not exact)
    except LocateError as exc:
        raise NotFoundError(
            f"{doc}: {exc}",
            "give a few words exactly as the text has them; --occurrence N picks one of several",
        ) from None
    if json_out:
        print_json(pointer)
    else:
        typer.echo(
            f"{{doc: {pointer['doc']}, start: {pointer['start']}, end: {pointer['end']}, sha256: "
            f"{pointer['sha256']}}}"
        )


# ---- check and show: the case's pointers against the corpus ---------------------------------------

CaseArg = Annotated[str, typer.Argument(help="A case YAML file or a built-in case name.")]
CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="Folder of the corpus texts.")]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Corpus store (SQLite file or SQLAlchemy URL) instead of a folder; checks every version."
    ),
]


def _texts(corpus: Path | None, db: str | None):  # -> TextSource
    """The texts to check against: a corpus folder, or the store (``--db``, else $ACCORD_DB / ./accord.db)."""
    from accord.corpus.check import FolderTexts, StoreTexts

    if corpus is not None and db is not None:
        raise UsageError("give --corpus or --db, not both", "--corpus reads a folder, --db the corpus store")
    if corpus is not None:
        return FolderTexts(load_corpus_dir(existing_dir(corpus, "--corpus")))
    if not Workspace.resolve(db).database_exists():  # reading never creates a database
        raise UsageError(
            "no corpus: no folder given and no corpus store here",
            "give --corpus DIR or --db URL (or run `accord corpus add` here first)",
        )
    from accord.cli.corpus_cmd import open_store

    return StoreTexts(open_store(db))


def _case_and_positions(case: str):
    from accord.case.io import resolve_case_path
    from accord.cli.case_cmd import load_or_exit
    from accord.corpus.check import located_case

    loaded = load_or_exit(case)
    return loaded, located_case(resolve_case_path(case)), str(resolve_case_path(case))


@app.command("check")
def check_cmd(
    case: CaseArg,
    corpus: CorpusOpt = None,
    db: DbOpt = None,
    margin: Annotated[
        float,
        typer.Option(
            "--margin",
            min=0.0,
            max=1.0,
            help="Report sources disagreeing by more than this share of the scale.",
        ),
    ] = 0.1,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    min_naming: Annotated[
        float | None,
        typer.Option(
            "--min-naming",
            min=0.0,
            max=1.0,
            help="Also exit 1 when fewer than this share of stance numbers cite a span naming their actor.",
        ),
    ] = None,
) -> None:
    """Verify every evidence pointer (span in range, hash matches) and report the coverage of the numbers.

    Exit 1 when a pointer or a source does not verify (or, with --min-naming, when too few stance numbers
    cite a span that names their actor); other coverage findings alone do not fail.
    """
    from rich.markup import escape
    from rich.table import Table

    from accord.cli.main import console, err, print_json
    from accord.corpus.check import check_case

    texts = _texts(corpus, db)
    loaded, located, file = _case_and_positions(case)
    report = check_case(loaded, texts, located=located, file=file, margin=margin)
    failed = report.source_problems + report.failed
    if json_out:
        data = report.to_json()
        data["sources"] = [
            {"source": p.pointer.doc, "line": p.line, "message": p.message} for p in report.source_problems
        ]
        data["support"] = _support_json(loaded, texts, report)
        print_json(data)
        raise typer.Exit(1 if failed or _too_few_naming(data["support"], min_naming) else 0)
    for p in failed:
        err.print(
            f"{file}:{p.line}:{p.column}: {p.label}: {p.message} ({p.hint})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    for p in report.old_version:
        console.print(
            f"note: {p.label}: [{p.pointer.start}, {p.pointer.end}) of {p.pointer.doc} verifies against "
            f"version {p.version}, "
            "not the current text",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    verified = sum(p.verified for p in report.pointers)
    console.print(
        f"{file}: {verified} of {len(report.pointers)} pointers verify; {len(report.numbers)} numbers",
        highlight=False,
    )
    for title, rows in (
        ("Numbers with no verified evidence", report.unsupported()),
        ("Numbers resting on a single source", report.single_source()),
        (f"Sources disagreeing by more than {margin:.0%} of the scale", report.disagreements()),
    ):
        if not rows:
            console.print(f"{title}: none", highlight=False)
            continue
        table = Table(title=f"{title} ({len(rows)})", title_justify="left")
        for col in ("number", "values", "sources", "spread"):
            table.add_column(col)
        for n in rows:
            values = ", ".join(f"{v:g}" for v, _ in n.values)
            table.add_row(n.label, values, escape(", ".join(sorted(n.sources))), f"{n.spread():.0%}")
        console.print(table)
    summary = _print_support(loaded, texts, report)
    if failed:
        err.print(f"{len(failed)} pointer(s) or source(s) do not verify")
    if _too_few_naming(summary, min_naming):
        err.print(
            f"only {summary['share_naming_actor']:.0%} of stance numbers cite a span naming their actor "
            f"(--min-naming {min_naming:.0%})"
        )
    raise typer.Exit(1 if failed or _too_few_naming(summary, min_naming) else 0)


def _too_few_naming(summary: dict, minimum: float | None) -> bool:
    share = summary.get("share_naming_actor")
    return minimum is not None and share is not None and share < minimum


# ---- support: do the cited spans speak of the number? ------------------------------------------------


def _support_json(case, texts, report) -> dict[str, object]:  # noqa: ANN001 - Case, TextSource, CoverageReport
    from accord.corpus.support import number_support, support_summary

    return support_summary(number_support(case, texts, report))


def _print_support(case, texts, report) -> dict[str, object]:  # noqa: ANN001 - Case, TextSource, CoverageReport
    """The numbers whose verified spans never name their actor, or never their issue's subject."""
    from rich.table import Table

    from accord.cli.main import console
    from accord.corpus.support import number_support, support_summary

    rows = number_support(case, texts, report)
    summary = support_summary(rows)
    for kind, total, named, missing in (
        ("actor", summary["stance_numbers"], summary["naming_actor"], summary["not_naming_actor"]),
        (
            "issue's subject",
            summary["issue_numbers"],
            summary["naming_subject"],
            summary["not_naming_subject"],
        ),
    ):
        share = f" ({named / total:.0%})" if total else ""
        console.print(
            f"Numbers whose cited spans name their {kind}: {named} of {total}{share}", highlight=False
        )
        if not missing:
            continue
        table = Table(
            title=f"Numbers whose cited spans never name their {kind} ({len(missing)})", title_justify="left"
        )
        for col in ("number", "values", "cited spans"):
            table.add_column(col)
        by_label = {r.label: r for r in rows}
        for label in missing:  # type: ignore[union-attr]
            r = by_label[label]
            table.add_row(label, r.values, ", ".join(f"{s.doc}[{s.start}:{s.end}]" for s in r.spans))
        console.print(table)
    console.print("Read them beside their passages with `accord evidence review CASE`.", highlight=False)
    return summary


@app.command("review")
def review_cmd(
    case: CaseArg,
    what: Annotated[
        str | None,
        typer.Argument(help="Only numbers whose label starts with this (an actor id, russia.territory ...)."),
    ] = None,
    corpus: CorpusOpt = None,
    db: DbOpt = None,
    unnamed: Annotated[
        bool, typer.Option("--unnamed", help="Only numbers whose spans never name their actor or subject.")
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print numbers and cited sentences as JSON.")
    ] = False,
) -> None:
    """Print every number beside the sentences it cites, for a reader to confirm that they support it.

    Each span is marked with what it names: [actor] when it names the number's actor (name or alias),
    [subject] when it names the issue's subject; a missing mark is shown as [no actor] / [no subject].
    """
    from rich.markup import escape

    from accord.cli.main import console, err, print_json
    from accord.corpus.check import check_case
    from accord.corpus.support import number_support

    texts = _texts(corpus, db)
    loaded, located, file = _case_and_positions(case)
    report = check_case(loaded, texts, located=located, file=file)
    rows = [
        r
        for r in number_support(loaded, texts, report)
        if what is None or r.label == what or r.label.startswith(what + ".")
    ]
    if unnamed:
        rows = [r for r in rows if r.names_actor is False or r.names_subject is False]
    if what is not None and not rows and not unnamed:
        raise NotFoundError(
            f"{what} names no number in {file}",
            "give an actor id, an issue's status quo (territory.status_quo) or a label such as "
            "russia.territory.position",
        )
    if json_out:
        print_json(
            [
                {
                    "number": r.label,
                    "values": r.values,
                    "names_actor": r.names_actor,
                    "names_subject": r.names_subject,
                    "spans": [
                        {
                            "doc": s.doc,
                            "start": s.start,
                            "end": s.end,
                            "source": s.source,
                            "text": s.text,
                            "names_actor": s.names_actor,
                            "names_subject": s.names_subject,
                        }
                        for s in r.spans
                    ],
                }
                for r in rows
            ]
        )
        return
    for r in rows:
        console.print(f"[bold]{escape(r.label)}[/bold] = {escape(r.values)}", highlight=False, soft_wrap=True)
        if not r.spans:
            err.print("  [red]no verified span[/red]")
        for sp in r.spans:
            marks = [
                m
                for m, flag in (("actor", sp.names_actor), ("subject", sp.names_subject))
                if flag is not None
            ]
            tags = " ".join(f"[{m}]" if getattr(sp, f"names_{m}") else f"[no {m}]" for m in marks)
            console.print(
                f"  {escape(sp.doc)} [{sp.start}, {sp.end}) {escape(tags)}", highlight=False, soft_wrap=True
            )
            console.print(f"    {escape(' '.join(sp.text.split()))}", highlight=False, soft_wrap=True)
        console.print()
    console.print(f"{len(rows)} number(s)", highlight=False)


def _normalise_label(what: str) -> str:
    for kind in ("relation", "event"):
        for sep in (" ", ":", "s."):
            if what.startswith(kind + sep):
                return f"{kind}.{what[len(kind) + len(sep) :]}"
    return what


@app.command("show")
def show_cmd(
    case: CaseArg,
    what: Annotated[
        str,
        typer.Argument(
            help="What to show: actor.issue.attribute (russia.territory.position), actor.capability, "
            "issue.status_quo, relation.ID, event.ID, or a prefix such as an actor id."
        ),
    ],
    corpus: CorpusOpt = None,
    db: DbOpt = None,
    context: Annotated[
        int,
        typer.Option("--context", min=0, help="Characters of context on each side, within the paragraph."),
    ] = 300,
) -> None:
    """Print the passages a number (or relation, event) cites, with their context, read from the corpus."""
    import difflib

    from rich.markup import escape

    from accord.cli.main import console, err
    from accord.corpus.check import check_case
    from accord.spans.segment import paragraph_bounds

    texts = _texts(corpus, db)
    loaded, located, file = _case_and_positions(case)
    report = check_case(loaded, texts, located=located, file=file)
    wanted = _normalise_label(what)
    chosen = [p for p in report.pointers if p.label == wanted or p.label.startswith(wanted + ".")]
    if not chosen:
        labels = sorted({p.label for p in report.pointers})
        close = difflib.get_close_matches(wanted, labels, n=3)
        raise NotFoundError(
            f"{what} names no evidence in {file}",
            f"did you mean {', '.join(close)}?" if close else "e.g. " + ", ".join(labels[:4]),
        )
    values = _estimate_notes(loaded)
    for p in chosen:
        ptr = p.pointer
        head = (
            f"[bold]{escape(p.label)}[/bold]{escape(values.get(p.path[: p.path.index('evidence')], ''))}  "
            if "evidence" in p.path
            else ""
        )
        where = f"{ptr.doc} [{ptr.start}, {ptr.end})" + (
            f" version {p.version}" if p.version is not None else ""
        )
        console.print(f"{head}{escape(where)}", highlight=False, soft_wrap=True)
        if ptr.note:
            console.print(f"  note: {escape(ptr.note)}", highlight=False, soft_wrap=True)
        if not p.verified:
            err.print(f"  [red]does not verify:[/red] {escape(p.message)}", soft_wrap=True)
            continue
        text = dict(texts.versions(ptr.doc))[p.version]
        left, right = paragraph_bounds(text, ptr.start, ptr.end)
        left, right = max(left, ptr.start - context), min(right, ptr.end + context)
        before = ("…" if left > 0 and text[left - 1] != "\n" else "") + text[left : ptr.start]
        after = text[ptr.end : right] + ("…" if right < len(text) and text[right] != "\n" else "")
        cited = escape(text[ptr.start : ptr.end])
        # Reverse video marks the cited span on a terminal; piped output gets visible markers instead.
        marked = f"[reverse]{cited}[/reverse]" if console.is_terminal else f"»{cited}«"
        console.print(f"  {escape(before)}{marked}{escape(after)}", highlight=False, soft_wrap=True)
        console.print()


def _estimate_notes(case) -> dict[tuple, str]:  # noqa: ANN001 - Case
    """A short ' = value (source)' per quantity or estimate path, for headers of `show`."""
    from accord.corpus.check import numbers

    notes: dict[tuple, str] = {}
    for _, path, quantity, _scale in numbers(case):
        if quantity.estimates is not None:
            for i, e in enumerate(quantity.estimates):
                notes[path + ("estimates", i)] = f" = {e.value:g}" + (f" ({e.source})" if e.source else "")
        else:
            notes[path] = f" = {quantity.value:g}"
    return notes


# `evidence suggest` (accord.cli.newcase_cmd)
from accord.cli.newcase_cmd import register_evidence  # noqa: E402

register_evidence(app)
