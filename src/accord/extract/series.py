"""A dated event's successors counted by ordinals: "the truce of 10 October ... (the second agreed with X's
help, the third brokered by Y, and the last mediated by Z)".

Each ordinal item with an agreeing or mediating participle is one more happening of the kind named just
before it (its own noun when it has one: "the second ceasefire brokered by ..."), after an earlier one the
document dates. The readers list each of them. Their date follows the first one's: a counted successor
("second", "third", "next") is set in its month, as the series follows on closely; the last of a series
("last", "final") may come at any time before the text was written, so only its year is sure.
"""

from __future__ import annotations

import re

from accord.extract.dates import DateMention
from accord.extract.events import ExtractedEvent, sentence_cues

__all__ = ["successors"]

_ORDINAL = re.compile(
    r"\b(?:the|a)\s+(?P<ord>second|third|fourth|fifth|sixth|next|subsequent|last|final)\s+(?:(?P<noun>[\w-]+)\s+)?"
    r"(?:(?:was|were|one|being)\s+)?(?:agreed(?:\s+(?:upon|on))?|brokered|mediated|signed|reached|negotiated|"
    r"concluded|declared)\b",
    re.IGNORECASE,
)
_ITEM_END = re.compile(r"[,;:()\[\]–—]|\s-\s|\sand\s(?:the|a)\s")
_KINDS = ("ceasefire", "agreement", "talks", "summit", "plan")


def successors(
    doc: str,
    text: str,
    span: tuple[int, int],
    dates: list[DateMention],
    actors: tuple[str, ...],
    earlier: list[ExtractedEvent],
) -> list[ExtractedEvent]:
    """The ordinal successors of a dated event in this sentence (none when an item has a date of its own)."""
    s, e = span
    head = _ORDINAL.search(text, s, e)
    if head is None:
        return []
    cues = sentence_cues(text, s, e)
    named = [c for c in cues if c.end <= head.start() and c.type in _KINDS]  # what the series counts
    out: list[ExtractedEvent] = []
    for m in _ORDINAL.finditer(text, s, e):
        stop = _ITEM_END.search(text, m.end(), e)
        end = stop.start() if stop else e
        if any(m.start() <= d.start < end for d in dates):
            continue
        own = [c for c in cues if m.start("noun") <= c.start < m.end()] if m["noun"] else []
        cue = own[0] if own else named[-1] if named else None
        first = next((ev for ev in reversed(earlier) if cue and ev.type == cue.type), None)
        if cue is None or first is None:
            continue
        if m["ord"].lower() in ("last", "final") or first.precision == "year":
            date, precision = first.date[:4], "year"
        else:
            date, precision = first.date[:7], "month"
        out.append(
            ExtractedEvent(
                doc,
                m.start(),
                end,
                date,
                precision,
                cue.type,
                actors,
                (m.start(), end),
                (m.start(), m.end()),
                tie="series",
            )
        )
    return out
