"""Scenario files: valid ones load; bad ones get FILE:LINE:COL: field: message (hint)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.scenarios.language import ScenarioError, builtin_scenarios
from accord.scenarios.service import list_scenarios, load_scenario

CORPUS = Path("/work/shared/corpus/nagorno-karabakh")


def problems_of(path: Path, case) -> list[str]:  # noqa: ANN001
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, case)
    return [str(p) for p in info.value.problems]


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


HEADER = """\
scenario: 1
id: test
title: A test
interventions:
"""


def test_valid_scenario_loads(case, write_scenario):
    path = write_scenario(
        HEADER
        + """\
  - {kind: set, actor: a, attribute: position, issue: land, value: 60}
  - {kind: align, actor: c, with: a, weight: 0.5}
  - {kind: add_actor, actor: d, capability: 0.3, position: {war: 10}, salience: {war: 0.4}}
  - {kind: coalition, id: ac, members: [a, c]}
  - kind: trigger
    relation: pact
    then: [{kind: shift, actor: ac, attribute: salience, issue: land, by: 0.1}]
"""
    )
    scenario, loaded = load_scenario(path, case)
    assert loaded is case and [iv.kind for iv in scenario.interventions][-1] == "trigger"


def test_unknown_actor_names_file_line_and_field(case, write_scenario):
    path = write_scenario(HEADER + "  - {kind: set, actor: ax, attribute: position, value: 10}\n")
    message = only(problems_of(path, case))
    assert message.startswith(f"{path}:5:")
    assert (
        "interventions[0].actor" in message
        and "unknown actor 'ax'" in message
        and "did you mean 'a'" in message
    )


def test_actor_without_stance_gets_a_hint(case, write_scenario):
    path = write_scenario(HEADER + "  - {kind: shift, actor: d, attribute: salience, by: 0.1}\n")
    assert "holds no stance" in only(problems_of(path, case)) and "add_actor" in only(problems_of(path, case))


def test_unknown_issue(case, write_scenario):
    path = write_scenario(
        HEADER + "  - kind: set\n    actor: a\n    attribute: salience\n    issue: lnad\n    value: 0.5\n"
    )
    message = only(problems_of(path, case))
    assert (
        f"{path}:8:" in message and "interventions[0].issue" in message and "did you mean 'land'" in message
    )


@pytest.mark.parametrize(
    ("step", "field", "words"),
    [
        ("{kind: set, actor: a, attribute: salience, value: 1.5}", "value", "outside [0, 1]"),
        ("{kind: set, actor: a, attribute: position, value: 120}", "value", "outside [0, 100]"),
        ("{kind: shift, actor: a, attribute: capability, by: -3}", "by", "outside [-1, 1]"),
        ("{kind: scale, actor: a, attribute: capability, factor: -1}", "factor", "outside [0, 10]"),
        ("{kind: align, actor: a, with: b, weight: 2}", "weight", "outside [0, 1]"),
        (
            "{kind: add_actor, actor: d, capability: 0.2, position: {land: 101}, salience: {land: 0.5}}",
            "position.land",
            "outside",
        ),
        (
            "{kind: trigger, when: {issue: land, op: '<=', threshold: 150}, "
            "then: [{kind: set, actor: a, attribute: salience, value: 1}]}",
            "when.threshold",
            "outside [0, 100]",
        ),
    ],
)
def test_out_of_range_values(case, write_scenario, step, field, words):
    path = write_scenario(HEADER + f"  - {step}\n")
    message = only(problems_of(path, case))
    assert f"{path}:5:" in message and f"interventions[0].{field}" in message and words in message


def test_cyclic_alignment_is_refused(case, write_scenario):
    path = write_scenario(
        HEADER
        + """\
  - {kind: align, actor: a, with: b, issue: land}
  - {kind: align, actor: b, with: c}
  - {kind: align, actor: c, with: a, issue: land}
"""
    )
    message = only(problems_of(path, case))
    assert (
        f"{path}:7:" in message
        and "interventions[2].with" in message
        and "cyclic alignment: c -> a -> b -> c" in message
    )


def test_aligns_on_different_issues_are_not_a_cycle(case, write_scenario):
    path = write_scenario(
        HEADER
        + "  - {kind: align, actor: a, with: b, issue: land}\n"
        + "  - {kind: align, actor: b, with: a, issue: war}\n"
    )
    load_scenario(path, case)


def test_set_and_remove_the_same_actor_is_contradictory(case, write_scenario):
    path = write_scenario(
        HEADER
        + """\
  - {kind: set, actor: b, attribute: salience, value: 0.2}
  - {kind: remove_actor, actor: b}
  - {kind: shift, actor: b, attribute: position, by: 5}
"""
    )
    problems = problems_of(path, case)
    assert len(problems) == 2
    assert (
        f"{path}:6:" in problems[0]
        and "contradictory: interventions[0] changes 'b', which this removes" in problems[0]
    )
    assert f"{path}:7:" in problems[1] and "removed by interventions[1]" in problems[1]


def test_two_different_sets_of_one_cell_are_contradictory(case, write_scenario):
    path = write_scenario(
        HEADER
        + """\
  - {kind: set, actor: a, attribute: position, value: 10}
  - {kind: set, actor: a, attribute: position, issue: war, value: 20}
