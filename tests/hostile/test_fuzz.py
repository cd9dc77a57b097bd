"""A hypothesis campaign over case and scenario validation: whatever the text, a report with located
problems (or a valid result), never an exception, never a bare exception name as the message.

``make test`` runs a seed-fixed slice (``ACCORD_FUZZ_EXAMPLES`` unset: 150 examples per property, five
properties); ``make fuzz`` runs the campaign (``ACCORD_FUZZ_EXAMPLES=2500``: 12,500 inputs), printing how
many inputs each property tried and the slowest one.
"""

from __future__ import annotations

import os
import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.case.validate import validate_text
from accord.scenarios.language import validate_scenario_text
from tests.hostile import corpus

EXAMPLES = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "150"))
CAMPAIGN = "ACCORD_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not CAMPAIGN,
    database=None,
    suppress_health_check=list(HealthCheck),
)
GENERIC = re.compile(
    r"\b(ValueError|TypeError|RecursionError|MemoryError|KeyError|IndexError|AttributeError|Traceback)\b"
)
LINES = corpus.HARBOUR_TEXT.splitlines(keepends=True)
SCENARIO = (
    corpus.big_scenario(2)
    .replace("case: harbour", "case: nagorno-karabakh-2020")
    .replace("lowmere", "armenia")
    .replace("issue: harbour", "issue: territory")
)
SCENARIO_LINES = SCENARIO.splitlines(keepends=True)
TALLY: dict[str, list[float]] = {}

# Fragments that reach the YAML reader's corners: anchors, tags, flow, numbers of YAML 1.1, escapes.
FRAGMENTS = [
    "&a ",
    "*a",
    "!!str ",
    "!!int ",
    "!!python/name:os.system ",
    "<<: ",
    "[",
    "]",
    "{",
    "}",
    "? ",
    ": ",
    "- ",
    "---\n",
    "...\n",
    "|\n",
    "> ",
    '"\\ud800"',
    '"\\x00"',
    "1:0:0:0",
    "0x1F",
    "0o17",
    "0b101",
    "1e400",
    ".nan",
    ".inf",
    "yes",
    "~",
    "9" * 120,
    "\t",
    "\ufeff",
    "#",
    "'",
    '"',
    "\\",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "[" * 150,
    "{a: " * 120,
    "\u202e",
    "\x1b[31m",
    "[/OSCE]",
]
junk = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=12).map("".join)


def _check(kind: str, report_problems: list, name: str, started: float) -> None:
    TALLY.setdefault(kind, []).append(time.process_time() - started)
    for p in report_problems:
        assert p.file == name and p.line >= 1 and p.column >= 1, p
        assert p.message and not GENERIC.search(p.message), p


@FUZZ
@given(st.integers(0, len(LINES) - 1), st.integers(0, 6), junk)
def test_spliced_cases(start: int, length: int, inserted: str) -> None:
    text = "".join(LINES[:start]) + inserted + "".join(LINES[start + length :])
    started = time.process_time()
    report = validate_text(text, "fuzz.yaml")
    _check("spliced case", report.problems, "fuzz.yaml", started)
    assert report.ok or report.problems


@FUZZ
@given(st.text(max_size=300) | junk)
def test_arbitrary_case_text(text: str) -> None:
    started = time.process_time()
    report = validate_text(text, "fuzz.yaml")
    _check("arbitrary case text", report.problems, "fuzz.yaml", started)
    assert not report.ok


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=16),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=16,
)


@FUZZ
@given(st.sampled_from(["case", "actors", "issues", "stances", "relations", "events"]), values)
def test_structured_garbage_in_one_section(section: str, value: object) -> None:
    data = corpus.harbour()
    data[section] = value
    started = time.process_time()
    report = validate_text(corpus.dump(data), "fuzz.yaml")
    _check("structured case", report.problems, "fuzz.yaml", started)


@FUZZ
@given(st.integers(0, len(SCENARIO_LINES) - 1), st.integers(0, 4), junk)
def test_spliced_scenarios(start: int, length: int, inserted: str) -> None:
    text = "".join(SCENARIO_LINES[:start]) + inserted + "".join(SCENARIO_LINES[start + length :])
    started = time.process_time()
    report = validate_scenario_text(text, "fuzz.yaml")
    _check("spliced scenario", report.problems, "fuzz.yaml", started)


@FUZZ
@given(st.sampled_from(["id", "title", "case", "interventions", "evidence", "question"]), values)
def test_structured_garbage_in_a_scenario(field: str, value: object) -> None:
    import yaml

    data = yaml.safe_load(SCENARIO)
    data[field] = value
    started = time.process_time()
    report = validate_scenario_text(yaml.safe_dump(data, allow_unicode=True), "fuzz.yaml")
    _check("structured scenario", report.problems, "fuzz.yaml", started)


def test_zz_tally() -> None:
    """Prints the campaign's figures (inputs per property, slowest input); runs after the properties."""
    for kind, times in sorted(TALLY.items()):
        print(
            f"\n{kind}: {len(times)} inputs, slowest {max(times) * 1000:.1f} ms CPU, total {sum(times):.1f} s"
        )
    assert sum(len(t) for t in TALLY.values()) >= 5 * min(EXAMPLES, 10) or not TALLY
