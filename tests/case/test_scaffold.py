"""`accord case new`: actors proposed from texts (gazetteer + heuristics), the scaffold's sources and slots.

The recall test measures the proposal on the five Nagorno-Karabakh texts against the actor list of the
built-in case (an in-sample figure: the heuristics were written while looking at these texts; the
tutorial's invented corpus and the small texts below are the out-of-sample checks).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from accord.case.draft import validate_draft_data
from accord.case.io import load_case
from accord.case.mentions import propose_actors
from accord.case.validate import validate_text
from accord.cli.main import app
from accord.spans.pointers import load_corpus_dir, sha256_text

runner = CliRunner()
TUTORIAL = Path(__file__).resolve().parents[1] / "fixtures" / "tutorial-corpus"


def _recalled(builtin, proposed) -> set[str]:
    """Built-in actors that some proposal names: the same id, or its name among the built-in's forms."""
    found = set()
    for actor in builtin:
        forms = {actor.name.lower(), *(a.lower() for a in actor.aliases)}
        if any(p.id == actor.id or p.name.lower() in forms for p in proposed):
            found.add(actor.id)
    return found


def test_nagorno_karabakh_scaffold_recalls_every_builtin_actor_within_twice_as_many(shared_dir):
    texts = load_corpus_dir(shared_dir / "corpus" / "nagorno-karabakh").texts
    proposed = propose_actors(texts)
    builtin = load_case("nagorno-karabakh-2020").actors
    recalled = _recalled(builtin, proposed)
    missing = sorted({a.id for a in builtin} - recalled)
    print(f"recall {len(recalled)}/{len(builtin)}; proposed {len(proposed)} (bound {2 * len(builtin)})")
    assert not missing, f"not proposed: {missing}"
    assert len(proposed) <= 2 * len(builtin)
    by_id = {p.id: p for p in proposed}
    assert {"Russian", "Moscow", "Kremlin"} <= set(by_id["russia"].aliases) | {"Kremlin"}
    assert "Nikol Pashinyan" in by_id["armenia"].aliases  # an office holder: "Armenian Prime Minister ..."
    assert by_id["usa"].kind == "state" and by_id["csto"].kind == "alliance"


def test_names_no_gazetteer_knows_with_their_adjectives():
    texts = {
        "a": "Varnia built the dam. The Varnian army guards it. Ostrel protests; the Kessa Valley Council "
        "too.",
        "b": "Talks between Varnia and Ostrel stalled. Ostreli farmers and the Kessa Valley Council asked "
        "for water.",
        "c": "Ostrel and Varnia met again. The Kessa Valley Council keeps up the pressure on Ostrel.",
    }
    proposed = {p.id: p for p in propose_actors(texts)}
    assert {"varnia", "ostrel", "kessa-valley-council"} <= set(proposed)
    assert "Varnian" in proposed["varnia"].aliases and "Ostreli" in proposed["ostrel"].aliases
    assert proposed["kessa-valley-council"].kind == "organisation" and proposed["varnia"].kind_guessed
    assert "talks" not in proposed and "the" not in proposed


def test_gazetteer_states_by_customary_names_capitals_and_adjectives():
    texts = {
        "x": (
            "Belgrade and Pristina met in Brussels. Serbian officials and Kosovar ones disagreed; "
            "the EU chaired. Serbia wants recognition withheld, Kosovo wants it. Nigerian observers came."
        )
    }
    proposed = {p.id: p for p in propose_actors(texts)}
    assert {"serbia", "kosovo", "eu", "nigeria"} <= set(proposed)
    assert "niger" not in proposed  # "Nigerian" is Nigeria's
    assert {"Belgrade", "Serbian"} <= set(proposed["serbia"].aliases)
    assert {"Pristina", "Kosovar"} <= set(proposed["kosovo"].aliases)


