"""Every validation rule: an invalid variant of the small example case, the message and the line reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.case.validate import validate_bytes, validate_file, validate_text
from accord.spans.pointers import load_corpus_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HARBOUR = (FIXTURES / "harbour.yaml").read_text(encoding="utf-8")
CORPUS = load_corpus_dir(FIXTURES / "corpus")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing ``needle``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not found {occurrence} times"
    return hits[occurrence - 1]


def variant(old: str, new: str, count: int = 1) -> str:
    assert old in HARBOUR, old
    return HARBOUR.replace(old, new, count)


def problems_of(text: str, corpus=None):
    report = validate_text(text, "case.yaml", corpus)
    assert not report.ok
    return report.problems


def only_problem(text: str, corpus=None):
    problems = problems_of(text, corpus)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_example_case_is_valid_with_and_without_corpus():
    assert validate_text(HARBOUR, "h.yaml").ok
    report = validate_text(HARBOUR, "h.yaml", CORPUS)
    assert report.ok and report.corpus_checked
    assert "valid case 'harbour'" in report.summary()


def test_problem_format_is_file_line_col_path_message_hint():
    text = variant("kind: organisation", "kind: guild")
    problem = only_problem(text)
    rendered = str(problem)
    assert rendered.startswith(f"case.yaml:{line_of(text, 'kind: guild')}:")
    assert ": actors[2].kind: " in rendered
    assert "(use one of the listed values)" in rendered


def test_unknown_actor_in_stance():
    text = variant("  - actor: guild", "  - actor: guilde")
    p = only_problem(text)
    assert p.path == "stances[2].actor"
    assert "unknown actor 'guilde'" in p.message and "did you mean 'guild'" in p.hint
    assert p.line == line_of(text, "actor: guilde")


def test_unknown_issue_in_stance():
    text = variant(
        "      harbour:\n        position:\n          value: 50",
        "      harbor:\n        position:\n          value: 50",
    )
    p = only_problem(text)
    assert p.path == "stances[1].issues.harbor" and "unknown issue 'harbor'" in p.message
    assert p.line == line_of(text, "harbor:")


def test_unknown_actor_in_relation_and_event():
    text = variant("    to: highmere\n", "    to: midmere\n")
    text = text.replace("actors: [lowmere, highmere, sheriff]", "actors: [lowmere, highmere, sherif]")
    problems = problems_of(text)
    assert [p.path for p in problems] == ["relations[0].to", "events[1].actors[2]"]
    assert problems[0].line == line_of(text, "to: midmere")
    assert problems[1].line == line_of(text, "sherif]")
    assert "did you mean 'sheriff'" in problems[1].hint


def test_duplicate_ids():
    text = variant("{id: sheriff, name: County sheriff", "{id: guild, name: County sheriff")
    problems = problems_of(text)
    dup = [p for p in problems if "duplicate id" in p.message]
    assert len(dup) == 1 and dup[0].path == "actors[3].id"
    assert dup[0].line == line_of(text, "name: County sheriff")


def test_duplicate_yaml_key():
    text = variant(
        "    title: Truce agreed at the bridge house\n", "    title: Truce agreed\n    title: Again\n"
    )
    p = only_problem(text)
    assert "duplicate key 'title'" in p.message and p.line == line_of(text, "title: Again")


def test_value_out_of_range():
    text = variant("salience: {value: 0.8,", "salience: {value: 1.8,")
    p = only_problem(text)
    assert p.path == "stances[1].issues.harbour.salience.value"
    assert "salience 1.8 is outside [0, 1]" in p.message and p.line == line_of(text, "value: 1.8")


def test_position_out_of_range_in_estimate():
    text = variant("            - value: 45\n", "            - value: 145\n")
    p = only_problem(text)
    assert p.path.endswith("position.estimates[1].value") and "outside [0, 100]" in p.message
    assert p.line == line_of(text, "value: 145")


def test_nan_is_refused():
    text = variant("      value: 0.1\n", "      value: .nan\n")
    p = only_problem(text)
    assert p.path == "stances[2].capability.value" and "capability is nan" in p.message
    assert p.line == line_of(text, "value: .nan")


def test_status_quo_outside_scale():
    text = variant("    status_quo:\n      value: 50", "    status_quo:\n      value: 120")
    p = only_problem(text)
    assert p.path == "issues[0].status_quo.value" and "status quo 120 is outside [0, 100]" in p.message
    assert p.line == line_of(text, "value: 120")


def test_low_above_high_and_value_outside_range():
    text = variant("          low: 40\n          high: 55", "          low: 60\n          high: 55")
    problems = problems_of(text)
    assert any("low (60) is above high (55)" in p.message for p in problems)


def test_date_does_not_parse():
    text = variant("    date: 2020-03-03\n", "    date: 2020-13-45\n")
    p = only_problem(text)
    assert p.path == "events[1].date" and "is not a date" in p.message or "must be in 1..12" in p.message
    assert p.line == line_of(text, "date: 2020-13-45")


def test_date_contradicts_precision():
    text = variant("    date: 2019\n    precision: year", "    date: 2019-05\n    precision: year")
    p = only_problem(text)
    assert p.path == "events[0].date"
    assert "has month precision but precision is 'year'" in p.message and p.line == line_of(
        text, "date: 2019-05"
    )


def test_event_after_as_of():
    text = variant("    date: 2020-03-03\n", "    date: 2020-07-03\n")
    p = only_problem(text)
    assert "after the case's as_of date" in p.message and p.line == line_of(text, "date: 2020-07-03")


def test_number_without_evidence():
    text = variant(
        "    capability: {value: 0.5, evidence: [*claims], note: Equal weight with Lowmere.}",
        "    capability: {value: 0.5, note: Equal weight with Lowmere.}",
    )
    p = only_problem(text)
    assert p.path == "stances[1].capability" and "a number with no evidence" in p.message
    assert p.line == line_of(text, "capability: {value: 0.5, note")


def test_bare_number_is_refused():
    text = variant(
        "    capability: {value: 0.5, evidence: [*claims], note: Equal weight with Lowmere.}",
        "    capability: 0.5",
    )
    p = only_problem(text)
    assert p.path == "stances[1].capability" and p.line == line_of(text, "capability: 0.5")


def test_unknown_field_with_suggestion():
    text = variant("    mandate: Chairs", "    mandat: Chairs")
    p = only_problem(text)
    assert p.message == "unknown field 'mandat'" and p.hint == "did you mean 'mandate'?"
    assert p.path == "relations[1].mandat" and p.line == line_of(text, "mandat: Chairs")


def test_evidence_cites_unknown_document():
    text = variant("{doc: guild-letter, start: 153", "{doc: guild-letters, start: 153")
    p = only_problem(text)
    assert "not in case.sources" in p.message and p.path == "stances[2].capability.evidence[0].doc"


def test_span_out_of_range_with_corpus():
    text = variant("start: 153, end: 196", "start: 153, end: 9196")
    assert validate_text(text, "case.yaml").ok  # without the corpus the rest still validates
    p = only_problem(text, CORPUS)
    assert "out of range" in p.message and p.line == line_of(text, "end: 9196")


def test_span_hash_mismatch_with_corpus():
    text = variant("start: 153, end: 196", "start: 152, end: 196")
    p = only_problem(text, CORPUS)
    assert "span [152, 196) of 'guild-letter' hashes to" in p.message and p.line == line_of(
        text, "start: 152"
    )


def test_source_text_changed_is_reported():
    text = variant(
        "sha256: fbe4f9edde63b2629614e941342606991809b7e8d2698d7a541adad78f1da20b", "sha256: " + "ab" * 32
    )
    p = only_problem(text, CORPUS)
    assert p.path == "case.sources[1].sha256" and "does not hash" in p.message


def test_yaml_syntax_error_has_line():
    text = variant(
        "  - {id: guild, name: River guild, kind: organisation, aliases: [the guild]}",
        "  - {id: guild, name: [River",
    )
    p = only_problem(text)
    assert p.message.startswith("YAML syntax error")
    assert p.line in (line_of(text, "name: [River"), line_of(text, "name: [River") + 1)


def test_not_utf8():
    raw = HARBOUR.encode("utf-8").replace(b"River guild", b"River gu\xefld")
    report = validate_bytes(raw.replace(b"\xc3", b""), "latin.yaml")
    p = report.problems[0]
    assert "not UTF-8" in p.message and p.line == line_of(HARBOUR, "River guild")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("  \n")
    p = validate_file(path).problems[0]
    assert p.message == "the file is empty" and p.line == 1


def test_file_over_10_mb(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (10 * 1024 * 1024 + 1))
    p = validate_file(path).problems[0]
    assert "over the 10 MB limit" in p.message


def test_missing_file(tmp_path):
    p = validate_file(tmp_path / "nope.yaml").problems[0]
    assert p.message == "file not found"


def test_object_construction_is_refused():
    text = HARBOUR.replace("title: The harbour dispute", "title: !!python/object/apply:os.system ['echo hi']")
    p = only_problem(text)
    assert "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'" in p.message
    assert p.line == line_of(text, "os.system")


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(8):
        prev = chr(ord("a") + i)
        cur = chr(ord("a") + i + 1)
        bomb += (
            f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, "
            f"*{prev}, *{prev}]\n"
        )
    p = only_problem(bomb)
    assert "expands to more than" in p.message


def test_all_digit_hash_gets_quote_hint():
    text = variant(
        "sha256: fbe4f9edde63b2629614e941342606991809b7e8d2698d7a541adad78f1da20b", "sha256: " + "1" * 64
    )
    p = only_problem(text)
    assert p.path == "case.sources[1].sha256" and "quote it" in p.hint


def test_all_problems_reported_at_once():
    text = variant("salience: {value: 0.8,", "salience: {value: 1.8,")
    text = text.replace("    to: highmere\n", "    to: midmere\n")
    text = text.replace("      value: 0.1\n", "      value: -0.1\n")
    problems = problems_of(text)
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)


@pytest.mark.parametrize("top", ["[]", "42", "just text"])
def test_top_level_must_be_mapping(top):
    p = only_problem(top + "\n")
    assert "a case file is a mapping" in p.message


def test_mediation_may_name_parties_instead_of_to():
    text = variant("    to: lowmere\n    parties: [lowmere, highmere]", "    parties: [lowmere, highmere]")
    assert validate_text(text, "case.yaml").ok
    text = variant("    to: lowmere\n    parties: [lowmere, highmere]", "    parties: [lowmere]")
    p = only_problem(text)
    assert p.path == "relations[1]" and "'to' is required" in p.message


def test_relation_without_to_is_refused():
    text = variant("    from: lowmere\n    to: highmere\n", "    from: lowmere\n")
    p = only_problem(text)
    assert "'to' is required" in p.message and p.line == line_of(text, "- id: towns-rivalry")
