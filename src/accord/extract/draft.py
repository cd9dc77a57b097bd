"""Turning extractions into a draft case, and merging a draft's new items into a case file.

A **draft** is a complete case YAML that ``accord case validate`` accepts: the case's ``case`` block
(with sources added for the extracted documents), its actors and issues copied, no stances, and the
extracted relations and events, each citing the sentence it came from by pointer (doc, span, sha256)
with the cue in the note. Events after the case's ``as_of`` are left out (reported in ``skipped``).

**Merging** appends only what the case lacks (events by document, date, precision and type; relations
by type and actors) to the case file as text, so its comments, anchors and layout survive; the result
is validated before anyone is asked to accept it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import yaml

from accord.case.model import Case, parse_partial_date
from accord.extract.pipeline import ExtractedEvent, ExtractedRelation, Extraction
from accord.spans.pointers import sha256_text

__all__ = ["DocInput", "Draft", "build_draft", "merge_text"]

MAX_EVIDENCE = 5


@dataclass(frozen=True)
class DocInput:
    """One extracted document with what the draft needs to cite it."""

    doc: str
    text: str
    extraction: Extraction
    title: str | None = None
    date: str | None = None
    date_precision: str | None = None
    publisher: str | None = None
    author: str | None = None


@dataclass
class Draft:
    data: dict
    events: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    new_sources: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        header = "# Draft from `accord extract`: review every item before merging it into a case.\n"
        return header + yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=120)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-")[:70] or "x"


def _pointer(doc: DocInput, start: int, end: int, note: str) -> dict:
    return {
        "doc": doc.doc,
        "start": start,
        "end": end,
        "sha256": sha256_text(doc.text[start:end]),
        "note": note,
    }


def _source(doc: DocInput) -> dict:
    entry = {"id": doc.doc, "title": doc.title or doc.doc, "date": doc.date or "1900"}
    precision = doc.date_precision
    if precision not in ("day", "month", "year", "estimated"):
        precision = {10: "day", 7: "month", 4: "year"}.get(len(entry["date"]), "estimated")
    entry["date_precision"] = precision
    for key in ("publisher", "author"):
        if getattr(doc, key):
            entry[key] = getattr(doc, key)
    entry["sha256"] = sha256_text(doc.text)
    return entry


def _event_item(doc: DocInput, event: ExtractedEvent, ids: Counter) -> dict:
    base = _slug(f"{event.type}-{event.date}-{doc.doc[:12]}")
    ids[base] += 1
    cue = doc.text[event.cue[0] : event.cue[1]]
    item = {
        "id": base if ids[base] == 1 else f"{base}-{ids[base]}",
        "date": event.date,
        "precision": event.precision,
    }
    if event.end_date and len(event.end_date) == len(event.date):
        item["end_date"] = event.end_date
    item["type"] = event.type
    who = ", ".join(event.actors[:4])
    item["title"] = f"{event.type.replace('_', ' ').capitalize()} ({event.date})" + (
        f": {who}" if who else ""
    )
    item["actors"] = list(event.actors)
    tie = (
        f"; no date of its own, dated by its tie to a dated event ({_TIES.get(event.tie, event.tie)})"
        if event.tie
        else ""
    )
    item["evidence"] = [_pointer(doc, event.start, event.end, f"extracted; cue '{cue}'{tie}")]
    return item


_TIES = {
    "same": "at the same time",
    "shift": "shortly before or after it: the date one step coarser",
    "consequence": "its outcome: the end of the dated event",
    "duration": "a stretch of time ending at it",
}


def _relation_items(docs: list[DocInput]) -> tuple[list[dict], list[str]]:
    groups: dict[tuple, list[tuple[DocInput, ExtractedRelation]]] = defaultdict(list)
    for doc in docs:
        for rel in doc.extraction.relations:
            groups[rel.key].append((doc, rel))
    items, skipped = [], []
    for key, found in groups.items():
        rel_type, from_, to = key
        item: dict = {"id": _slug(f"{rel_type}-{from_}-{to or 'parties'}"), "type": rel_type, "from": from_}
        if rel_type == "mediation":
            parties = _mediation_parties(found, from_)
            if len(parties) >= 2:
                item["parties"] = parties[:2]
            elif parties:
                item["to"] = parties[0]
            else:
                skipped.append(f"mediation by {from_}: no party named near the cue")
                continue
        else:
            item["to"] = to
        shares = [r.share for _, r in found if r.share is not None]
        periods = [r.period for _, r in found if r.period is not None]
        sinces = [r.since for _, r in found if r.since is not None]
        if shares:
            item["share"] = shares[0]
        if periods:
            item["period"] = {"start": periods[0][0], "end": periods[0][1]}
        if sinces:
            item["since"] = sinces[0]
        seen, evidence = set(), []
        for doc, rel in found:
            if (doc.doc, rel.start) in seen:
                continue
            seen.add((doc.doc, rel.start))
            evidence.append(
                _pointer(doc, rel.start, rel.end, f"extracted; cue '{doc.text[rel.cue[0] : rel.cue[1]]}'")
            )
        item["evidence"] = evidence[:MAX_EVIDENCE]
        items.append(item)
    return items, skipped


def _mediation_parties(found: list[tuple[DocInput, ExtractedRelation]], mediator: str) -> list[str]:
    counts: Counter = Counter()
    for doc, rel in found:
        for m in doc.extraction.mentions:
            if rel.start <= m.start < rel.end and m.actor != mediator and not m.topic:
                counts[m.actor] += 1
    return [a for a, _ in counts.most_common()]


def build_draft(case: Case, docs: list[DocInput]) -> Draft:
    """A full case YAML (as data) with the case's meta, actors and issues and the extracted items."""
    meta = case.case.model_dump(mode="json", by_alias=True, exclude_none=True)
    known = {s["id"] for s in meta["sources"]}
    new_sources = [_source(d) for d in docs if d.doc not in known]
    meta["sources"] = meta["sources"] + new_sources
    as_of = parse_partial_date(case.case.as_of)[0]
    ids: Counter = Counter()
    events, skipped = [], []
    for doc in docs:
        for event in doc.extraction.events:
            if parse_partial_date(event.date)[0] > as_of:
                skipped.append(
                    f"{doc.doc}: event {event.date} ({event.type}) "
                    f"is after the case's as_of {case.case.as_of}"
                )
                continue
            events.append(_event_item(doc, event, ids))
    relations, rel_skipped = _relation_items(docs)
    data = {
        "format": 1,
        "case": meta,
        "actors": [a.model_dump(mode="json", by_alias=True, exclude_none=True) for a in case.actors],
        "issues": [i.model_dump(mode="json", by_alias=True, exclude_none=True) for i in case.issues],
        "relations": relations,
        "events": events,
    }
    return Draft(data, events, relations, new_sources, skipped + rel_skipped)


