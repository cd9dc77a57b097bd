"""Events dated by their tie to a dated event: "when the war broke out in April 2016, Russia brokered a
ceasefire", "following clashes in July, Aliyev criticised ...", "a reaction to the violations of June
2012", "a negotiation on 9-10 October which led to the ceasefire".

The first pass (:mod:`accord.extract.events`) gives each date expression one cue. A sentence often
reports more than one happening at that time, the others in its main clause while the dated one sits in
a subordinate clause opened by a connective. This pass finds those connectives and dates the main
clauses' first cue from the subordinated event:

* **simultaneous** ("when", "during", "amid", "on the same day as"): the same date;
* **before or after** ("after", "following", "ahead of", "before", "in the aftermath of", "in reaction
  to"): the date coarsened one step (a day becomes its month, a month its year), since the text says only
  that it was close;
* **consequence** ("led to", "resulted in", "culminated in") right before the cue: the end of the dated
  event (the end of a range).

A connective followed by a definite event noun without a date ("following the ceasefire") points back
to the latest event of that type dated earlier in the document. A subordinated event that repeats one
already reported in the document ("since the 1994 ceasefire", "after the fighting broke out in late
September") is kept: each dated mention is an entry, as an independent annotator lists them. Only cues
in main clauses are dated, one per clause (the others are its objects: "criticised Russia's arms
sales"), never a negated or hypothetical one ("could intervene").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from accord.extract.cue_ties import (
    breakdown_of,
    clause_after_date,
    consequence,
    coordinated,
    coordinated_before,
    duration,
    followed,
    near,
    object_of_tie,
    refine_by_window,
    subsequent,
)
from accord.extract.events import Cue, ExtractedEvent
from accord.extract.numbers import NUMBER, number_value, shift_date
from accord.extract.partial_dates import parse_partial

__all__ = ["DocumentHistory", "refine_by_window", "tie_events"]

_SAME = r"when|during|amid|amidst|in\s+the\s+course\s+of|at\s+the\s+time\s+of|on\s+the\s+same\s+day\s+as"
_SHIFT = (
    r"after|following|ahead\s+of|(?<!than\s)before|prior\s+to|in\s+the\s+(?:aftermath|wake)\s+of|in\s+(?:response|reaction)\s+to|"
    r"(?<=reaction\s)to|(?<=response\s)to|(?<=reactions\s)to|faced\s+(?:by|with)"
)
_REFERENCE = r"since|than|until|till"
_CONNECTIVE = re.compile(
    rf"\b(?:(?P<same>{_SAME})|(?P<shift>{_SHIFT})|(?P<ref>{_REFERENCE}))\b[^,;:.]*$", re.IGNORECASE
)
_SUBORDINATE_START = re.compile(
    rf"[\s,;:()\[\]–—-]*(?:(?:and|but|or)\s+)?(?:{_SAME}|{_SHIFT}|{_REFERENCE}|as|while|if|unless|although|though|because|which|who|whose|that|whereas|where)\b",
    re.IGNORECASE,
)
_PIECE_BREAK = re.compile(r"[;:()\[\]–—]|,\s|\s-\s|\s(?:and|but)\s+(?=[A-Z])")
_NEW_SUBJECT = re.compile(r"[;]|\s(?:and|but)\s+(?=[A-Z])")
_HYPOTHETICAL = re.compile(
    r"\b(?:not|no|never|neither|nor|without|would|could|might|may|will|should|if|unless|n[’']t)\b[^.,;]{0,40}$",
    re.IGNORECASE,
)
# "urged B to launch its offensive": the infinitive's object is what was wanted, not (yet) a happening
_INTENDED = re.compile(
    r"\bto\s+(?!(?:have|be|been|the|a|an|its|their|his|her|this|that|these|those|new|both|each)\b)[a-z]+\s+"
    r"(?:(?:its|their|the|a|an|his|her|new)\s+(?:[\w-]+\s+)?)?$"
)
_ADVERBIAL = re.compile(
    r"[\s\"“(]*(?:(?:in|on|at|by|during|from|since|until|around)\s+)?(?:the\s+)?$", re.IGNORECASE
)
_AT = re.compile(r"[\s\"“(]*(?:at|during)\s+", re.IGNORECASE)
_KIN = {"talks": "summit", "summit": "talks"}  # "at the meeting" after "the leaders met at a summit"
_AFTERMATH = re.compile(
    r"[\s\"“(]*(?:in\s+(?:its|the|their)\s+aftermath|afterwards|soon\s+after(?:wards)?|shortly\s+after(?:wards)?|"
    r"thereafter)\s*,",
    re.IGNORECASE,
)
_CURRENT = re.compile(r"\b(?:the|this)\s+(?:current|ongoing|present)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_ANAPHOR = re.compile(r"\b(?:the|this|that|these|those)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


@dataclass
class DocumentHistory:
    """The events dated so far in a document: for repeated references and for "following the ceasefire"."""

    events: list[ExtractedEvent] = field(default_factory=list)
    now: tuple[str, str] | None = None  # the document's month (or year): "the current round of fighting"

    def latest(self, kind: str) -> ExtractedEvent | None:
        return next((e for e in reversed(self.events) if e.type == kind), None)


@dataclass
class _Anchor:
    """A dated event in a subordinate clause: its connective's kind and where the clause starts."""

    event: ExtractedEvent
    kind: str  # same, shift or ref
    start: int  # the connective's start
    virtual: bool = False  # pointed back to ("following the ceasefire"), not reported here


