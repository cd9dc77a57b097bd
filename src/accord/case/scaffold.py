"""A case scaffold from a folder of texts: a commented draft case YAML for a person to fill in.

``accord case new`` writes it. What the texts can give is filled in: the sources (id = file stem,
title, date, sha256 of the text), the actors they name (:mod:`accord.case.mentions`, with aliases),
and the dated events and relations that ``accord extract`` proposes (passed in by the caller, which
owns extraction). What only a reader can decide is left as a to-do slot (``null`` values and empty
evidence lists, which ``accord case validate --draft`` lists as a checklist): each issue's question,
scale and status quo, and each actor's capability, position and salience, every slot with the
sentences most likely to state it as ready-to-paste pointers in a comment.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from accord.case.mentions import ProposedActor
from accord.case.model import parse_partial_date
from accord.case.passages import ATTRIBUTE_CUES, Passage, index_sentences, rank_passages, slot_query
from accord.spans.pointers import sha256_text

__all__ = ["IssueSlot", "ScaffoldDoc", "ScaffoldInput", "default_as_of", "render_scaffold"]


@dataclass(frozen=True)
class ScaffoldDoc:
    """One text of the corpus with what is known of it (title and date from --meta or the text)."""

    doc: str
    text: str
    title: str | None = None
    date: str | None = None
    date_precision: str | None = None
    publisher: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class IssueSlot:
    """An issue to fill in: its id and words that a passage stating it would use."""

    id: str
    words: str = ""


@dataclass
class ScaffoldInput:
    id: str
    title: str
    as_of: str
    docs: list[ScaffoldDoc]
    actors: list[ProposedActor]
    issues: list[IssueSlot] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    description: str | None = None
    candidates: int = 2


def default_as_of(docs: Sequence[ScaffoldDoc], today: dt.date | None = None) -> str:
    """The last day covered by the latest source date; today when no source has a date."""
    ends = []
    for d in docs:
        try:
            start, precision = parse_partial_date(d.date or "")
        except ValueError:
            continue
        if precision.value == "year":
            start = dt.date(start.year, 12, 31)
        elif precision.value == "month":
            start = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
        ends.append(start)
    return (max(ends) if ends else today or dt.date.today()).isoformat()


def _q(value: object) -> str:
    """A YAML scalar: text double-quoted (valid YAML), numbers and null plain."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _pointer_line(p: Passage) -> str:
    return f"{{doc: {p.doc}, start: {p.start}, end: {p.end}, sha256: {p.sha256}}}"


class _Writer:
    def __init__(self, spec: ScaffoldInput):
        self.spec = spec
        self.lines: list[str] = []
        self.index = index_sentences({d.doc: d.text for d in spec.docs})

    def add(self, text: str = "") -> None:
        self.lines.append(text)

    def candidates(self, indent: int, query: str, require: Sequence[str], n: int) -> None:
        found = rank_passages(self.index, query, require=require, limit=n)
        pad = " " * indent
        if not found:
            self.add(
                f'{pad}# (no passage found: `accord evidence locate DOC "words" --corpus DIR` makes a '
                "pointer)"
            )
        for p in found:
            self.add(f"{pad}#   - {_pointer_line(p)}  # {p.preview()}")

    def quantity(self, indent: int, key: str, scale: str, query: str, require: Sequence[str]) -> None:
        pad = " " * indent
        self.add(f"{pad}{key}:")
        self.add(f"{pad}  value: null  # TODO {scale}")
        self.add(f"{pad}  evidence: []  # TODO the passages behind the number; candidates:")
        self.candidates(indent + 2, query, require, self.spec.candidates)


def _header(spec: ScaffoldInput) -> list[str]:
    return [
        f"# Scaffold of case {spec.id!r} from {len(spec.docs)} text(s), written by `accord case new`.",
        "# It is a draft: `accord case validate FILE --draft --corpus DIR` lists what remains to fill in.",
        "# How to fill it in:",
        "#  1. Check the actors: delete those that take no part, merge duplicates, fix kinds marked "
        "'guessed'.",
        "#  2. For each issue: write the question, what 0 and 100 mean, and the status quo (0-100) with "
        "evidence.",
        "#     Rename issue ids as you like (then rename them under stances too); add issues by copying one.",
        "#  3. For each actor and issue: position (0-100 on the issue's scale) and salience (0-1); and the",
        "#     actor's capability (0-1). Leave an actor's slots null and it simply takes no part yet.",
        "#  4. Every number cites evidence: paste a pointer from the candidates in the comments, or find "
        "one with",
        "#     `accord evidence suggest FILE actor.issue.position --corpus DIR --write` or `accord "
        "evidence locate`.",
        "#     A pointer is {doc, start, end, sha256} of a span of a text; add a note in your own words.",
        "#  5. Review the proposed relations and events (from `accord extract`); delete what is wrong.",
        "# The case runs (`accord run FILE`) once every issue is complete and every number cites evidence.",
    ]