def test_case_new_writes_a_valid_draft_with_sources_actors_events_and_slots(tmp_path):
    out = tmp_path / "kessa.yaml"
    result = runner.invoke(
        app,
        ["case", "new", "kessa", "--corpus", str(TUTORIAL), "--issue", "water=summer flow", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    corpus = load_corpus_dir(TUTORIAL)
    assert [s["id"] for s in data["case"]["sources"]] == sorted(corpus.texts)
    for source in data["case"]["sources"]:
        assert source["sha256"] == sha256_text(corpus.text(source["id"]))
    titles = {s["id"]: s["title"] for s in data["case"]["sources"]}
    assert titles["valley-letter"] == "A letter from the Kessa Valley Council"  # from sources.yaml
    assert data["case"]["as_of"] == "2023-06-25"  # the latest source date
    assert {"ostrel", "varnia", "eu", "kessa-valley-council"} <= {a["id"] for a in data["actors"]}
    assert data["issues"][0]["id"] == "water" and data["issues"][0]["question"] is None
    assert {s["actor"] for s in data["stances"]} == {a["id"] for a in data["actors"]}
    assert data["events"] and all(e["evidence"] for e in data["events"])
    assert "candidates:" in text and "# TODO" in text  # slots are commented with pointers to paste
    report = validate_text(text, str(out), corpus, data_check=validate_draft_data)
    assert report.ok and not report.runnable and report.blocking


def test_case_new_candidate_pointers_verify(tmp_path):
    out = tmp_path / "k.yaml"
    assert runner.invoke(app, ["case", "new", "k", "--corpus", str(TUTORIAL), "-o", str(out)]).exit_code == 0
    corpus = load_corpus_dir(TUTORIAL)
    pointers = [
        yaml.safe_load(line.split("#   - ", 1)[1].split("  #")[0])
        for line in out.read_text().splitlines()
        if "#   - {doc" in line
    ]
    assert pointers
    for p in pointers:
        assert sha256_text(corpus.text(p["doc"])[p["start"] : p["end"]]) == p["sha256"]


def test_case_new_refuses_bad_input_with_clear_messages(tmp_path):
    out = tmp_path / "x.yaml"
    cases = [
        (["case", "new", "Bad Id", "--corpus", str(TUTORIAL), "-o", str(out)], 2, "not a valid case id"),
        (["case", "new", "x", "--corpus", str(tmp_path / "nowhere"), "-o", str(out)], 2, "no such folder"),
        (
            ["case", "new", "x", "--corpus", str(TUTORIAL), "--as-of", "2023-13", "-o", str(out)],
            2,
            "is not a day",
        ),
        (
            ["case", "new", "x", "--corpus", str(TUTORIAL), "--issue", "Water Share", "-o", str(out)],
            2,
            "not a valid id",
        ),
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    cases.append((["case", "new", "x", "--corpus", str(empty), "-o", str(out)], 1, "no texts"))
    binary = tmp_path / "latin1"
    binary.mkdir()
    (binary / "a.txt").write_bytes("Caf\xe9 talks".encode("latin-1"))
    cases.append((["case", "new", "x", "--corpus", str(binary), "-o", str(out)], 1, "not UTF-8"))
    for argv, code, message in cases:
        result = runner.invoke(app, argv)
        assert result.exit_code == code, (argv, result.output)
        assert message in result.output and "Traceback" not in result.output
    out.write_text("keep me")
    result = runner.invoke(app, ["case", "new", "x", "--corpus", str(TUTORIAL), "-o", str(out)])
    assert result.exit_code == 1 and "not overwritten" in result.output and out.read_text() == "keep me"
    assert (
        runner.invoke(
            app, ["case", "new", "x", "--corpus", str(TUTORIAL), "-o", str(out), "--force"]
        ).exit_code
        == 0
    )


def test_case_new_from_a_corpus_store(tmp_path):
    db = str(tmp_path / "store.db")
    added = runner.invoke(
        app, ["corpus", "add", *[str(p) for p in sorted(TUTORIAL.glob("*.txt"))], "--db", db]
    )
    assert added.exit_code == 0, added.output
    out = tmp_path / "k.yaml"
    result = runner.invoke(app, ["case", "new", "k", "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = validate_text(
        out.read_text(), str(out), load_corpus_dir(TUTORIAL), data_check=validate_draft_data
    )
    assert report.ok, [str(p) for p in report.problems]  # the store's texts hash like the folder's
    dates = {s.path for s in report.blocking if s.path.endswith(".date")}
    assert len(dates) == 2  # only the valley letter dates itself; the checklist asks for the others
    neither = runner.invoke(app, ["case", "new", "k", "-o", str(tmp_path / "n.yaml")])
    assert neither.exit_code == 2 and "--corpus DIR or --db STORE" in neither.output


# ---- accord evidence suggest ------------------------------------------------------------------------

HARBOUR = Path(__file__).resolve().parents[1] / "fixtures" / "harbour.yaml"
HARBOUR_CORPUS = HARBOUR.parent / "corpus"


def test_suggest_ranks_sentences_about_the_actor_as_verifiable_pointers():
    result = runner.invoke(
        app,
        [
            "evidence",
            "suggest",
            str(HARBOUR),
            "lowmere.harbour.position",
            "--corpus",
            str(HARBOUR_CORPUS),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    import json

    found = json.loads(result.output)
    corpus = load_corpus_dir(HARBOUR_CORPUS)
    assert found and all(
        sha256_text(corpus.text(p["doc"])[p["start"] : p["end"]]) == p["sha256"] for p in found
    )
    assert "Lowmere" in found[0]["text"]  # sentences naming the actor come first


def test_suggest_write_records_pointers_in_a_draft_and_keeps_it_valid(tmp_path):
    out = tmp_path / "k.yaml"
    assert (
        runner.invoke(
            app, ["case", "new", "k", "--corpus", str(TUTORIAL), "--issue", "water", "-o", str(out)]
        ).exit_code
        == 0
    )
    before = out.read_text()
    for pick in ("1", "2"):
        result = runner.invoke(
            app,
            [
                "evidence",
                "suggest",
                str(out),
                "varnia.water.position",
                "--corpus",
                str(TUTORIAL),
                "--write",
                "--pick",
                pick,
            ],
        )
        assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    varnia = next(s for s in data["stances"] if s["actor"] == "varnia")
    evidence = varnia["issues"]["water"]["position"]["evidence"]
    assert len(evidence) == 2 and all(e["note"].startswith("TODO") for e in evidence)
    assert (
        out.read_text().count("\n") == before.count("\n") + 2
    )  # the rest of the file (comments included) is untouched
    report = validate_text(
        out.read_text(), str(out), load_corpus_dir(TUTORIAL), data_check=validate_draft_data
    )
    assert report.ok
    assert any(
        t.path == "stances[1].issues.water.position.value" or "varnia's position" in t.message
        for t in report.todos
    )


def test_suggest_refuses_bad_input(tmp_path):
    base = ["evidence", "suggest", str(HARBOUR)]
    corpus = ["--corpus", str(HARBOUR_CORPUS)]
    cases = [
        (base + ["lowmer.harbour.position", *corpus], 1, "unknown actor 'lowmer'"),
        (base + ["lowmere.harbor.position", *corpus], 1, "unknown issue 'harbor'"),
        (base + ["lowmere.harbour.height", *corpus], 2, "does not name a number"),
        (base + ["lowmere.harbour.position", "--corpus", str(tmp_path / "none")], 2, "no such folder"),
        (base + ["lowmere.harbour.position", *corpus, "--write", "--pick", "40"], 1, "only"),
        (base + ["guild.harbour.position", *corpus, "--write"], 1, "several estimates"),
    ]
    for argv, code, message in cases:
        result = runner.invoke(app, argv)
        assert result.exit_code == code, (argv, result.output)
        assert message in result.output and "Traceback" not in result.output
    assert HARBOUR.read_text().count("TODO") == 0  # nothing was written


def test_suggest_semantic_fuses_a_ranking_by_meaning():
    from accord.corpus import semantic

    if not semantic.available():
        import pytest

        pytest.skip("the accord[semantic] extra is not installed")
    args = [
        "evidence",
        "suggest",
        str(HARBOUR),
        "guild.harbour.salience",
        "--corpus",
        str(HARBOUR_CORPUS),
        "--semantic",
        "--limit",
        "2",
        "--json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    import json

    assert len(json.loads(result.output)) == 2