"""
    )
    message = only(problems_of(path, case))
    assert f"{path}:6:" in message and "contradictory" in message and "interventions[0]" in message


def test_schema_errors_point_at_the_field(case, write_scenario):
    path = write_scenario(
        HEADER
        + """\
  - {kind: sett, actor: a}
  - {kind: set, actor: a, attribute: colour, value: 1}
  - {kind: shift, actor: a, attribute: position, by: lots}
  - {kind: trigger, when: {issue: land, op: '<', threshold: 5}, then: [{kind: remove_actor, actor: a}]}
  - {kind: align, actor: a, wiht: b}
"""
    )
    problems = problems_of(path, case)
    text = "\n".join(problems)
    assert (
        "5:" in problems[0]
        and "unknown intervention kind 'sett'" in problems[0]
        and "did you mean 'set'" in problems[0]
    )
    assert "interventions[1].attribute" in text and "interventions[2].by" in text
    assert "a trigger cannot remove actor" in text and "interventions[3].then[0].kind" in text
    assert "unknown field 'wiht'" in text and "did you mean 'with'" in text
    assert all(p.startswith(f"{path}:") for p in problems)


def test_relation_without_threshold_needs_when(case, write_scenario):
    path = write_scenario(
        HEADER
        + """\
  - kind: trigger
    relation: words
    then: [{kind: set, actor: a, attribute: salience, value: 1}]
"""
    )
    message = only(problems_of(path, case))
    assert "states no threshold" in message and "when:" in message
    ok = write_scenario(
        HEADER
        + """\
  - kind: trigger
    relation: words
    when: {issue: war, op: '>=', threshold: 90}
    then: [{kind: set, actor: a, attribute: salience, value: 1}]
""",
        "ok.yaml",
    )
    load_scenario(ok, case)


def test_yaml_syntax_error_has_a_line(case, write_scenario):
    path = write_scenario(HEADER + "  - {kind: set, actor: a\n")
    message = only(problems_of(path, case))
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", message) and "YAML syntax error" in message


def test_missing_file(case, tmp_path):
    with pytest.raises(ScenarioError, match="scenario not found"):
        load_scenario(tmp_path / "nope.yaml", case)


def test_scenario_case_path_is_relative_to_the_file(tmp_path):
    case_file = Path(__file__).resolve().parents[1] / "fixtures" / "harbour.yaml"
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "harbour.yaml").write_text(case_file.read_text())
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario: 1\nid: s\ntitle: S\ncase: cases/harbour.yaml\ninterventions:\n"
        "  - {kind: set, actor: guild, attribute: capability, value: 0.4}\n"
    )
    _, loaded = load_scenario(path)
    assert loaded.id == "harbour"


# -- the built-in scenarios --------------------------------------------------------------------


def test_builtin_scenarios_are_the_eight_asked_for():
    names = set(builtin_scenarios())
    assert names == {
        "baseline-mediation",
        "russia-sides-with-armenia",
        "russia-sides-with-azerbaijan",
        "turkey-backing-grows",
        "internationalisation",
        "russian-military-intervention",
        "russia-influence-overestimated",
        "hardened-positions",
    }
    listed = list_scenarios("nagorno-karabakh-2020")
    assert len(listed) == 8 and all(s is not None for _, s, _ in listed)


@pytest.mark.parametrize("name", sorted(builtin_scenarios()))
def test_builtin_scenario_is_valid_and_cites_its_passage(name):
    corpus = None
    if CORPUS.is_dir():
        from accord.spans.pointers import load_corpus_dir

        corpus = load_corpus_dir(CORPUS)
    scenario, case = load_scenario(name, corpus=corpus)
    assert scenario.id == name and case.id == "nagorno-karabakh-2020"
    assert scenario.evidence and scenario.question


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the Nagorno-Karabakh corpus is not on this machine")
def test_builtin_scenarios_copy_no_nine_word_run_of_the_corpus():
    def words(text: str) -> list[str]:
        return re.findall(r"[\w’']+", text.lower().replace("’", "'"))

    shingles = set()
    for doc in CORPUS.glob("*.txt"):
        w = words(doc.read_text(encoding="utf-8"))
        shingles |= {tuple(w[i : i + 9]) for i in range(len(w) - 8)}
    for path in builtin_scenarios().values():
        w = words(path.read_text(encoding="utf-8"))
        copied = [" ".join(w[i : i + 9]) for i in range(len(w) - 8) if tuple(w[i : i + 9]) in shingles]
        assert not copied, f"{path.name} copies: {copied[:3]}"


def test_a_trigger_may_undo_a_static_alignment(case, write_scenario):
    """Static steps and a trigger's effects happen at different times: not a cycle."""
    path = write_scenario(
        HEADER
        + """\
  - {kind: align, actor: a, with: b, issue: land}
  - kind: trigger
    when: {issue: land, op: '<=', threshold: 20}
    then: [{kind: align, actor: b, with: a, issue: land}]
"""
    )
    load_scenario(path, case)
