"""The hostile-input corpus: every class of attack issue 14 found, as inputs the tests (and the benchmark
``benchmarks/bench_hostile.py``) feed to the CLI, the validators, the stores and the HTTP API.

Inputs are generated (a 2 MB text does not belong in the repository); each class is a list of
``(label, text)`` pairs, built on the small harbour case of ``tests/fixtures`` so that everything but the
hostile part is valid.
"""

from __future__ import annotations

from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HARBOUR_TEXT = (FIXTURES / "harbour.yaml").read_text(encoding="utf-8")
MB2 = 2_000_000


def harbour() -> dict:
    """The harbour case as data (a fresh copy each call)."""
    return yaml.safe_load(HARBOUR_TEXT)


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# 1. the sentence splitter: texts whose punctuation made the old splitter quadratic
def splitter_texts(size: int = MB2) -> list[tuple[str, str]]:
    return [
        ("dots", "." * size),
        ("dots and spaces", ". " * (size // 2)),
        ("question marks", "a? " * (size // 3)),
        ("titles ending in ?", "A? B" * (size // 4)),
        ("quotes after dots", '."' * (size // 2)),
        ("initials", "A. " * (size // 3)),
        ("acronyms", "U.S. " * (size // 5)),
        ("spaces", " " * size),
        ("newlines", "\n" * size),
        ("ellipses", "…" * size),
    ]


# 2-3 and 10: YAML that is expensive or impossible to build
def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def yaml_texts(size: int = 680_000) -> list[tuple[str, str]]:
    """Whole documents, each about ``size`` characters at most (the web's body cap is 2 MB)."""
    data = harbour()
    sexagesimal = HARBOUR_TEXT.replace("format: 1", "format: 1" + ":0" * (size // 2), 1)
    return [
        ("sexagesimal integer", sexagesimal),
        ("sexagesimal salience", HARBOUR_TEXT.replace("value: 0.5", "value: 1" + ":0" * (size // 2), 1)),
        ("sexagesimal float", "a: 1" + ":0" * (size // 2) + ".5\n"),
        ("integer of 5,000 digits", HARBOUR_TEXT.replace("format: 1", "format: 1" + "0" * 5000, 1)),
        ("integer of 600,000 digits", "a: 1" + "0" * (size - 10) + "\n"),
        ("float of 600,000 digits", "a: 1." + "0" * (size - 10) + "\n"),
        ("binary integer of 600,000 digits", "a: 0b" + "1" * (size - 10) + "\n"),
        ("flow nesting 5,000 deep", "a: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("flow mapping nesting 5,000 deep", "a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n"),
        ("block nesting 2,000 deep", "".join(" " * i + "-\n" for i in range(2000))),
        ("mapping nesting 1,500 deep", "".join(" " * i + "k:\n" for i in range(1500))),
        ("alias bomb", _bomb()),
        ("alias bomb inside a case", HARBOUR_TEXT + "\n" + _bomb().replace("a0:", "extra0:", 1)),
        ("self-referring alias", "a: &a [*a]\n"),
        ("merge keys", "a: &a {x: 1}\nb: {<<: *a}\n"),
        ("python tag", "a: !!python/object/apply:os.system ['echo hi']\n"),
        ("unknown tag", "a: !custom 1\n"),
        ("lone surrogate escape", HARBOUR_TEXT.replace("title: The harbour dispute", 'title: "\\ud800"', 1)),
        ("raw control character", "a: b\nc: \x07\n"),
        ("NUL", "a: \x00\n"),
        ("two documents", "a: 1\n---\nb: 2\n"),
        ("empty", ""),
        ("only a comment", "# nothing\n"),
        ("a list, not a mapping", "- 1\n- 2\n"),
        ("a scalar", "42\n"),
        ("NaN status quo", HARBOUR_TEXT.replace("value: 50", "value: .nan", 1)),
        ("infinite status quo", HARBOUR_TEXT.replace("value: 50", "value: .inf", 1)),
        ("salience true", dump(_with_salience(data, True))),
        ("no stances", dump({**harbour(), "stances": []})),
        ("duplicate key", "a: 1\na: 2\n"),
        ("tab indentation", "a:\n\tb: 1\n"),
        ("unclosed quote", 'a: "open\n'),
        ("BOM and CRLF", "\ufeff" + HARBOUR_TEXT.replace("\n", "\r\n")),
        ("long key", "k" * 100_000 + ": 1\n"),
        ("many keys", "".join(f"k{i}: {i}\n" for i in range(size // 12))),
    ]


def _with_salience(data: dict, value: object) -> dict:
    data["stances"][0]["issues"]["harbour"]["salience"]["value"] = value
    return data


# 5. markup and terminal escapes in text that reaches the terminal
MARKUP = [
    "Minsk Group [/OSCE]",
    "[link=https://example.org]click[/link]",
    "[bold red]loud[/]",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://example.org\x1b\\link\x1b]8;;\x1b\\",
    "bell\x07 and backspace\x08",
    "right-to-left \u202eoverride",
    "trailing backslash \\",
    "<a href='https://example.org'>link</a>",
]


def markup_cases() -> list[tuple[str, str]]:
    """Valid cases whose actor name, issue question and event title hold markup or escapes."""
    out = []
    for text in MARKUP:
        data = harbour()
        data["actors"][0]["name"] = text
        data["issues"][0]["question"] = text
        data["events"][0]["title"] = text
        out.append((repr(text)[:40], dump(data)))
    return out


# 6. scenario case references that leave the allowed folders
def scenario_with_case(ref: str) -> str:
    return f"scenario: 1\nid: probe\ntitle: Probe\ncase: {ref!r}\ninterventions: []\n"


CASE_REFS = [
    "../../../../etc/passwd",
    "/etc/passwd",
    "/etc/shadow",
    "../outside.yaml",
    "~/x.yaml",
    "/dev/zero",
    "..",
    "/",
    "link-out.yaml",
]


# 7. amplification
def big_case(actors: int) -> str:
    """A valid case with ``actors`` actors, each holding a stance (evidence reused from the harbour case)."""
    data = harbour()
    template = data["stances"][0]
    data["actors"] = [{"id": f"a{i}", "name": f"Actor {i}", "kind": "state"} for i in range(actors)]
    data["stances"] = [{**template, "actor": f"a{i}"} for i in range(actors)]
    data["relations"] = []
    data["events"] = [{**e, "actors": []} for e in data["events"]]
    return dump(data)


def big_scenario(interventions: int) -> str:
    body = "".join(
        "  - {kind: shift, actor: lowmere, attribute: position, issue: harbour, by: 0.001}\n"
        for _ in range(interventions)
    )
    return f"scenario: 1\nid: big\ntitle: Big\ncase: harbour\ninterventions:\n{body}"


# 8. JSON no JSON peer sends
JSON_BODIES = [
    ("NaN", b'{"text": "a: 1", "filename": "x.yaml", "replace": NaN}'),
    ("Infinity", b'{"case": "nagorno-karabakh-2020", "draws": Infinity}'),
    ("-Infinity", b'{"case": "nagorno-karabakh-2020", "seed": -Infinity}'),
    ("lone surrogate", b'{"text": "a: \\ud800", "filename": "x.yaml"}'),
    ("lone low surrogate", b'{"text": "a: 1", "filename": "\\udc00.yaml"}'),
    ("deep nesting", b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("not UTF-8", b'{"text": "\xff\xfe"}'),
    ("truncated", b'{"text": "a'),
    ("empty", b""),
    ("a number", b"1e999999"),
]
