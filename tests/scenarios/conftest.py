"""Small synthetic cases and scenario files for the scenario tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from accord.case.model import Case

SHA = "0" * 64


def ev(doc: str = "memo") -> list[dict]:
    return [{"doc": doc, "start": 0, "end": 10, "sha256": SHA}]


def q(value: float, low: float | None = None, high: float | None = None) -> dict:
    out: dict = {"value": value, "evidence": ev()}
    if low is not None:
        out["low"] = low
    if high is not None:
        out["high"] = high
    return out


def estimates(*items: tuple[float, float | None, float | None, str]) -> dict:
    return {
        "estimates": [
            {
                "value": v,
                **({"low": lo} if lo is not None else {}),
                **({"high": hi} if hi is not None else {}),
                "source": src,
                "evidence": ev(src),
            }
            for v, lo, hi, src in items
        ]
    }


def make_case(
    stances: dict | None = None, relations: list | None = None, status_quo: dict | None = None
) -> Case:
    """Four actors (a, b, c with stances; d without), two issues (land, war)."""
    status_quo = status_quo or {"land": q(50, 40, 60), "war": q(80)}
    stances = stances or {
        "a": {
            "capability": q(0.5, 0.4, 0.6),
            "issues": {
                "land": {"position": q(100), "salience": q(0.9)},
                "war": {"position": q(90, 80, 100), "salience": q(0.5)},
            },
        },
        "b": {
            "capability": estimates((0.4, None, None, "memo"), (0.2, 0.1, 0.3, "letter")),
            "issues": {
                "land": {
                    "position": estimates((0, None, None, "memo"), (20, 10, 30, "letter")),
                    "salience": q(0.8),
                },
                "war": {"position": q(70), "salience": q(0.6)},
            },
        },
        "c": {"capability": q(0.2), "issues": {"land": {"position": q(40, 30, 50), "salience": q(0.5)}}},
    }
    data = {
        "format": 1,
        "case": {
            "id": "synthetic",
            "title": "A synthetic dispute",
            "as_of": "2020-01-01",
            "description": "For tests.",
            "sources": [
                {"id": "memo", "title": "Memo", "date": "2019-01-01", "sha256": SHA},
                {"id": "letter", "title": "Letter", "date": "2019-06-01", "sha256": SHA},
            ],
        },
        "actors": [{"id": x, "name": x.upper(), "kind": "state"} for x in "abcd"],
        "issues": [
            {
                "id": "land",
                "question": "Who holds the land?",
                "scale": {"min_label": "b", "max_label": "a"},
                "status_quo": status_quo["land"],
            },
            {
                "id": "war",
                "question": "Fight on?",
                "scale": {"min_label": "stop", "max_label": "fight"},
                "status_quo": status_quo["war"],
            },
        ],
        "stances": [{"actor": k, **v} for k, v in stances.items()],
        "relations": relations
        if relations is not None
        else [
            {
                "id": "pact",
                "type": "alliance",
                "from": "c",
                "to": "a",
                "evidence": ev(),
                "applies_if": {
                    "description": "if the land is lost",
                    "issue": "land",
                    "op": "<=",
                    "threshold": 30,
                },
            },
            {
                "id": "words",
                "type": "alliance",
                "from": "c",
                "to": "b",
                "evidence": ev(),
                "applies_if": {"description": "only in words"},
            },
        ],
    }
    return Case.model_validate(data)


@pytest.fixture
def case() -> Case:
    return make_case()


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write a scenario YAML (dedented) to a file and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write
