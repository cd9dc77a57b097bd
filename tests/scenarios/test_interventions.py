"""Each intervention changes exactly what it declares, and nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from accord.scenarios.interventions import Batch, apply_intervention, apply_interventions
from accord.scenarios.language import AddActor, Align, Coalition, RemoveActor, Scale, Set, Shift

ACTORS = ("a", "b", "c", "d")
ISSUES = ("x", "y", "z")


@pytest.fixture
def batch() -> Batch:
    rng = np.random.default_rng(7)
    d, a, i = 5, len(ACTORS), len(ISSUES)
    return Batch(
        positions=rng.uniform(10, 90, (d, a, i)),
        salience=rng.uniform(0.1, 0.9, (d, a, i)),
        capability=np.repeat(rng.uniform(0.1, 0.9, (d, a, 1)), i, axis=2),
        status_quo=rng.uniform(20, 80, (d, i)),
        actors=ACTORS,
        issues=ISSUES,
    )


def changed_cells(before: Batch, after: Batch) -> dict[str, set[tuple[int, int, int]]]:
    """Per attribute, the (draw, actor, issue) cells whose value changed."""
    out = {}
    for name in ("position", "salience", "capability"):
        diff = before.attribute(name) != after.attribute(name)
        out[name] = {tuple(int(v) for v in idx) for idx in np.argwhere(diff)}
    return out


def cells(actor: int, issues: list[int], draws: range | list[int] = range(5)) -> set[tuple[int, int, int]]:
    return {(d, actor, i) for d in draws for i in issues}


def test_set_one_issue_changes_only_that_cell(batch):
    after = apply_intervention(batch, Set(kind="set", actor="b", attribute="position", issue="y", value=55))
    assert changed_cells(batch, after) == {"position": cells(1, [1]), "salience": set(), "capability": set()}
    assert np.all(after.positions[:, 1, 1] == 55)
    assert np.array_equal(after.status_quo, batch.status_quo) and after.actors == batch.actors


def test_set_all_issues(batch):
    after = apply_intervention(batch, Set(kind="set", actor="c", attribute="salience", value=0.25))
    assert changed_cells(batch, after) == {
        "position": set(),
        "salience": cells(2, [0, 1, 2]),
        "capability": set(),
    }
    assert np.all(after.salience[:, 2, :] == 0.25)


def test_shift_adds_and_clips(batch):
    after = apply_intervention(batch, Shift(kind="shift", actor="a", attribute="position", issue="x", by=30))
    assert changed_cells(batch, after)["position"] == cells(0, [0])
    assert np.allclose(after.positions[:, 0, 0], np.minimum(batch.positions[:, 0, 0] + 30, 100))
    big = apply_intervention(batch, Shift(kind="shift", actor="a", attribute="salience", by=1.0))
    assert np.all(big.salience[:, 0, :] == 1.0)
    assert changed_cells(batch, big) == {
        "position": set(),
        "salience": cells(0, [0, 1, 2]),
        "capability": set(),
    }


def test_scale_capability_and_position_about_status_quo(batch):
    after = apply_intervention(batch, Scale(kind="scale", actor="d", attribute="capability", factor=1.5))
    assert changed_cells(batch, after) == {
        "position": set(),
        "salience": set(),
        "capability": cells(3, [0, 1, 2]),
    }
    assert np.allclose(after.capability[:, 3, :], batch.capability[:, 3, :] * 1.5)
    pos = apply_intervention(
        batch, Scale(kind="scale", actor="b", attribute="position", issue="z", factor=0.5)
    )
    expected = batch.status_quo[:, 2] + 0.5 * (batch.positions[:, 1, 2] - batch.status_quo[:, 2])
    assert np.allclose(pos.positions[:, 1, 2], expected)
    assert changed_cells(batch, pos)["position"] == cells(1, [2])
    pivot = apply_intervention(
        batch, Scale(kind="scale", actor="b", attribute="position", issue="z", factor=0.0, about=50)
    )
    assert np.all(pivot.positions[:, 1, 2] == 50)


def test_align_moves_towards_the_other_actor_only(batch):
    after = apply_intervention(batch, Align(kind="align", actor="a", with_="c", weight=0.25, issue="y"))
    assert changed_cells(batch, after) == {"position": cells(0, [1]), "salience": set(), "capability": set()}
    expected = 0.75 * batch.positions[:, 0, 1] + 0.25 * batch.positions[:, 2, 1]
    assert np.allclose(after.positions[:, 0, 1], expected)
    full = apply_intervention(batch, Align.model_validate({"kind": "align", "actor": "a", "with": "c"}))
    assert np.array_equal(full.positions[:, 0, :], batch.positions[:, 2, :])


def test_rows_mask_limits_a_change_to_some_draws(batch):
    rows = np.array([True, False, True, False, False])
    after = apply_intervention(
        batch, Set(kind="set", actor="a", attribute="position", issue="x", value=0), rows=rows
    )
    assert changed_cells(batch, after)["position"] == cells(0, [0], draws=[0, 2])


def test_add_actor_appends_a_row_and_leaves_others(batch):
    after = apply_intervention(
        batch, AddActor(kind="add_actor", actor="e", capability=0.3, position={"x": 10}, salience={"x": 0.7})
    )
    assert after.actors == ACTORS + ("e",)
    for name in ("position", "salience", "capability"):
        assert np.array_equal(after.attribute(name)[:, :4], batch.attribute(name))
    assert np.all(after.positions[:, 4, 0] == 10)
    assert np.array_equal(
        after.positions[:, 4, 1:], batch.status_quo[:, 1:]
    )  # no stance: sits at the status quo
    assert np.all(after.salience[:, 4, 1:] == 0) and np.all(after.capability[:, 4] == 0.3)


def test_remove_actor_drops_exactly_its_row(batch):
    after = apply_intervention(batch, RemoveActor(kind="remove_actor", actor="b"))
    assert after.actors == ("a", "c", "d")
    keep = [0, 2, 3]
    for name in ("position", "salience", "capability"):
        assert np.array_equal(after.attribute(name), batch.attribute(name)[:, keep])


def test_coalition_pools_capability_behind_a_common_position(batch):
    after = apply_intervention(batch, Coalition(kind="coalition", id="ab", members=["b", "a"]))
    assert after.actors == ("ab", "c", "d")
    cap, sal, pos = batch.capability[:, :2], batch.salience[:, :2], batch.positions[:, :2]
    assert np.allclose(after.capability[:, 0], cap.sum(axis=1))
    # the pooled voting weight equals the members' combined weight on every issue
    assert np.allclose(after.capability[:, 0] * after.salience[:, 0], (cap * sal).sum(axis=1))
    w = cap * sal
    assert np.allclose(after.positions[:, 0], (w * pos).sum(axis=1) / w.sum(axis=1))
    for name in ("position", "salience", "capability"):
        assert np.array_equal(after.attribute(name)[:, 1:], batch.attribute(name)[:, 2:])
    led = apply_intervention(batch, Coalition(kind="coalition", id="ab", members=["a", "b"], position="b"))
    assert np.array_equal(led.positions[:, 0], batch.positions[:, 1])


def test_table_changes_refuse_a_rows_mask(batch):
    with pytest.raises(ValueError, match="some draws only"):
        apply_intervention(batch, RemoveActor(kind="remove_actor", actor="b"), rows=np.ones(5, dtype=bool))


def test_interventions_apply_in_order(batch):
    ivs = [
        Set(kind="set", actor="a", attribute="position", issue="x", value=20),
        Shift(kind="shift", actor="a", attribute="position", issue="x", by=5),
        Align(kind="align", actor="b", with_="a", weight=1.0, issue="x"),
    ]
    after = apply_interventions(batch, ivs)
    assert np.all(after.positions[:, 0, 0] == 25) and np.all(after.positions[:, 1, 0] == 25)


def test_compact_collapses_uniform_capability(batch):
    problem = batch.compact()
    assert problem.capability.shape == (5, 4)
    per_issue = apply_intervention(
        batch, Set(kind="set", actor="a", attribute="capability", issue="x", value=0.1)
    ).compact()
    assert per_issue.capability.shape == (5, 4, 3)


def test_table_changes_carry_who_is_present(batch):
    present = np.ones(batch.positions.shape, dtype=bool)
    present[:, 1, 2] = False  # b holds no position on z
    present[:, 2, 0] = False  # c holds none on x
    masked = type(batch)(
        **{
            **{f: getattr(batch, f) for f in ("positions", "salience", "capability", "status_quo")},
            "actors": ACTORS,
            "issues": ISSUES,
            "present": present,
        }
    )
    removed = apply_intervention(masked, RemoveActor(kind="remove_actor", actor="a"))
    assert removed.present.shape == (5, 3, 3) and not removed.present[0, 0, 2]
    added = apply_intervention(
        masked, AddActor(kind="add_actor", actor="e", capability=0.5, position={"x": 30}, salience={"x": 0.5})
    )
    assert added.present[:, 4].tolist() == [[True, False, False]] * 5
    merged = apply_intervention(
        masked, Coalition(kind="coalition", id="bc", members=["b", "c"], position="weighted")
    )
    assert merged.present[:, 1].all()  # b or c holds each issue