def _pieces(text: str, s: int, e: int) -> list[tuple[int, int]]:
    bounds = [s] + [m.start() for m in _PIECE_BREAK.finditer(text, s, e)] + [e]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _continues(text: str, a: int) -> bool:
    """A piece opened by 'and X' / 'but X' belongs to the clause before it ("as the Azerbaijani and
    Armenian forces ...": still subordinate; "X called on ... and Y claimed": still main)."""
    return bool(re.match(r"\s(?:and|but)\s", text[a : a + 5]))


def _connective(text: str, lo: int, pos: int) -> re.Match[str] | None:
    """The connective nearest before ``pos`` with no clause break between them."""
    found = None
    while (m := _CONNECTIVE.search(text, lo, pos)) is not None:
        found, lo = m, m.start() + 1
    return found


def _anchors(
    text: str, span: tuple[int, int], primary: list[ExtractedEvent], cues: list[Cue], history: DocumentHistory
) -> list[_Anchor]:
    s, _ = span
    found = []
    for event in primary:
        for pos in (event.cue[0], event.date_span[0]):
            m = _connective(text, max(s, pos - 90), pos)
            if m:
                kind = next(k for k in ("same", "shift", "ref") if m.group(k))
                found.append(_Anchor(event, kind, m.start()))
                break
    first = _pieces(text, *span)[0]
    for event in primary:  # "In 1997, A; B": a time adverbial opening the sentence dates all of it
        if (
            first[0] <= event.date_span[0]
            and event.date_span[1] <= first[1]
            and _ADVERBIAL.fullmatch(text, first[0], event.date_span[0])
            and not any(x.event is event for x in found)
        ):
            found.append(_Anchor(event, "same", event.date_span[0]))
    if primary:
        return found
    opener = _AFTERMATH.match(text, s)
    if opener and history.events:  # "In its aftermath, Russia deployed peacekeepers": after the last event
        found.append(_Anchor(history.events[-1], "shift", s, virtual=True))
        return found
    if (ongoing := _ONGOING.search(text, s, span[1])) and (episode := _ongoing_episode(history)):
        # "ahead of the conflict": the episode still going on as the text is written, within its year
        year = replace(episode, date=episode.date[:4], precision="year", end_date=None)
        found.append(_Anchor(year, "same", ongoing.start(), virtual=True))
    for cue in cues:  # "during the current round of fighting, X told Y": the document's month
        current = _CURRENT.search(text, max(s, cue.start - 50), cue.start)
        m = (
            _connective(text, max(s, current.start() - 40), current.start())
            if current and history.now
            else None
        )
        if current and history.now and m and m.group("same") and m.end(m.lastgroup) >= current.start() - 1:
            now = ExtractedEvent(
                "", s, s, *history.now, cue.type, (), (cue.start, cue.end), (cue.start, cue.end)
            )
            found.append(_Anchor(now, "same", m.start(), virtual=True))
            cue.claimed = True
    for cue in cues:  # "a statement following the ceasefire": the latest ceasefire of the document
        if cue.claimed:
            continue
        before = _ANAPHOR.search(text, max(s, cue.start - 40), cue.start)
        earlier = history.latest(cue.type) or history.latest(_KIN.get(cue.type, cue.type))
        if before is None or earlier is None:
            continue
        at = _AT.fullmatch(text, s, before.start()) if cue.type in _KIN else None
        if at:  # "At the meeting, they agreed": at the dated meeting (opening the sentence)
            found.append(
                _Anchor(replace(earlier, cue=(cue.start, cue.end)), "same", at.start(), virtual=True)
            )
            cue.claimed = True
            continue
        m = _connective(text, max(s, before.start() - 40), before.start())
        if m and not m.group("ref") and m.end(m.lastgroup) >= before.start() - 1:
            kind = "same" if m.group("same") else "shift"
            found.append(_Anchor(replace(earlier, cue=(cue.start, cue.end)), kind, m.start(), virtual=True))
            cue.claimed = True
    return found


