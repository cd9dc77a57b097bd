"""Rule-based extraction of actor mentions, dated events and relations from one text, with spans.

Pure functions: a text, its document id and date, and the case's actors go in; records with spans come
out (:class:`Extraction`). Storage, case files and the CLI live elsewhere.

How it works, sentence by sentence (sentences from :mod:`accord.spans.segment`):

* **Actors**: every name and alias of the case's actors, longest first, on word boundaries. A name
  directly followed by "conflict", "region", "issue" ... names the topic, not a participant.
* **Events** (:mod:`accord.extract.events`): each date expression (:mod:`accord.extract.dates`,
  resolved against the document date) is attached to one event cue of the cue lexicon
  (:data:`EVENT_CUES`): first a cue right after a date used as a modifier ("the 2011 Kazan summit"),
  then the nearest cue in the date's own clause (before the date, then after), then the nearest
  unclaimed cue in the neighbouring clauses. A cue serves one date, except that a list of dates ("in
  2014, in April 2016 and this past July") shares it. Events scheduled within a year of the document
  count (an independent reader lists them); later ones are dropped (deadlines, terms).
* **Ties** (:mod:`accord.extract.ties`): main-clause cues no date claimed are dated through a dated
  event they are tied to ("when", "after", "following the ceasefire", "led to", "In 1997, ..."); a
  repeated dated event used as a comparison ("since the 1994 ceasefire") is still a dated mention and
  counts; the document's earlier events are kept in a :class:`~accord.extract.ties.DocumentHistory`
  for "following the ceasefire".
* **Refinement**: an event dated coarsely within a window of days ("over the weekend", a breach soon
  after a dated ceasefire) takes the one day the document gives the same kind of event inside it.
* **Relations**: cue patterns per type (:data:`RELATION_CUES`) with role rules: "X as a mediator",
  "brokered by X", "arms sales to X", "X's support for Y", "alliance with X", "member of X"; when a
  rule finds no actor the nearest mention in the clause is used. A negation just before the cue
  ("not", "no", "neither", "refrain") drops it. Arms supply picks up a share ("55% of X's arms
  imports") and a period (a date range in the sentence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.extract.actors import ActorMention, ActorResolver
from accord.extract.cue_ties import broken_ceasefires
from accord.extract.dates import Anchor, find_dates
from accord.extract.events import EVENT_CUES, ExtractedEvent, sentence_events
from accord.extract.frames import (
    ReactionFrame,
    frame_statement,
    onset_in_paragraph,
    open_frame,
    perfect_in_episode,
    resumed,
    said_there,
)
from accord.extract.relations import RELATION_CUES, UNDIRECTED, ExtractedRelation, relations_in_sentence
from accord.extract.series import successors
from accord.extract.ties import DocumentHistory, refine_by_window, tie_events
from accord.spans.segment import sentences

__all__ = [
    "ActorMention",
    "ActorResolver",
    "ExtractedEvent",
    "ExtractedRelation",
    "Extraction",
    "EVENT_CUES",
    "RELATION_CUES",
    "UNDIRECTED",
    "extract",
]


@dataclass
class Extraction:
    doc: str
    mentions: list[ActorMention] = field(default_factory=list)
    events: list[ExtractedEvent] = field(default_factory=list)
    relations: list[ExtractedRelation] = field(default_factory=list)


def _document_month(anchor: Anchor | None) -> tuple[str, str] | None:
    if anchor is None:
        return None
    if anchor.precision == "year":
        return f"{anchor.date.year:04d}", "year"
    return f"{anchor.date.year:04d}-{anchor.date.month:02d}", "month"


_HEADING_WORDS = 14


def _heading(text: str, s: int, e: int) -> bool:
    """A line of its own, short, without digits or a sentence's final stop: a title, a section heading (a
    chronology's line, "12 May 1994: truce signed", has its date in figures and is read)."""
    line = text[s:e].strip()
    alone = (s == 0 or text[s - 1] == "\n") and (e == len(text) or text[e : e + 1] in ("\n", ""))
    short = bool(line) and len(line.split()) <= _HEADING_WORDS and not any(c.isdigit() for c in line)
    return alone and short and line[-1] not in '.!?"”’)'


def extract(text: str, doc: str, resolver: ActorResolver, anchor: Anchor | None = None) -> Extraction:
    """Actor mentions, dated events and relations of one document, each with its span."""
    result = Extraction(doc)
    all_dates = find_dates(text, anchor)
    mentions = resolver.find(text)
    result.mentions = mentions
    history = DocumentHistory(now=_document_month(anchor))
    today = anchor.date.isoformat() if anchor is not None and anchor.precision == "day" else None
    frame: ReactionFrame | None = None
    for span in sentences(text):
        s, e = span
        if _heading(text, s, e):
            continue  # a title or heading names a topic; the text's own sentences report what happened
        dates = [d for d in all_dates if s <= d.start and d.end <= e]
        here = [m for m in mentions if s <= m.start and m.end <= e]
        dated, cues = sentence_events(doc, text, span, dates, here, anchor)
        actors = tuple(dict.fromkeys(m.actor for m in here if not m.topic))
        events = tie_events(doc, text, span, dated, cues, actors, history)
        if frame is not None and (s >= frame.until or dates):
            frame = None
        if frame is not None and not events and (said := frame_statement(doc, text, span, frame, actors)):
            events = [said]
        if not dates and not events:
            previous = history.events[-1] if history.events else None
            events = resumed(doc, text, span, previous, actors)
            if not events and (said := said_there(doc, text, span, previous, actors)):
                events = [said]
            if not events and (during := perfect_in_episode(doc, text, span, history.events, today, actors)):
                events = [during]
            if not events and (begun := onset_in_paragraph(doc, text, span, history.events, actors)):
                events = [begun]
        opened = open_frame(text, span, bool(dates), history.events)
        if opened is not None and not events and (said := frame_statement(doc, text, span, opened, actors)):
            events = [said]  # "X's reaction to the incidents came late": the sentence is a reaction itself
        frame = opened or frame
        events += successors(doc, text, span, dates, actors, history.events + events)
        history.events += events
        result.events += events
        result.relations += relations_in_sentence(doc, text, span, dates, here, resolver.kinds)
    result.events = broken_ceasefires(text, refine_by_window(result.events))
    return result
