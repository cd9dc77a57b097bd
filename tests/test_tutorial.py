"""docs/tutorial.md runs as written: every `$ accord ...` command in order, every edit and file applied.

The tutorial's corpus is tests/fixtures/tutorial-corpus (invented texts). Commands run in a fresh folder
as a user would (the `accord` entry point, in a subprocess); a command exits 0 unless its line ends with
``# exit N``. Edits (``<!-- replace: FILE SECTION -->``) replace one top-level section of a YAML file;
``<!-- file: NAME -->`` blocks are written as files. After the last step the case must run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
CORPUS = ROOT / "tests" / "fixtures" / "tutorial-corpus"
# Output lines the tutorial shows that must appear as shown (summaries, not tables).
_CHECKED = re.compile(
    r"^\s*(wrote |cited |perspectives: |\S+: runnable draft|\S+: valid draft|\S+ is a draft|To do \(|\d+\. "
    r"\{doc)"
)
_BLOCK = re.compile(r"(?:<!-- (replace|file): ([^>]+?) -->\n)?```(\w+)\n(.*?)```", re.DOTALL)


def steps(text: str) -> list[tuple[str, object]]:
    """The tutorial's steps in order: ('run', (argv, exit code)), ('replace', (file, section, body)),
    ('file', ...)."""
    out: list[tuple[str, object]] = []
    for kind, target, lang, body in _BLOCK.findall(text):
        if kind == "replace":
            file, section = target.split()
            out.append(("replace", (file, section, body)))
        elif kind == "file":
            out.append(("file", (target.strip(), body)))
        elif lang == "console":
            for line in body.splitlines():
                if line.startswith("$ "):
                    command, _, comment = line[2:].partition("  #")
                    code = int(m.group(1)) if (m := re.search(r"exit (\d+)", comment)) else 0
                    out.append(("run", (shlex.split(command), code, [])))
                elif out and out[-1][0] == "run" and _CHECKED.match(line):
                    out[-1][1][2].append(line.strip())  # type: ignore[index]
    return out


def replace_section(text: str, section: str, body: str) -> str:
    """``text`` with the top-level ``section:`` (up to the next top-level key) replaced by ``body``."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"{section}:"))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[A-Za-z_]+:", lines[i])), len(lines))
    while end > start + 1 and lines[end - 1].startswith("  #") is False and lines[end - 1].startswith("#"):
        end -= 1
    return "".join(lines[:start]) + body + "".join(lines[end:])


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    if argv[0] != "accord":  # a shell command of the tutorial (ls)
        return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60)
    env = {
        **os.environ,
        "ACCORD_DB": str(cwd / "accord.db"),
        "COLUMNS": "200",
        "PYTHONPATH": str(ROOT / "src"),
    }
    code = "import sys; from accord.cli.main import main; sys.argv[0] = 'accord'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_tutorial_parses_into_steps():
    found = steps(TUTORIAL.read_text(encoding="utf-8"))
    kinds = [k for k, _ in found]
    assert kinds.count("run") >= 10 and "replace" in kinds and "file" in kinds
    assert any(step[0][:3] == ["accord", "case", "new"] for k, step in found if k == "run")


def test_tutorial_runs_as_written(tmp_path: Path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    outputs = {}
    for kind, step in steps(TUTORIAL.read_text(encoding="utf-8")):
        if kind == "replace":
            file, section, body = step  # type: ignore[misc]
            path = tmp_path / file
            path.write_text(
                replace_section(path.read_text(encoding="utf-8"), section, body), encoding="utf-8"
            )
        elif kind == "file":
            name, body = step  # type: ignore[misc]
            (tmp_path / name).write_text(body, encoding="utf-8")
        else:
            argv, code, expected = step  # type: ignore[misc]
            done = _run(argv, tmp_path)
            assert done.returncode == code, (
                f"{shlex.join(argv)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
            )
            shown = " ".join((done.stdout + done.stderr).split())
            for line in expected:
                assert " ".join(line.split()) in shown, (
                    f"{shlex.join(argv)}: the tutorial shows {line!r}; got:\n{shown}"
                )
            assert "Traceback" not in done.stderr
            outputs[shlex.join(argv)] = done.stdout + done.stderr
    joined = "\n".join(outputs.values())
    assert "is a draft and cannot run yet" in joined
    assert "runnable draft: 4 actor(s) take part on 2 issue(s)" in joined
    assert re.search(r"(\d+) of \1 pointers verify", joined), "every pointer of the finished case verifies"
    for expert in ("ana-reyes", "ben-okafor"):
        assert (tmp_path / "corpus" / f"{expert}.csv").is_file()
