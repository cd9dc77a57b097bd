"""The evidence panel's passage suggestions: ``GET /api/cases/{id}/suggest`` (issue 15, point 3)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

import accord
from accord.spans.pointers import check_pointer, load_corpus_dir

CASE = "nagorno-karabakh-2020"


def test_suggestions_are_pointers_that_verify_and_name_the_actor(
    client: TestClient, corpus_dir: Path
) -> None:
    response = client.get(
        f"/api/cases/{CASE}/suggest", params={"ref": "stance/turkey/territory/position", "limit": 4}
    )
    assert response.status_code == 200, response.text
    hits = response.json()
    assert 1 <= len(hits) <= 4
    corpus = load_corpus_dir(corpus_dir)
    for hit in hits:
        assert check_pointer(corpus, hit["doc"], hit["start"], hit["end"], hit["sha256"]).ok
        assert corpus.texts[hit["doc"]][hit["start"] : hit["end"]] == hit["text"]
    turkey = accord.load_case(CASE).actor("turkey")
    names = [turkey.name, *turkey.aliases]
    naming = [any(n in h["text"] for n in names) for h in hits]
    assert naming[0] and naming == sorted(naming, reverse=True)  # sentences naming the actor rank first


def test_a_status_quo_has_suggestions_too(client: TestClient) -> None:
    response = client.get(f"/api/cases/{CASE}/suggest", params={"ref": "issue/territory/status_quo"})
    assert response.status_code == 200 and response.json()


def test_bad_refs_and_cases_are_clear_errors(client: TestClient) -> None:
    unknown = client.get(f"/api/cases/{CASE}/suggest", params={"ref": "stance/nobody/territory/position"})
    assert unknown.status_code == 422 and "unknown actor" in unknown.json()["detail"]
    assert client.get(f"/api/cases/{CASE}/suggest", params={"ref": "relation/x"}).status_code == 422
    assert (
        client.get(
            "/api/cases/no-such-case/suggest", params={"ref": "issue/territory/status_quo"}
        ).status_code
        == 404
    )
