"""The corpus store on real SQLite (and PostgreSQL when the test run has one): ingest, versions, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.corpus.documents import StorageError, Store, resolve_db_url
from accord.corpus.readers import DocumentMeta, UnreadableDocument, load_meta_file, read_source
from accord.corpus.search import QueryError, parse_query, postgres_statement, search
from accord.spans.pointers import Corpus, check_pointer, load_corpus_dir, sha256_text
from tests.evidence.conftest import DATA, FIXTURES, write

runner = CliRunner()
MEMO = FIXTURES / "corpus" / "harbour-memo.txt"


def test_ingest_is_idempotent(store):
    first = store.add(read_source(MEMO))
    again = store.add(read_source(MEMO))
    assert first.status == "added" and again.status == "unchanged"
    assert (again.version, again.sha256, again.passages) == (1, first.sha256, first.passages)
    assert store.counts() == {"documents": 1, "versions": 1, "passages": first.passages}


def test_stored_text_is_the_file_decoded_unchanged(store, tmp_path):
    raw = "\ufeffLine one.\r\nLine two — with a dash.\r\n\r\n  Indented.\n"
    path = write(tmp_path / "crlf.txt", raw)
    store.add(read_source(path))
    assert store.text("crlf") == raw
    assert store.corpus().text("crlf") == load_corpus_dir(tmp_path).text("crlf")


def test_a_pointer_made_against_the_folder_verifies_in_the_store(store):
    folder = load_corpus_dir(FIXTURES / "corpus")
    for path in sorted((FIXTURES / "corpus").glob("*.txt")):
        store.add(read_source(path))
    text = folder.text("harbour-memo")
    start = text.index("On 3 March")
    end = text.index("truce.") + len("truce.")
    pointer = (start, end, sha256_text(text[start:end]))
    assert check_pointer(store.corpus(), "harbour-memo", *pointer).ok


def test_changed_text_is_a_new_version_and_old_spans_still_verify(store, tmp_path):
    path = write(tmp_path / "memo.txt", "The guild met on 3 March 2020. It agreed a truce.\n")
    first = store.add(read_source(path))
    old_text = store.text("memo")
    span = (0, old_text.index(".") + 1)
    old_hash = sha256_text(old_text[slice(*span)])
    write(path, "Revised: the guild met on 4 March 2020. It agreed a truce.\n")
    second = store.add(read_source(path))
    assert (first.version, second.version, second.status) == (1, 2, "new version")
    versions = store.versions("memo")
    assert [d.version for d, _ in versions] == [2, 1] and [d.current for d, _ in versions] == [True, False]
    old = Corpus({"memo": store.text("memo", version=1)})
    assert check_pointer(old, "memo", *span, old_hash).ok
    assert not check_pointer(store.corpus(), "memo", *span, old_hash).ok
    assert [d.version for d in store.documents()] == [2]
    assert len(store.documents(all_versions=True)) == 2


def test_search_only_sees_current_versions(store, tmp_path):
    path = write(tmp_path / "memo.txt", "The barges were idle all winter.\n")
    store.add(read_source(path))
    write(path, "The barges sailed again in spring.\n")
    store.add(read_source(path))
    assert search(store, "idle") == []
    assert [h.text for h in search(store, "barges")] == ["The barges sailed again in spring."]


def test_html_is_reduced_to_the_article(store):
    source = read_source(DATA / "article.html")
    assert "joint board with equal seats" in source.text
    for furniture in (
        "trackingPixel",
        "trackPageView",
        "Sign in",
        "cookies",
        "Most read",
        "Subscribe",
        "font-family",
    ):
        assert furniture not in source.text
    assert source.meta.title and "Quay board agreed" in source.meta.title
    assert source.meta.date == "2021-04-12" and source.meta.publisher == "The Riverside Courier"
    result = store.add(source)
    assert store.text("article") == source.text and result.passages >= 3


def test_markdown_is_stored_unchanged_with_front_matter_metadata():
    source = read_source(DATA / "notes.md")
    assert source.text == (DATA / "notes.md").read_text(encoding="utf-8")
    assert source.meta == DocumentMeta(
        title="Notes on the quay dispute",
        date="2021-05-02",
        date_precision="day",
        publisher="Harbour Studies Circle",
    )


def test_plain_text_by_line_date_is_found(tmp_path):
    path = write(tmp_path / "byline.txt", "A title\n\nMarch 4, 2021\n\nBody text here.\n")
    assert read_source(path).meta.date == "2021-03-04"


@pytest.mark.parametrize(
    "content, message",
    [(b"caf\xe9 au lait\n", "is not UTF-8 (byte 0xe9 at offset 3)"), (b"PK\x03\x04\x00\x00binary", "binary")],
)
def test_non_utf8_and_binary_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match="bad.txt") as info:
        read_source(path)
    assert message in str(info.value)


def test_cli_refuses_bad_files_naming_them_and_adds_nothing(tmp_path):
    good = write(tmp_path / "good.txt", "A fine text.\n")
    bad = tmp_path / "latin.txt"
    bad.write_bytes("na\xefve".encode("latin-1"))
    db = tmp_path / "c.db"
    result = runner.invoke(app, ["corpus", "add", str(good), str(bad), "--db", str(db)])
    assert result.exit_code == 1
    assert "latin.txt" in result.output and "not UTF-8" in result.output and "Traceback" not in result.output
    assert Store(str(db)).counts()["documents"] == 0


def test_cli_add_list_search_json(tmp_path):
    db = str(tmp_path / "c.db")
    first = runner.invoke(app, ["corpus", "add", str(FIXTURES / "corpus"), "--db", db, "--json"])
    assert first.exit_code == 0, first.output
    assert {r["status"] for r in json.loads(first.output)} == {"added"}
    again = runner.invoke(app, ["corpus", "add", str(FIXTURES / "corpus"), "--db", db, "--json"])
    assert {r["status"] for r in json.loads(again.output)} == {"unchanged"}
    listed = json.loads(runner.invoke(app, ["corpus", "list", "--db", db, "--json"]).output)
    assert [d["doc"] for d in listed] == ["guild-letter", "harbour-memo"]
    found = runner.invoke(
        app, ["corpus", "search", "truce bridge house", "--db", db, "--json", "--limit", "2"]
    )
    hits = json.loads(found.output)
    assert found.exit_code == 0 and hits and hits[0]["doc"] == "harbour-memo"
    corpus = load_corpus_dir(FIXTURES / "corpus")
    for hit in hits:
        assert check_pointer(corpus, hit["doc"], hit["start"], hit["end"], hit["sha256"]).ok
        assert hits[0]["score"] >= hit["score"]


def test_cli_meta_file_and_env_default(tmp_path, monkeypatch):
    meta = write(
        tmp_path / "sources.yaml",
        "documents:\n  - id: harbour-memo\n    title: The memo\n    published: '2020-03-10'\n"
        "    date_precision: estimated\n    publisher: Town hall\n",
    )
    monkeypatch.setenv("ACCORD_DB", str(tmp_path / "env.db"))
    result = runner.invoke(app, ["corpus", "add", str(MEMO), "--meta", str(meta)])
    assert result.exit_code == 0, result.output
    (doc,) = Store(str(tmp_path / "env.db")).documents()
    assert (doc.meta.title, doc.meta.date, doc.meta.date_precision, doc.meta.publisher) == (
        "The memo",
        "2020-03-10",
        "estimated",
        "Town hall",
    )


def test_load_meta_file_reads_the_shared_sources_format(nk_corpus):
    table = load_meta_file(nk_corpus / "sources.yaml")
    assert table["003_bc97afa563c9f975"].date == "2020-11-09"
    assert table["003_bc97afa563c9f975.txt"] == table["003_bc97afa563c9f975"]


def test_queries_are_sanitised():
    assert parse_query('truce "bridge house" AND NOT*') == [["truce"], ["bridge", "house"], ["and"], ["not"]]
    with pytest.raises(QueryError):
        parse_query('"" ** ()')


def test_search_accepts_any_input(store):
    store.add(read_source(MEMO))
    for query in ['"unbalanced', "NEAR(a b)", "col:umn", "a OR", "^x", "'; drop table corpus_documents; --"]:
        search(store, query)
    assert store.counts()["documents"] == 1


def test_db_urls():
    assert resolve_db_url("x/y.db") == f"sqlite:///{Path('x/y.db').resolve()}"
    assert resolve_db_url("postgresql://u@h/d").startswith("postgresql")
    with pytest.raises(StorageError):
        Store("mysql://u@h/d")


def test_postgres_statement_compiles_with_the_gin_expression():
    from sqlalchemy.dialects import postgresql

    sql = str(
        postgres_statement(parse_query('truce "bridge house"'), 5).compile(dialect=postgresql.dialect())
    )
    assert "to_tsvector('english', corpus_passages.text) @@ to_tsquery('english'" in sql and "ts_rank" in sql


def test_postgres_store_ingests_versions_and_searches(pg_store, tmp_path):
    first = pg_store.add(read_source(MEMO))
    assert pg_store.add(read_source(MEMO)).status == "unchanged"
    hits = search(pg_store, "truce bridge", limit=3)
    assert hits and hits[0].doc == "harbour-memo"
    assert check_pointer(pg_store.corpus(), "harbour-memo", hits[0].start, hits[0].end, hits[0].sha256).ok
    path = write(tmp_path / "harbour-memo.txt", MEMO.read_text(encoding="utf-8") + "\nA postscript.\n")
    # another folder's file of the same name: a new version only when asked (issue 14)
    assert pg_store.add(read_source(path), replace=True).version == first.version + 1
    assert [d.version for d, _ in pg_store.versions("harbour-memo")] == [2, 1]