# ---------------------------------------------------------------------------------------------------
# Merging into a case file, as text
# ---------------------------------------------------------------------------------------------------


def new_items(case: Case, draft: Draft) -> tuple[list[dict], list[dict], list[dict]]:
    """The draft's events, relations and sources that the case does not have yet."""
    have_events = {(p.doc, e.date, e.precision.value, e.type.value) for e in case.events for p in e.evidence}
    have_relations = {(r.type.value, r.from_, r.to) for r in case.relations}
    have_relations |= {(t, b, a) for t, a, b in have_relations}
    have_ids = {e.id for e in case.events} | {r.id for r in case.relations}
    events = [
        e
        for e in draft.events
        if (e["evidence"][0]["doc"], e["date"], e["precision"], e["type"]) not in have_events
    ]
    relations = [r for r in draft.relations if (r["type"], r["from"], r.get("to")) not in have_relations]
    for item in events + relations:
        while item["id"] in have_ids:
            item["id"] += "-x"
    cited = {p["doc"] for item in events + relations for p in item["evidence"]}
    known = {s.id for s in case.case.sources}
    sources = [s for s in draft.new_sources if s["id"] in cited and s["id"] not in known]
    return events, relations, sources


def _dump_items(items: list[dict], indent: int) -> str:
    text = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=120)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _append_to_list(text: str, key: str, items: list[dict], key_indent: int = 0) -> str:
    """Append ``items`` to the block list under ``key`` (at ``key_indent``), or add the key at the end."""
    if not items:
        return text
    lines = text.splitlines(keepends=True)
    pattern = re.compile(rf"^{' ' * key_indent}{re.escape(key)}:\s*(\[\s*\])?\s*(#.*)?$")
    for i, line in enumerate(lines):
        match = pattern.match(line.rstrip("\n"))
        if not match:
            continue
        if match.group(1):  # "events: []" -> a block list
            lines[i] = f"{' ' * key_indent}{key}:\n"
            return "".join(lines[: i + 1]) + _dump_items(items, key_indent + 2) + "".join(lines[i + 1 :])
        end = i + 1
        item_indent = None
        for j in range(i + 1, len(lines)):
            stripped = lines[j].strip()
            if not stripped or stripped.startswith("#"):
                continue
            indent = len(lines[j]) - len(lines[j].lstrip(" "))
            if indent <= key_indent and not (indent == key_indent and stripped.startswith("- ")):
                break
            if item_indent is None and stripped.startswith("- "):
                item_indent = indent
            end = j + 1
        block = _dump_items(items, item_indent if item_indent is not None else key_indent + 2)
        return "".join(lines[:end]) + block + "".join(lines[end:])
    if key_indent:
        raise ValueError(f"no '{key}:' list found to extend")
    tail = "" if text.endswith("\n") else "\n"
    return text + tail + f"{key}:\n" + _dump_items(items, 2)


def merge_text(case_text: str, events: list[dict], relations: list[dict], sources: list[dict]) -> str:
    """The case file's text with the new sources, relations and events appended (layout kept)."""
    text = _append_to_list(case_text, "sources", sources, key_indent=2)
    text = _append_to_list(text, "relations", relations)
    return _append_to_list(text, "events", events)
