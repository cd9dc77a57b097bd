"""What a corpus search returns: a passage ready to cite, and how a semantic-mode hit was ranked.

Apart from :mod:`accord.corpus.search` so that the lexical and the semantic rankings share the type
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Fusion", "Hit"]


@dataclass(frozen=True)
class Fusion:
    """How a semantic-mode hit was ranked: its rank in each list (1 = best; ``None``: not among the
    candidates of that list) and the cosine similarity of its embedding to the query's."""

    lexical_rank: int | None
    semantic_rank: int | None
    cosine: float | None


@dataclass(frozen=True)
class Hit:
    """A passage that matched: where it is (doc, version, span), its text and score, ready to cite.

    ``score`` is BM25 / ``ts_rank`` in the lexical mode and the reciprocal-rank-fusion score in the
    semantic mode, where ``fusion`` says how it was reached.
    """

    doc: str
    version: int
    start: int
    end: int
    text: str
    score: float
    sha256: str
    title: str | None = None
    fusion: Fusion | None = field(default=None, compare=False)

    def pointer(self) -> dict[str, object]:
        """The evidence pointer ``{doc, start, end, sha256}`` for this passage."""
        return {"doc": self.doc, "start": self.start, "end": self.end, "sha256": self.sha256}

    def to_json(self) -> dict[str, object]:
        out = {
            **self.pointer(),
            "version": self.version,
            "score": round(self.score, 6),
            "title": self.title,
            "text": self.text,
        }
        if self.fusion is not None:
            cosine = None if self.fusion.cosine is None else round(self.fusion.cosine, 6)
            out |= {
                "lexical_rank": self.fusion.lexical_rank,
                "semantic_rank": self.fusion.semantic_rank,
                "cosine": cosine,
            }
        return out
