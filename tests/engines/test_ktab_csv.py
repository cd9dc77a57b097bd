"""KTAB scenario CSV: exact round trips on KTAB's sample files, clear errors on malformed input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.formats.ktab import (
    KtabCsvError,
    KtabScenario,
    format_ktab_csv,
    parse_ktab_csv,
    read_ktab_csv,
    write_ktab_csv,
)

repo_root = Path(__file__).resolve().parents[2]
shared = repo_root.parent / "shared"
KTAB_REF = shared / "reference" / "ktab"
SAMPLES = ["dummyData_3Dim", "dummyData_6Dim", "SOE-Pol-Comp", "SOE-Policy", "dummyData-a080"]
SHAPES = {
    "dummyData_3Dim": (7, 3),
    "dummyData_6Dim": (27, 6),
    "SOE-Pol-Comp": (13, 2),
    "SOE-Policy": (26, 1),
    "dummyData-a080": (80, 1),
}


def _sample(name: str) -> Path:
    path = KTAB_REF / name / f"{name}.csv"
    if not path.is_file():
        pytest.fail(f"KTAB sample scenario missing: expected {path} (shared dir {shared})")
    return path


def _same_numbers(a: KtabScenario, b: KtabScenario) -> None:
    assert np.array_equal(a.capability, b.capability)
    assert np.array_equal(a.positions, b.positions)
    assert np.array_equal(a.saliences, b.saliences)
    assert (a.name, a.description, a.capability_label) == (b.name, b.description, b.capability_label)
    assert a.actor_names == b.actor_names and a.actor_descriptions == b.actor_descriptions
    assert a.dimension_names == b.dimension_names and a.salience_names == b.salience_names


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_of_the_ktab_samples_is_exact(name: str, tmp_path: Path) -> None:
    path = _sample(name)
    sc = read_ktab_csv(path)
    assert sc.positions.shape == SHAPES[name] and sc.saliences.shape == SHAPES[name]
    assert np.all(sc.saliences.sum(axis=1) <= 100.0 + 1e-9)
    # the same bytes back
    out = tmp_path / "out.csv"
    write_ktab_csv(sc, out)
    assert out.read_bytes() == path.read_bytes()
    # written afresh (no layout kept), the numbers and names still come back exactly
    fresh = parse_ktab_csv(format_ktab_csv(dataclasses.replace(sc, layout=None)))
    _same_numbers(sc, fresh)


def test_parsed_fields() -> None:
    sc = read_ktab_csv(_sample("dummyData_3Dim"))
    assert sc.name == "DummyData_3Dim" and sc.description == "Dummy scenario to test reading format"
    assert sc.capability_label == "Power" and sc.dimension_names == ["Pstn1", "Pstn2", "Pstn3"]
    assert sc.actor_names[0] == "SActor-00" and sc.actor_descriptions[0] == "Random Spatial Actor"
    assert sc.capability[0] == 102.543 and sc.positions[2, 2] == 0.07 and sc.saliences[0, 0] == 49.53
    a080 = read_ktab_csv(_sample("dummyData-a080"))
    assert a080.dimension_names == ["XYZ Position"] and a080.capability_label == "Influence"


def test_changed_values_are_written_exactly() -> None:
    sc = read_ktab_csv(_sample("SOE-Pol-Comp"))
    changed = dataclasses.replace(sc, positions=sc.positions.copy(), capability=sc.capability / 3.0)
    changed.positions[0, 0] = 100.0 / 3.0
    text = format_ktab_csv(changed)
    back = parse_ktab_csv(text)
    _same_numbers(changed, back)
    assert "33.333333333333336" in text.splitlines()[2]


def test_names_with_commas_and_quotes_survive() -> None:
    sc = KtabScenario(
        name="Trade, 2030",
        description='the "big" question',
        actor_names=["A, Inc.", "B"],
        actor_descriptions=["", "plain"],
        capability=np.array([1.5, 2.0]),
        positions=np.array([[10.0], [90.5]]),
        saliences=np.array([[50.0], [100.0]]),
        dimension_names=["Tariff"],
    )
    back = parse_ktab_csv(format_ktab_csv(sc))
    _same_numbers(sc, dataclasses.replace(back, salience_names=[]))
    assert back.salience_names == ["Tariff Salience"]


BAD = [
    ("", 1, "empty"),
    ("S,d,2\n", 1, "at least 4 cells"),
    ("S,d,two,1\nActor,Description,Power,P,S\na,x,1,50,50\nb,x,1,50,50\n", 1, "number of actors"),
    ("S,d,2,1\nActor,Description,Power,P\na,x,1,50,50\nb,x,1,50,50\n", 2, "header"),
    ("S,d,2,1\nActor,Description,Power,P,S\na,x,1,50,50\nb,x,1,fifty,50\n", 4, "not a number"),
    ("S,d,2,1\nActor,Description,Power,P,S\na,x,1,50,50\nb,x,1,150,50\n", 4, "outside 0-100"),
    ("S,d,2,2\nActor,Description,Power,P,S,Q,T\na,x,1,50,60,50,60\nb,x,1,1,1,1,1\n", 3, "more than 100"),
    ("S,d,2,1\nActor,Description,Power,P,S\na,x,-1,50,50\nb,x,1,50,50\n", 3, "negative"),
    ("S,d,3,1\nActor,Description,Power,P,S\na,x,1,50,50\nb,x,1,50,50\n", 4, "announces 3 actors"),
    ("S,d,1,1\nActor,Description,Power,P,S\na,x,1,50,50\nb,x,1,50,50\n", 4, "announces 1 actors"),
    ("S,d,2,1\nActor,Description,Power,P,S\na,x,1,50\nb,x,1,50,50\n", 3, "expected 5"),
    ("S,d,2,1\nActor,Description,Power,P,S\n ,x,1,50,50\nb,x,1,50,50\n", 3, "name is empty"),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD)
def test_malformed_input_names_the_line_and_gives_a_hint(text: str, line: int, words: str) -> None:
    with pytest.raises(KtabCsvError, match=words) as info:
        parse_ktab_csv(text)
    assert info.value.line == line
    assert f"line {line}:" in str(info.value) and "hint:" in str(info.value)
    assert isinstance(info.value, ValueError)


_num = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)
_name = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(
    n_act=st.integers(1, 5),
    n_dim=st.integers(1, 3),
    data=st.data(),
)
def test_any_scenario_round_trips(n_act: int, n_dim: int, data: st.DataObject) -> None:
    pos = np.array(data.draw(st.lists(_num, min_size=n_act * n_dim, max_size=n_act * n_dim))).reshape(
        n_act, n_dim
    )
    sal = np.array(data.draw(st.lists(_num, min_size=n_act * n_dim, max_size=n_act * n_dim))).reshape(
        n_act, n_dim
    )
    sal = np.floor(sal / n_dim * 1e6) / 1e6  # keep each actor's total at most 100
    cap = np.array(data.draw(st.lists(st.floats(0.0, 1e6), min_size=n_act, max_size=n_act)))
    sc = KtabScenario(
        name=data.draw(_name),
        description=data.draw(_name),
        actor_names=data.draw(st.lists(_name, min_size=n_act, max_size=n_act)),
        actor_descriptions=[""] * n_act,
        capability=cap,
        positions=pos,
        saliences=sal,
        dimension_names=data.draw(st.lists(_name, min_size=n_dim, max_size=n_dim)),
    )
    back = parse_ktab_csv(format_ktab_csv(sc))
    _same_numbers(sc, dataclasses.replace(back, salience_names=[]))
    assert format_ktab_csv(back) == format_ktab_csv(sc)
