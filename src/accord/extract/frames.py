"""Statements dated by the paragraph's frame: "The two allies read the new flare-up differently; their
takes on it ... A accused B of ... C merely said ...".

A sentence that announces reactions to a dated episode the document has already reported ("takes on",
"reactions to", "responses to" the latest flare-up, fighting, war, crisis) opens a frame: the statements
that follow in the same paragraph, with no time expression of their own, are those reactions and take
the episode's month. Both independent annotations of the corpus date such statements. A happening in the
present perfect right after the report of an episode still going on when the text was written ("both
countries have imposed martial law") took place during it (:func:`perfect_in_episode`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accord.extract.events import ExtractedEvent, sentence_cues

__all__ = [
    "ReactionFrame",
    "frame_statement",
    "onset_in_paragraph",
    "open_frame",
    "perfect_in_episode",
    "resumed",
    "said_there",
]

_REACTIONS = re.compile(
    r"\b(?:takes|views|reactions?|responses?|positions|reacted|responded)\s+(?:[\w-]+\s+){0,3}?(?:on|to)\s+"
    r"(?:the|this|these)\s+(?:(?:new|latest|recent|renewed|current|ongoing)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:flare-ups?|clashes|fighting|escalation|violence|war|crisis|offensive|hostilities|incidents|violations)\b",
    re.IGNORECASE,
)
_EPISODES = ("clashes", "war", "ceasefire_breach")
_HYPOTHETICAL = re.compile(r"\b(?:would|could|might|may|will|should|if|unless|not|never)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReactionFrame:
    date: str
    precision: str
    until: int  # the end of the paragraph


def open_frame(
    text: str, span: tuple[int, int], has_dates: bool, history: list[ExtractedEvent]
) -> ReactionFrame | None:
    """A frame opened by this sentence, if it announces reactions to the latest dated episode."""
    s, e = span
    if has_dates or not _REACTIONS.search(text, s, e):
        return None
    episodes = [ev for ev in history if ev.type in _EPISODES]
    if not episodes:
        return None
    episode = max(episodes, key=lambda ev: ev.date)  # "the new flare-up": the latest the document dates
    date, precision = (
        (episode.date[:7], "month") if episode.precision == "day" else (episode.date, episode.precision)
    )
    end = text.find("\n\n", e)
    return ReactionFrame(date, precision, len(text) if end < 0 else end)


def frame_statement(
    doc: str, text: str, span: tuple[int, int], frame: ReactionFrame, actors: tuple[str, ...]
) -> ExtractedEvent | None:
    """The statement of a sentence inside the frame: its first cue, when that cue is a statement."""
    s, e = span
    cues = sentence_cues(text, s, e)
    if not cues or cues[0].type != "statement" or _HYPOTHETICAL.search(text, s, cues[0].start):
        return None
    cue = cues[0]
    return ExtractedEvent(
        doc,
        s,
        e,
        frame.date,
        frame.precision,
        "statement",
        actors,
        (cue.start, cue.end),
        (cue.start, cue.end),
        tie="frame",
    )


_AGAIN = re.compile(r"\b(?:again|once\s+more|anew|back\s+on\s+the\s+table)\b", re.IGNORECASE)


def resumed(
    doc: str, text: str, span: tuple[int, int], previous: ExtractedEvent | None, actors: tuple[str, ...]
) -> list[ExtractedEvent]:
    """'The plan was again on the table, and B rejected it': a sentence without a date that says a
    happening came back, right after a dated sentence of the same paragraph, is set in that sentence's
    year (the text says only "again", not when); so is a statement answering it in the same sentence."""
    s, e = span
    if previous is None or "\n" in text[previous.end : s] or s - previous.end > 3:
        return []
    again = _AGAIN.search(text, s, e)
    cues = sentence_cues(text, s, e)
    if again is None or not cues or _HYPOTHETICAL.search(text, s, again.end()):
        return []
    first = next((c for c in cues if c.start < again.end() + 40), None)
    if first is None:
        return []
    picked = [first] + [
        c for c in cues if c.start > first.end and c.type == "statement" and c.type != first.type
    ][:1]
    year = previous.date[:4]
    return [
        ExtractedEvent(
            doc,
            s,
            e,
            year,
            "year",
            c.type,
            actors,
            (c.start, c.end),
            (again.start(), again.end()),
            tie="again",
        )
        for c in picked
    ]


_GATHERINGS = ("talks", "summit")
_VAGUE = re.compile(
    r"\b(?:of\s+late|lately|recently|in\s+recent\s+(?:years|months|weeks)|these\s+days|nowadays|since\s+then)\b",
    re.IGNORECASE,
)


def said_there(
    doc: str, text: str, span: tuple[int, int], previous: ExtractedEvent | None, actors: tuple[str, ...]
) -> ExtractedEvent | None:
    """'The two presidents conferred on 14 October. One said he was ready to ...': a statement without a
    date in the sentence right after a dated meeting of the same paragraph is what was said there; it takes
    the meeting's date, as two of three independent readers date it (gold4, gold5; gold3 took the month)."""
    s, _ = span
    if previous is None or previous.type not in _GATHERINGS or s - previous.end > 3:
        return None
    if "\n" in text[previous.end : s] or _VAGUE.search(text, s, span[1]):
        return None  # "of late, X has demanded ...": a vague time of its own, not the meeting's
    return frame_statement(doc, text, span, ReactionFrame(previous.date, previous.precision, span[1]), actors)


