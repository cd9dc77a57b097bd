"""The fast YAML path (libyaml's events, composed without recursion) against PyYAML's pure-Python loader.

The rule under test: ``load_located`` gives exactly what ``load_located_pure`` gives (data, positions,
node counts, or the same problem), and the fast path is really taken on ordinary case files.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from accord.case import yamlevents
from accord.case.io import builtin_cases
from accord.case.yamlio import MAX_DEPTH, YamlProblem, load_located, load_located_pure
from tests.hostile import corpus

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


def _outcome(load, text: str):
    try:
        located = load(text)
    except YamlProblem as problem:
        return ("problem", problem)
    return ("ok", repr(located.data), located.marks, located.nodes, located.aliased)


def _assert_same(text: str) -> None:
    assert _outcome(load_located, text) == _outcome(load_located_pure, text)


@pytest.mark.parametrize("name", sorted(builtin_cases()))
def test_builtin_cases_take_the_fast_path_and_read_the_same(name: str) -> None:
    text = builtin_cases()[name].read_text(encoding="utf-8")
    assert yamlevents.compose(text, MAX_DEPTH) is not None
    fast, pure = _outcome(load_located, text), _outcome(load_located_pure, text)
    assert fast[0] == "ok" and fast == pure


def test_every_yaml_file_of_the_repository_reads_the_same() -> None:
    files = [p for p in REPO.rglob("*.yaml") if ".venv" not in p.parts]
    assert len(files) >= 10
    for path in files:
        _assert_same(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "label, text", corpus.yaml_texts(size=20_000), ids=lambda v: v if len(v) < 50 else None
)
def test_hostile_yaml_gives_the_same_problem_either_way(label: str, text: str) -> None:
    _assert_same(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: b\tc\n",  # a tab: PyYAML refuses it in places libyaml takes it
        "a: [x, b\tc]\n",
        "\ufeffa: 1\n",  # a byte-order mark: libyaml leaves it out of its columns
        "a: {b: c\ufeffd, e: f}\n",
        "a: [Baku, A?zerbaijani]\n",  # '?' inside a plain scalar in a flow collection
        "a: {b: :x}\n",
        "a: !:x!int 2\n",  # explicit tags that PyYAML refuses
        "a: {b: !s, c: d}\n",
        "a: !!int 3\n",
        "a: {b: , c: 1}\n",  # an empty value in a flow mapping is marked a column apart
        "[a, b: , c]\n",
        "a: |\n x\n?",  # and an empty key or value anywhere: libyaml marks it elsewhere at the end
        "a:\nb: 1\n",
        "b: >#-\n  p\n",  # a block scalar header PyYAML refuses
        "b: |-#\n  p\n",
        "a: 1\n---\nb: 2\n",  # several documents
        "",
        "a: *nowhere\n",
        "a: &x 1\nb: &x 2\n",  # duplicate anchor
    ],
)
def test_what_the_parsers_read_differently_goes_the_pure_way(text: str) -> None:
    assert yamlevents.compose(text, MAX_DEPTH) is None
    _assert_same(text)


def test_depth_limit_counts_like_the_pure_composer() -> None:
    for depth in (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1):
        flow = "[" * depth + "x" + "]" * depth
        block = "".join(" " * i + "-\n" for i in range(depth)) + " " * depth + "x\n"
        for text in (flow, block, "a: " + "{b: " * depth + "1" + "}" * depth):
            _assert_same(text)
    assert yamlevents.compose("[" * MAX_DEPTH + "]" * MAX_DEPTH, MAX_DEPTH) is not None
    assert yamlevents.compose("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), MAX_DEPTH) is None


def test_deep_nesting_in_a_small_thread_stack_is_a_problem_not_a_crash() -> None:
    """libyaml's own composer recurses in C and crashes a 128 KiB thread at 1,000 levels; ours loops."""
    code = """
import threading, sys
from accord.case.yamlio import YamlProblem, load_located
texts = ["[" * 999 + "]" * 999, "- " * 999 + "x", "".join(" " * i + "k:\\n" for i in range(999)),
         "a: " + "[" * 300000 + "]" * 300000]
results = []
def work():
    for text in texts:
        try:
            load_located(text)
            results.append("loaded")
        except YamlProblem as problem:
            results.append(problem.message)
threading.stack_size(128 * 1024)
thread = threading.Thread(target=work)
thread.start()
thread.join()
print(results)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("nesting is deeper than 100 levels") == 4


def test_without_libyaml_the_pure_path_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    text = corpus.HARBOUR_TEXT
    expected = _outcome(load_located, text)
    monkeypatch.setattr(yamlevents, "_CParser", None)
    assert yamlevents.compose(text, MAX_DEPTH) is None
    assert _outcome(load_located, text) == expected


_PIECES = list(":-?[]{},#&*!|>'\"%@` \n\r\\") + [
    "\u2028", "\x85", "é", "😀", ": ", "- ", "? ", "\n  ", "\r\n", "!!int ", "&a ", "*a", "<<: ", "---\n",
    "...\n", '"\\u00e9"', "1:30", "2020-01-01", "0x1F", "1_000", ".5", "~", "yes", "|\n", ">-\n  ", " #",
]  # fmt: skip


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.5:
            text = text[:i] + rng.choice(_PIECES) + text[i:]
        elif choice < 0.8:
            text = text[:i] + text[i + rng.randint(1, 5) :]
        else:
            lines = text.split("\n")
            lines.insert(rng.randrange(len(lines)), rng.choice(lines))
            text = "\n".join(lines)
    return text


def test_mutated_files_read_the_same_either_way() -> None:
    """Differential fuzzing, seeded: random edits of real files, each read by both paths."""
    rng = random.Random(12)
    bases = [corpus.HARBOUR_TEXT] + [
        p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))
    ]
    bases = [b for b in bases if len(b) < 20_000]
    fast = 0
    for _ in range(400):
        text = _mutate(rng.choice(bases), rng)
        fast += yamlevents.compose(text, MAX_DEPTH) is not None
        _assert_same(text)
    assert fast >= 80  # the fast path was exercised, not only the fallback


def test_loading_a_builtin_case_never_needs_the_pure_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``accord run`` does on start: the default case is read by the fast path alone."""
    from accord.case import yamlio
    from accord.case.io import load_case

    def refuse(text: str) -> None:
        raise AssertionError("the pure-Python loader was used")

    monkeypatch.setattr(yamlio, "load_located_pure", refuse)
    for name in builtin_cases():
        assert load_case(name).id == name