_ONGOING = re.compile(
    r"\b(?:ahead\s+of|(?<!than\s)before|prior\s+to|in\s+the\s+run-up\s+to|after|following)\s+the\s+"
    r"(?:(?:current|latest|ongoing|present)\s+)?conflict\b(?!\s+(?:over|between|in|zone|resolution|settlement))",
    re.IGNORECASE,
)


def _ongoing_episode(history: DocumentHistory) -> ExtractedEvent | None:
    """The war or fighting the document dates in its own month or the month before: what "the conflict"
    means when a happening is placed before or after it (the whole, older conflict has no such date)."""
    if history.now is None or history.now[1] != "month":
        return None
    year, month = int(history.now[0][:4]), int(history.now[0][5:7])
    before = f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"
    episodes = [
        ev
        for ev in history.events
        if ev.type in ("war", "clashes") and ev.date[:7] in (history.now[0], before)
    ]
    return min(episodes, key=lambda ev: ev.date, default=None)  # its onset


# ", the Kozak memorandum," after "a federal plan": a short noun phrase naming what was just named
_APPOSITIVE = re.compile(r",\s+(?:the|a|an|its|their)\s+(?:(?![\w-]+ed\b)[\w’'-]+\s*){1,4}", re.IGNORECASE)
_CONDITIONAL = re.compile(r"[\s,;:()\[\]–—-]*(?:(?:and|but|or)\s+)?(?:if|unless)\b", re.IGNORECASE)


def _first_word(text: str, span: tuple[int, int]) -> int:
    """Where the sentence's first date expression may start: past opening quotes, 'In', 'On', 'By'."""
    m = re.match(
        r"[\s\"“(]*(?:(?:in|on|at|by|during|from|since|until|around)\s+)?(?:the\s+)?",
        text[span[0] : span[1]],
        re.I,
    )
    return span[0] + (m.end() if m else 0)


def _main_parts(
    text: str, span: tuple[int, int], anchors: list[_Anchor], primary: list[ExtractedEvent]
) -> list[tuple[int, int]]:
    """Stretches of main clauses: pieces holding no dated event, and what precedes a subordinate clause."""
    parts = []
    subordinate = had_dated = False
    opening = any(
        x.kind == "same" and x.start == x.event.date_span[0] == _first_word(text, span) for x in anchors
    )
    for a, b in _pieces(text, *span):
        inner = [x for x in anchors if a <= x.start < b]
        dated = [e for e in primary if a <= e.cue[0] < b]
        if any(e.date_span[0] > _first_word(text, span) for e in dated):
            opening = False  # "..., and when the war broke out in April 2016, as ...": a new time frame
        if not (_continues(text, a) and not inner):
            subordinate = bool(_SUBORDINATE_START.match(text, a, b))
            if opening and not _CONDITIONAL.match(text, a, b):
                subordinate = False  # "In 2003 X offered a plan, which Y rejected": all of it in 2003
        elif had_dated:
            continue  # "... convened and called on Armenia and Azerbaijan to ...": still the dated clause
        had_dated = bool(dated) or (had_dated and _continues(text, a))
        if inner:
            lo = min(x.start for x in inner)
            if lo > a and not subordinate:
                parts.append((a, lo))
        elif not dated and not subordinate and not _APPOSITIVE.fullmatch(text, a, b):
            parts.append((a, b))
    return parts


_COUNTED = re.compile(
    rf"\b(?P<n>{NUMBER})\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+$", re.IGNORECASE
)
_UNIT_PRECISION = {"day": "day", "week": "month", "month": "month", "year": "year", "decade": "year"}