def _case_block(w: _Writer) -> None:
    spec = w.spec
    w.add("format: 1")
    w.add("case:")
    w.add(f"  id: {spec.id}")
    w.add(f"  title: {_q(spec.title)}")
    w.add('  version: "1"')
    w.add(f"  as_of: {_q(spec.as_of)}  # the day the case describes; no event may be later")
    if spec.description:
        w.add(f"  description: {_q(spec.description)}")
    else:
        w.add("  description: null  # TODO a sentence or two: the conflict, and what the case asks")
    w.add("  sources:")
    for d in spec.docs:
        w.add(f"    - id: {_q(d.doc)}")
        w.add(f"      title: {_q(d.title or d.doc)}" + ("" if d.title else "  # TODO the document's title"))
        if d.date:
            w.add(f"      date: {_q(d.date)}")
            w.add(f"      date_precision: {d.date_precision or 'day'}")
        else:
            w.add(
                "      date: null  # TODO when it was written (YYYY-MM-DD, YYYY-MM or YYYY); none found "
                "in the text"
            )
            w.add("      date_precision: estimated")
        for key in ("publisher", "author"):
            if getattr(d, key):
                w.add(f"      {key}: {_q(getattr(d, key))}")
        w.add(f"      sha256: {sha256_text(d.text)}")


def _actors_block(w: _Writer) -> None:
    w.add("actors:")
    if not w.spec.actors:
        w.add("  []  # TODO no names found in the texts: add the actors by hand")
    for a in w.spec.actors:
        docs = f"{len(a.docs)} text(s)"
        guessed = (
            "; kind guessed: check it (state, de_facto_state, organisation, alliance, leader)"
            if a.kind_guessed
            else ""
        )
        w.add(f"  # named {a.mentions} time(s) in {docs}; from the {a.origin}{guessed}")
        w.add(f"  - id: {a.id}")
        w.add(f"    name: {_q(a.name)}")
        w.add(f"    kind: {a.kind}")
        w.add(f"    aliases: [{', '.join(_q(x) for x in a.aliases)}]")


def _forms(a: ProposedActor) -> list[str]:
    return [a.name, *a.aliases]


def _issues_block(w: _Writer) -> None:
    w.add("issues:")
    for issue in w.spec.issues:
        words = f"{issue.id.replace('-', ' ')} {issue.words}".strip()
        w.add(f"  - id: {issue.id}")
        w.add("    question: null  # TODO the question the issue asks, e.g. 'Who administers the north?'")
        w.add("    scale:")
        w.add("      min_label: null  # TODO what 0 means, concretely")
        w.add("      max_label: null  # TODO what 100 means, concretely")
        w.quantity(
            4,
            "status_quo",
            "where things stand today, 0-100 on the scale",
            f"{words} {ATTRIBUTE_CUES['status_quo']}",
            [],
        )


def _stances_block(w: _Writer) -> None:
    w.add("stances:")
    w.add(
        "  # One block per actor. Slots left null are to-dos; an actor whose slots are all null takes no "
        "part."
    )
    for a in w.spec.actors:
        forms = _forms(a)
        w.add(f"  - actor: {a.id}")
        w.quantity(
            4,
            "capability",
            "0-1: its share of the power to sway the outcome",
            slot_query(forms, "", "capability"),
            forms,
        )
        w.add("    issues:")
        for issue in w.spec.issues:
            words = f"{issue.id.replace('-', ' ')} {issue.words}".strip()
            w.add(f"      {issue.id}:")
            w.quantity(
                8, "position", "0-100 on the issue's scale", slot_query(forms, words, "position"), forms
            )
            w.quantity(
                8,
                "salience",
                "0-1: how much the issue matters to it",
                slot_query(forms, words, "salience"),
                forms,
            )


def _items_block(w: _Writer, key: str, items: list[dict], what: str) -> None:
    if not items:
        w.add(f"{key}: []  # none proposed; `accord extract` can add {what} later")
        return
    w.add(
        f"{key}:  # proposed by `accord extract`, each citing its sentence: review and delete what is wrong"
    )
    body = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=120)
    w.lines += ["  " + line if line.strip() else line for line in body.splitlines()]


def render_scaffold(spec: ScaffoldInput) -> str:
    """The scaffold's YAML text, commented."""
    w = _Writer(spec)
    w.lines += _header(spec)
    _case_block(w)
    _actors_block(w)
    _issues_block(w)
    _stances_block(w)
    _items_block(w, "relations", spec.relations, "relations")
    _items_block(w, "events", spec.events, "events")
    return "\n".join(w.lines) + "\n"
