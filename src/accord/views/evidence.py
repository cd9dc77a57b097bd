"""Evidence for the pages: passages with their context, and every number of a case by its ref.

Evidence references ("refs") name one number or item of a case with ``/``-separated parts, because case
ids may contain dots:

* ``issue/<issue>/status_quo``
* ``stance/<actor>/capability`` and ``stance/<actor>/<issue>/position|salience|capability``
* ``relation/<id>`` and ``event/<id>``
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.case.model import Case, Pointer, Quantity
from accord.spans.pointers import Corpus, sentence_bounds, sha256_text

CONTEXT_CHARS = 420  # at most this much text either side of a cited span


class EvidenceNotFound(LookupError):
    """The ref names nothing in the case (unknown actor, issue, relation ...)."""


# ---------------------------------------------------------------------------------------------------
# Passages
# ---------------------------------------------------------------------------------------------------


@dataclass
class PassageSource:
    """Where passage texts come from: the corpus folder first, then an optional corpus store.

    Documents are looked up by id only (never by path), so no request can make the server read a file
    it was not configured to read.
    """

    corpus: Corpus | None = None
    store_text: Callable[[str], str | None] | None = None
    titles: dict[str, str] = field(default_factory=dict)

    def text(self, doc: str) -> str | None:
        if self.corpus is not None and doc in self.corpus:
            return self.corpus.text(doc)
        if self.store_text is not None:
            try:
                return self.store_text(doc)
            except Exception:  # noqa: BLE001 - a broken store must not break evidence display
                return None
        return None

    @property
    def available(self) -> bool:
        return self.corpus is not None or self.store_text is not None


def _trim_left(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < 40 else cut)


def _trim_right(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit - 40 else cut) + "…"


def passage(
    source: PassageSource, doc: str, start: int, end: int, sha256: str | None = None
) -> dict[str, Any]:
    """The cited span with a sentence of context either side, and whether it still hashes to ``sha256``."""
    out: dict[str, Any] = {
        "doc": doc,
        "start": start,
        "end": end,
        "title": source.titles.get(doc),
        "found": False,
    }
    text = source.text(doc)
    if text is None or not 0 <= start < end <= len(text):
        out["problem"] = "document not in the corpus" if text is None else "span out of range"
        return out
    cited = text[start:end]
    before_start = sentence_bounds(text, max(0, start - 2), max(0, start - 1))[0] if start > 1 else 0
    after_end = (
        sentence_bounds(text, min(len(text), end + 1), min(len(text), end + 2))[1]
        if end < len(text) - 1
        else len(text)
    )
    out.update(
        found=True,
        text=cited,
        before=_trim_left(text[before_start:start], CONTEXT_CHARS),
        after=_trim_right(text[end:after_end], CONTEXT_CHARS),
        verified=None if sha256 is None else sha256_text(cited) == sha256,
    )
    return out


def _pointer(p: Pointer, source: PassageSource | None) -> dict[str, Any]:
    data: dict[str, Any] = {"doc": p.doc, "start": p.start, "end": p.end, "sha256": p.sha256, "note": p.note}
    if source is not None and source.available:
        data["passage"] = passage(source, p.doc, p.start, p.end, p.sha256)
    return data


def _quantity(q: Quantity, source: PassageSource | None, case: Case | None = None) -> dict[str, Any]:
    return {
        "point": q.point,
        "bounds": list(q.bounds),
        "estimates": [
            {
                "value": e.value,
                "low": e.low,
                "high": e.high,
                "sources": list(e.sources),
                "date": _reading_date(case, e),
                "carry_over": e.carry_over,
                "note": e.note,
                "pointers": [_pointer(p, source) for p in e.evidence],
            }
            for e in q.all_estimates
        ],
    }


def _reading_date(case: Case | None, estimate: Any) -> str | None:
    when = case.reading_date(estimate) if case is not None else None
    return when.isoformat() if when is not None else estimate.date


# ---------------------------------------------------------------------------------------------------
# Evidence refs
# ---------------------------------------------------------------------------------------------------


def _find(items: Iterable[Any], key: str, value: str, what: str) -> Any:
    for item in items:
        if getattr(item, key) == value:
            return item
    raise EvidenceNotFound(f"no {what} {value!r} in this case")


def _stance_quantity(case: Case, parts: list[str]) -> tuple[str, Quantity]:
    stance = _find(case.stances, "actor", parts[0], "stance of actor")
    actor = case.actor(stance.actor).name
    if parts[1:] == ["capability"]:
        return f"{actor}: capability", stance.capability
    if len(parts) != 3 or parts[2] not in ("position", "salience", "capability"):
        raise EvidenceNotFound(
            "a stance ref is stance/ACTOR/capability or stance/ACTOR/ISSUE/position|salience|capability"
        )
    issue_stance = stance.issues.get(parts[1])
    if issue_stance is None:
        raise EvidenceNotFound(f"actor {parts[0]!r} holds no stance on issue {parts[1]!r}")
    q = getattr(issue_stance, parts[2]) or (stance.capability if parts[2] == "capability" else None)
    return f"{actor}: {parts[2]} on {parts[1]}", q


def evidence_for(case: Case, ref: str, source: PassageSource | None = None) -> dict[str, Any]:
    """Everything behind one number or item of the case: its estimates, pointers and cited passages.

    Sources are named by title and date (``source_names``, and ``title``/``date`` on every pointer); the
    document ids stay beside them for links.
    """
    item = _evidence_item(case, ref, source)
    named = {s.id: s for s in case.case.sources}
    for est in item["estimates"]:
        est["source_names"] = [
            f"{named[d].title} ({named[d].date})" if d in named else d for d in est["sources"]
        ]
        for p in est["pointers"]:
            doc = named.get(p["doc"])
            p["title"], p["date"] = (doc.title, doc.date) if doc else (None, None)
    return item


def _evidence_item(case: Case, ref: str, source: PassageSource | None) -> dict[str, Any]:
    kind, _, rest = ref.partition("/")
    parts = rest.split("/") if rest else []
    if kind == "issue" and len(parts) == 2 and parts[1] == "status_quo":
        issue = _find(case.issues, "id", parts[0], "issue")
        return {
            "ref": ref,
            "kind": kind,
            "label": f"Status quo of {issue.id}: {issue.question}",
            **_quantity(issue.status_quo, source, case),
        }
    if kind == "stance" and len(parts) in (2, 3):
        label, q = _stance_quantity(case, parts)
        return {"ref": ref, "kind": kind, "label": label, **_quantity(q, source, case)}
    if kind == "issue" and len(parts) == 2 and parts[1] == "consent":
        issue = _find(case.issues, "id", parts[0], "issue")
        if issue.consent is None:
            raise EvidenceNotFound(f"issue {parts[0]!r} needs no one's consent")
        estimate = {
            "value": None,
            "low": None,
            "high": None,
            "sources": [],
            "note": issue.consent.note,
            "pointers": [_pointer(p, source) for p in issue.consent.evidence],
        }
        label = f"Consent on {issue.id}: " + ", ".join(issue.consent.actors)
        return {
            "ref": ref,
            "kind": kind,
            "label": label,
            "point": None,
            "bounds": None,
            "estimates": [estimate],
        }
    if kind in ("relation", "event", "state") and len(parts) == 1:
        items = {"relation": case.relations, "event": case.events, "state": case.states}[kind]
        item = _find(items, "id", parts[0], kind)
        if kind == "state":
            label = f"state {item.id}: {'holds' if item.holds else 'does not hold'} ({item.description})"
        elif kind == "relation":
            label = f"{item.type.value}: {item.from_} → {' & '.join(item.ends[1:])}"
        else:
            label = f"{item.date} {item.title}"
        note = item.outcome if kind == "event" else item.note
        estimate = {
            "value": None,
            "low": None,
            "high": None,
            "sources": [],
            "note": note,
            "pointers": [_pointer(p, source) for p in item.evidence],
        }
        return {
            "ref": ref,
            "kind": kind,
            "label": label,
            "point": None,
            "bounds": None,
            "estimates": [estimate],
        }
    raise EvidenceNotFound(
        f"not an evidence ref: {ref!r} (e.g. stance/russia/territory/position, relation/ID, event/ID)"
    )


def all_refs(case: Case) -> list[str]:
    """Every ref of the case, in the order a reader meets them (issues, stances, relations, events)."""
    refs = [f"issue/{i.id}/status_quo" for i in case.issues]
    for stance in case.stances:
        refs.append(f"stance/{stance.actor}/capability")
        for issue_id, s in stance.issues.items():
            refs += [f"stance/{stance.actor}/{issue_id}/{attr}" for attr in ("position", "salience")]
            if s.capability is not None:
                refs.append(f"stance/{stance.actor}/{issue_id}/capability")
    refs += [f"issue/{i.id}/consent" for i in case.issues if i.consent is not None]
    refs += [f"relation/{r.id}" for r in case.relations]
    refs += [f"state/{s.id}" for s in case.states]
    refs += [f"event/{e.id}" for e in case.events]
    return refs


def evidence_table(case: Case, source: PassageSource | None = None) -> list[dict[str, Any]]:
    """One row per pointer: what it supports, the source's value and the value used, the source by title
    and date, the document and span (and, with a corpus, the passage)."""
    rows = []
    for ref in all_refs(case):
        item = evidence_for(case, ref, source)
        for est in item["estimates"]:
            for p in est["pointers"]:
                named = "; ".join(est["source_names"]) or (
                    f"{p['title']} ({p['date']})" if p["title"] else p["doc"]
                )
                rows.append(
                    {
                        "ref": ref,
                        "label": item["label"],
                        "value": est["value"],
                        "low": est["low"],
                        "high": est["high"],
                        "used": item["point"],
                        "source": named,
                        **p,
                    }
                )
    return rows
