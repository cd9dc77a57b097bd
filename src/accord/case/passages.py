"""Ranking a corpus's sentences for one slot of a case: the passages most likely to state a number.

Each sentence (:func:`accord.spans.segment.sentences`) is scored by Okapi BM25 against a query of
words; the query for a slot is built from the actor's name and aliases, the issue's id, question and
scale labels, and cue words of the attribute (a position is "wants", "demands"; a salience "priority",
"vital"). A sentence that names none of the actor's forms is kept only after those that do, since a
number about an actor should cite a passage about it. Everything stays in memory: a folder of a few
dozen texts has a few thousand sentences, scored in milliseconds. Semantic re-ranking (with the
``accord[semantic]`` extra) is fused on top by the command line, where the model is loaded.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.errors import InputError, UsageError
from accord.spans.pointers import sha256_text
from accord.spans.segment import sentences

__all__ = ["ATTRIBUTE_CUES", "Passage", "index_sentences", "rank_passages", "slot_query", "words"]

ATTRIBUTE_CUES = {
    "position": "wants demands insists proposes rejects accepts refuses supports opposes seeks calls "
    "position stance",
    "salience": "priority vital important matters core key existential concern focus interest stake",
    "capability": "military army forces power strength economy arms weapons troops influence leverage "
    "resources",
    "status_quo": "controls holds currently now remains since occupied status situation today",
}
_STOP = set(
    "the a an of and or to in on at by for with from as is are was were be been that this it its "
    "their".split()
)
_K1, _B = 1.5, 0.75


def _stem(w: str) -> str:
    """A crude English stem, enough for "release", "released", "releases" to meet."""
    for suffix, keep in (("’s", 4), ("'s", 4), ("ing", 6), ("ed", 5), ("es", 5), ("s", 4)):
        if w.endswith(suffix) and len(w) >= keep and not (suffix == "s" and w.endswith("ss")):
            w = w[: -len(suffix)]
            break
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


def words(text: str) -> list[str]:
    """Lower-case stemmed word tokens without stop words."""
    out = []
    for w in re.findall(r"[\w’'-]+", text.lower()):
        w = w.strip("’'-")
        if len(w) > 1 and w not in _STOP:
            out.append(_stem(w))
    return out


@dataclass(frozen=True)
class Passage:
    """A sentence of a document as a pointer, with its score."""

    doc: str
    start: int
    end: int
    sha256: str
    score: float
    text: str

    def pointer(self) -> dict[str, object]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "sha256": self.sha256}

    def preview(self, n_words: int = 8) -> str:
        """The first few words, for a reader to recognise the passage (not a quotation of it)."""
        parts = self.text.split()
        return " ".join(parts[:n_words]) + (" …" if len(parts) > n_words else "")


@dataclass(frozen=True)
class _Sentence:
    doc: str
    start: int
    end: int
    text: str
    terms: Counter


def index_sentences(texts: Mapping[str, str], min_words: int = 5) -> list[_Sentence]:
    """Every sentence of every text with its terms; headings and captions (short lines) are skipped."""
    out = []
    for doc, text in texts.items():
        for start, end in sentences(text):
            chunk = text[start:end]
            if len(chunk.split()) >= min_words:
                out.append(_Sentence(doc, start, end, chunk, Counter(words(chunk))))
    return out


def slot_query(actor_forms: Sequence[str], issue_words: str, attribute: str) -> str:
    """The words to search for one number of a case."""
    return " ".join([*actor_forms, issue_words, ATTRIBUTE_CUES.get(attribute, "")])


def rank_passages(
    index: Sequence[_Sentence],
    query: str,
    *,
    require: Iterable[str] = (),
    limit: int = 5,
) -> list[Passage]:
    """The ``limit`` best sentences for ``query`` by BM25; those naming a form in ``require`` first."""
    if not index:
        return []
    terms = set(words(query))
    n = len(index)
    avg = sum(sum(s.terms.values()) for s in index) / n
    df = Counter(t for s in index for t in terms if t in s.terms)
    forms = [f for f in require if f]
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in forms)) if forms else None
    scored = []
    for s in index:
        length = sum(s.terms.values())
        score = 0.0
        for t in terms:
            tf = s.terms.get(t, 0)
            if tf:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                score += idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / avg))
        if score <= 0:
            continue
        names = pattern is None or pattern.search(s.text) is not None
        scored.append((not names, -score, s.doc, s.start, s))
    scored.sort(key=lambda item: item[:4])
    return [
        Passage(s.doc, s.start, s.end, sha256_text(s.text), -neg, s.text)
        for _, neg, _, _, s in scored[:limit]
    ]


def slot_terms(data: dict[str, Any], what: str) -> tuple[tuple[str | int, ...], list[str], str, str]:
    """What to search for one number of a case (its parsed YAML, a draft is fine): ``(path of the
    quantity, the actor's name and aliases, the issue's words, the attribute)``, for ``ACTOR.ISSUE.position``
    (or ``salience``, ``capability``), ``ACTOR.capability`` or ``ISSUE.status_quo``."""
    actors = {a.get("id"): a for a in data.get("actors") or [] if isinstance(a, dict)}
    issues = {i.get("id"): (j, i) for j, i in enumerate(data.get("issues") or []) if isinstance(i, dict)}
    parts = what.split(".")
    examples = "e.g. ACTOR.ISSUE.position, ACTOR.ISSUE.salience, ACTOR.capability, ISSUE.status_quo"
    if len(parts) == 2 and parts[1] == "status_quo":
        if parts[0] not in issues:
            raise InputError(
                f"unknown issue {parts[0]!r}", f"the case's issues: {', '.join(map(str, issues))}"
            )
        j, issue = issues[parts[0]]
        return ("issues", j, "status_quo"), [], _issue_words(issue), "status_quo"
    if len(parts) not in (2, 3) or parts[-1] not in ("position", "salience", "capability"):
        raise UsageError(f"{what!r} does not name a number", examples)
    if parts[0] not in actors:
        raise InputError(f"unknown actor {parts[0]!r}", f"the case's actors: {', '.join(map(str, actors))}")
    actor = actors[parts[0]]
    forms = [str(actor.get("name") or parts[0]), *[str(x) for x in actor.get("aliases") or []]]
    stances = data.get("stances") or []
    index = next(
        (k for k, s in enumerate(stances) if isinstance(s, dict) and s.get("actor") == parts[0]), None
    )
    if index is None:
        raise InputError(
            f"{parts[0]} has no stance block",
            "add `- actor: ...` under stances (the scaffold writes one per actor)",
        )
    if len(parts) == 2:
        if parts[1] != "capability":
            raise UsageError(f"{what!r} does not name a number", examples)
        return ("stances", index, "capability"), forms, "", "capability"
    if parts[1] not in issues:
        raise InputError(f"unknown issue {parts[1]!r}", f"the case's issues: {', '.join(map(str, issues))}")
    return (
        ("stances", index, "issues", parts[1], parts[2]),
        forms,
        _issue_words(issues[parts[1]][1]),
        parts[2],
    )


def _issue_words(issue: dict[str, Any]) -> str:
    scale = issue.get("scale") if isinstance(issue.get("scale"), dict) else {}
    bits = [
        str(issue.get("id", "")).replace("-", " "),
        issue.get("question"),
        scale.get("min_label"),
        scale.get("max_label"),
    ]
    return " ".join(str(b) for b in bits if b)


def suggest_passages(
    data: dict[str, Any], what: str, texts: Mapping[str, str], limit: int = 5
) -> list[Passage]:
    """Candidate sentences to cite for one number (see :func:`slot_terms`), best first, by BM25; those
    naming the actor first. Shared by ``accord evidence suggest`` and the web's evidence panel."""
    _, forms, issue_words, attribute = slot_terms(data, what)
    return rank_passages(
        index_sentences(texts), slot_query(forms, issue_words, attribute), require=forms, limit=limit
    )
