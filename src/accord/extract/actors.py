"""Actor mentions: every name and alias of a case's actors, longest first, on word boundaries.

A name directly followed by "conflict", "region", "issue" ... names the topic, not a participant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["ActorMention", "ActorResolver"]


@dataclass(frozen=True)
class ActorMention:
    actor: str
    start: int
    end: int
    topic: bool = False  # "the Karabakh conflict": names the subject matter, not a participant


_TOPIC_AFTER = re.compile(
    r"[’']?s?\s+(?:conflict|region|issue|dispute|peace\s+process|question|problem|settlement|resolution|line\s+of\s+contact|war)\b",
    re.IGNORECASE,
)


def _form_pattern(form: str) -> str:
    """A name as a pattern: exact, except that a capital or small first letter both match ("The guild")."""
    first = form[0]
    head = (
        f"[{re.escape(first.upper())}{re.escape(first.lower())}]"
        if first.upper() != first.lower()
        else re.escape(first)
    )
    return head + re.escape(form[1:])


class ActorResolver:
    """Finds mentions of a case's actors by name and alias (case-sensitive, longest alias first)."""

    def __init__(self, actors: Iterable[tuple[str, Sequence[str]]], kinds: dict[str, str] | None = None):
        forms: dict[str, str] = {}
        for actor_id, names in actors:
            for name in names:
                if name and name.strip():
                    forms.setdefault(name.strip(), actor_id)
        self.forms = forms
        self.kinds = kinds or {}
        alternatives = sorted(forms, key=len, reverse=True)
        body = "|".join(_form_pattern(f) for f in alternatives) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])(?:the\s+)?({body})(?![\w])")

    def _actor(self, surface: str) -> str:
        if surface in self.forms:
            return self.forms[surface]
        return next(
            a for f, a in self.forms.items() if f[1:] == surface[1:] and f[:1].lower() == surface[:1].lower()
        )

    @classmethod
    def from_case(cls, case) -> ActorResolver:  # noqa: ANN001 - accord.case.model.Case
        return cls(
            ((a.id, [a.name, *a.aliases]) for a in case.actors), {a.id: a.kind.value for a in case.actors}
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        end = len(text) if end is None else end
        found = []
        for m in self._pattern.finditer(text, start, end):
            s, e = m.span(1)
            if text.startswith("-led", e):
                continue  # "the Russia-led CSTO": a modifier, not a party
            topic = bool(_TOPIC_AFTER.match(text, e))
            found.append(ActorMention(self._actor(m.group(1)), s, e, topic))
        return found