_PERFECT = re.compile(r"\b(?:has|have)\s+(?:(?:already|now|also|since|both|each|all)\s+)?$", re.IGNORECASE)
_RECENT_DAYS = 60  # an episode this close to the document's date is still going on as it is written
_EPISODE_REACH = 400  # characters: the sentence follows the episode's own report closely


def perfect_in_episode(
    doc: str,
    text: str,
    span: tuple[int, int],
    history: list[ExtractedEvent],
    today: str | None,
    actors: tuple[str, ...],
) -> ExtractedEvent | None:
    """'Fighting broke out on 27 September. Both sides have imposed curfews': a happening in the present
    perfect, with no time of its own, right after the report of an episode still going on when the text was
    written, took place during it; it takes the episode's month (most of the independent readers date it so).
    A happening in the simple past or in a lasting present ("both sides are under curfew") stays undated."""
    s, e = span
    if today is None or _VAGUE.search(text, s, e):
        return None
    recent = [
        ev
        for ev in history
        if ev.type in _EPISODES[:2] and ev.precision == "day" and 0 <= _days(ev.date, today) <= _RECENT_DAYS
    ]
    episode = max(recent, key=lambda ev: ev.date, default=None)
    if episode is None or s - episode.end > _EPISODE_REACH:
        return None
    cues = sentence_cues(text, s, e)
    cue = next((c for c in cues if _PERFECT.search(text, max(s, c.start - 24), c.start)), None)
    if cue is None or cue.type in _EPISODES or _HYPOTHETICAL.search(text, s, cue.start):
        return None
    return ExtractedEvent(
        doc,
        s,
        e,
        episode.date[:7],
        "month",
        cue.type,
        actors,
        (cue.start, cue.end),
        (cue.start, cue.end),
        tie="episode",
    )


def _days(date: str, today: str) -> int:
    return (dt.date.fromisoformat(today) - dt.date.fromisoformat(date)).days


_ONSET = re.compile(
    r"\b(?:began|started|initiated|launched|opened)\s+(?:(?:to|an?|the|its|their|new)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)


def onset_in_paragraph(
    doc: str, text: str, span: tuple[int, int], history: list[ExtractedEvent], actors: tuple[str, ...]
) -> ExtractedEvent | None:
    """'After the truce of 4 May failed, A changed course. It began talks with B': a happening said to
    begin, with no time of its own, in the paragraph of a dated event, begins in that event's month (the
    paragraph's time frame); the independent readers all date it so. Other undated sentences stay undated."""
    s, e = span
    previous = history[-1] if history else None
    if previous is None or "\n" in text[previous.end : s] or _VAGUE.search(text, s, e):
        return None
    cue = next(
        (c for c in sentence_cues(text, s, e) if _ONSET.search(text, max(s, c.start - 30), c.start)), None
    )
    if cue is None or _HYPOTHETICAL.search(text, s, cue.start):
        return None
    date, precision = (
        (previous.date[:7], "month") if previous.precision == "day" else (previous.date, previous.precision)
    )
    return ExtractedEvent(
        doc, s, e, date, precision, cue.type, actors, (cue.start, cue.end), (cue.start, cue.end), tie="onset"
    )
