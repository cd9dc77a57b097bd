"""Property: whatever bytes or malformed YAML arrive, validation reports problems and never raises."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.case.validate import validate_bytes, validate_text

HARBOUR = (Path(__file__).resolve().parents[1] / "fixtures" / "harbour.yaml").read_text(encoding="utf-8")
LINES = HARBOUR.splitlines(keepends=True)

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw):
    report = validate_bytes(raw, "fuzz.yaml")
    assert not report.ok
    assert all(p.line >= 1 and p.column >= 1 for p in report.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=0, max_value=len(LINES) - 1),
    st.integers(min_value=0, max_value=len(LINES)),
    st.text(alphabet=st.sampled_from(list(" -:{}[]&*!|>'\"#,\n\tabc019.")), max_size=30),
)
def test_mutated_case_never_raises(start, length, junk):
    """Cut a slice of the example case and splice junk in: problems or a valid case, never an exception."""
    text = "".join(LINES[:start]) + junk + "".join(LINES[start + length :])
    report = validate_text(text, "mutated.yaml")
    assert report.ok or report.problems
    for p in report.problems:
        assert str(p).startswith("mutated.yaml:")


@settings(max_examples=100, deadline=None)
@given(yaml_values)
def test_structured_garbage_never_raises(value):
    import yaml

    text = yaml.safe_dump({"format": 1, "case": value, "actors": value, "issues": [value]})
    report = validate_text(text, "garbage.yaml")
    assert not report.ok and report.problems