def _date_for(anchor: _Anchor, text: str = "") -> tuple[str, str, str | None]:
    """The tied cue's date: the anchor's own (simultaneous), counted from it ("a year after the war
    ended in 2020": 2021), or near it (its month or year)."""
    event = anchor.event
    if anchor.kind == "same":
        return event.date, event.precision, event.end_date
    counted = _COUNTED.search(text, max(0, anchor.start - 30), anchor.start) if text else None
    word = text[anchor.start : anchor.start + 6].lower()
    if counted and word.startswith(("after", "before")):
        unit = counted["unit"].lower().rstrip("s")
        n = number_value(counted["n"]) * (10 if unit == "decade" else 1)
        unit = "year" if unit == "decade" else unit
        base = parse_partial(event.end_date or event.date, event.precision)[0]
        when = shift_date(base, unit, n if word.startswith("after") else -n)
        order = ["year", "month", "day"]
        precision = order[min(order.index(_UNIT_PRECISION[unit]), order.index(event.precision))]
        return when.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]], precision, None
    return (*near(event.date, event.precision), None)


def tie_events(
    doc: str,
    text: str,
    span: tuple[int, int],
    primary: list[ExtractedEvent],
    cues: list[Cue],
    actors: tuple[str, ...],
    history: DocumentHistory,
) -> list[ExtractedEvent]:
    """The sentence's events after this pass: the dated ones (minus repeated references) and the tied ones."""
    s, e = span
    anchors = _anchors(text, span, primary, cues, history)
    # A dated event used as a time reference ("the worst violence since the 1994 ceasefire") is still a
    # dated mention of it: an independent reader lists each dated mention, repeats included.
    kept = list(primary)
    tying = [x for x in anchors if x.kind != "ref"]
    tied: list[ExtractedEvent] = []

    def add(
        cue: Cue, date: tuple[str, str, str | None], tie: str, window: tuple[str, str] | None = None
    ) -> None:
        cue.claimed = True
        tied.append(
            ExtractedEvent(
                doc,
                s,
                e,
                date[0],
                date[1],
                cue.type,
                actors,
                (cue.start, cue.end),
                (cue.start, cue.end),
                date[2],
                tie,
                window,
            )
        )

    for cue in cues:
        if cue.claimed:
            continue
        if (date := consequence(text, s, cue, primary)) is not None:
            add(cue, date, "consequence")

        elif (broken := breakdown_of(cue, primary)) is not None:
            add(cue, *broken)
        elif (date := duration(text, s, cue, primary)) is not None:
            add(cue, date, "duration")
        elif (after := clause_after_date(text, cue, primary)) is not None:
            add(cue, *after)
        elif (date := followed(text, cue, primary or history.events[-1:])) is not None:
            add(cue, date, "shift")
        elif (date := coordinated(text, cue, primary)) is not None:
            add(cue, date, "same")
        elif (date := coordinated_before(text, cue, primary)) is not None:
            add(cue, date, "same")
    for cue in cues:
        if not cue.claimed and (date := subsequent(text, s, cue, kept + tied, history.events)) is not None:
            add(cue, date, "shift")
    for a, b in _main_parts(text, span, anchors, primary):
        cue = next((c for c in cues if not c.claimed and a <= c.start and c.end <= b), None)
        if cue is None or not tying:
            continue
        lo = max(a, cue.start - 45)
        if _HYPOTHETICAL.search(text, lo, cue.start) or _INTENDED.search(text, lo, cue.start):
            continue
        nearest = min(tying, key=lambda x: abs(x.start - cue.start))
        add(cue, _date_for(nearest, text), nearest.kind)
    for cue in cues:
        if not cue.claimed and (date := object_of_tie(text, s, cue, kept + tied)) is not None:
            add(cue, date, "shift")
    tied.sort(key=lambda ev: ev.cue[0])
    return sorted(kept + _merge(text, tied), key=lambda ev: ev.cue[0])


def _merge(text: str, tied: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """Consecutive tied cues of one type are one happening ("Speaking ahead of X, Y declared"), unless a
    new subject starts between them ("X called on ... and Y claimed")."""
    out: list[ExtractedEvent] = []
    for event in tied:
        if (
            out
            and out[-1].type == event.type
            and (out[-1].date, out[-1].precision) == (event.date, event.precision)
            and not _NEW_SUBJECT.search(text, out[-1].cue[1], event.cue[0])
        ):
            continue
        out.append(event)
    return out
