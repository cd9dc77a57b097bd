"""The issue-14 attack, replayed: every class of hostile input against a real server (uvicorn in a child
process) and the CLI, with the quality-bar figures.

Per class it prints: inputs tried, tracebacks, generic errors (a bare exception name as the message),
HTTP 500s, the worst single-request CPU time of the server process, and the longest ``/api/health``
stall measured by a client polling it every 20 ms during that class.

    PYTHONPATH=src python benchmarks/bench_hostile.py            # figures as a table
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from accord.web import create_app  # noqa: E402
from accord.web.server import free_port  # noqa: E402
from tests.hostile import corpus  # noqa: E402
from tests.web.load import spawn_server, wait_until_up  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "nagorno-karabakh"
GENERIC = re.compile(
    r"\b(ValueError|TypeError|RecursionError|MemoryError|KeyError|IndexError|AttributeError)\b|"
    r"internal error"
)
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Health(threading.Thread):
    """Polls /api/health; ``longest`` is the slowest answer since the last :meth:`reset`."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.longest, self.stop = url, 0.0, threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                client.get(self.url + "/api/health")
                self.longest = max(self.longest, time.perf_counter() - started)
                time.sleep(0.02)

    def reset(self) -> float:
        longest, self.longest = self.longest, 0.0
        return longest


class Tally:
    def __init__(self, name: str):
        self.name, self.inputs, self.tracebacks, self.generic, self.e500, self.cpu = name, 0, 0, 0, 0, 0.0

    def add(self, status: int | None, text: str, cpu: float) -> None:
        self.inputs += 1
        self.tracebacks += "Traceback" in text
        self.generic += bool(GENERIC.search(text))
        self.e500 += status is not None and status >= 500
        self.cpu = max(self.cpu, cpu)


def http_class(
    name: str, server: tuple[str, int, str], requests: Iterable[tuple[str, str, bytes, dict]], health: Health
) -> Tally:
    url, pid, token = server
    tally = Tally(name)
    health.reset()
    with httpx.Client(timeout=300) as client:
        for method, path, body, headers in requests:
            before = cpu_seconds(pid)
            response = client.request(
                method,
                url + path,
                content=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
            )
            tally.add(response.status_code, response.text[:20_000], cpu_seconds(pid) - before)
    tally.stall = health.reset()  # type: ignore[attr-defined]
    return tally


def post(path: str, payload: object, headers: dict | None = None) -> tuple[str, str, bytes, dict]:
    return ("POST", path, json.dumps(payload).encode(), headers or {})


def cli_class(name: str, runs: Iterable[list[str]]) -> Tally:
    tally = Tally(name)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    for args in runs:
        before = os.times()
        started = before.children_user + before.children_system
        try:
            done = subprocess.run(
                [str(Path(sys.executable).parent / "accord"), *args],
                capture_output=True,
                text=True,
                timeout=60,
                env=env,
            )
            text, status = done.stdout + done.stderr, None
        except subprocess.TimeoutExpired:
            text, status = "timed out", 500
        usage = os.times()
        tally.add(status, text, usage.children_user + usage.children_system - started)
    tally.stall = float("nan")  # type: ignore[attr-defined]
    return tally


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="accord-hostile-"))
    db = str(folder / "server.db")
    app = create_app(db, None, record_runs=False)
    token = app.state.accord.tokens.create("bench")[0]
    app.state.accord.engine.dispose()
    port = free_port()
    process = spawn_server(db, str(CORPUS), port)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url)
    server = (url, process.pid, token)
    health = Health(url)
    health.start()
    tallies: list[Tally] = []
    try:
        tallies += run_http_classes(server, health)
        tallies += run_cli_classes(folder)
    finally:
        health.stop.set()
        process.terminate()
        process.wait(timeout=30)
    print(
        f"{'class':46} {'inputs':>6} {'tracebacks':>10} {'generic':>7} {'500s':>5} {'worst CPU s':>11} "
        f"{'health stall s':>14}"
    )
    for t in tallies:
        print(
            f"{t.name:46} {t.inputs:6d} {t.tracebacks:10d} {t.generic:7d} {t.e500:5d} {t.cpu:11.2f} "
            f"{t.stall:14.2f}"
        )  # type: ignore[attr-defined]


def run_http_classes(server: tuple[str, int, str], health: Health) -> list[Tally]:
    yaml_inputs = corpus.yaml_texts(size=680_000)
    classes: list[tuple[str, Callable[[], Iterable]]] = [
        (
            "1 splitter: 2 MB texts to /api/evidence/documents",
            lambda: [
                post("/api/evidence/documents", {"doc": f"hostile-{i}", "text": text[:1_999_000]})
                for i, (_, text) in enumerate(corpus.splitter_texts())
                if text.strip()
            ],
        ),
        (
            "2-3,9-10 YAML: cases to /api/cases/validate",
            lambda: [post("/api/cases/validate", {"text": text}) for _, text in yaml_inputs],
        ),
        (
            "2-3,9-10 YAML: scenarios to /api/scenarios/validate",
            lambda: [post("/api/scenarios/validate", {"text": text}) for _, text in yaml_inputs],
        ),
        (
            "2-3,9-10 YAML: uploads to /api/cases",
            lambda: [post("/api/cases", {"text": text}) for _, text in yaml_inputs],
        ),
        (
            "4 DNS rebinding: foreign Host on 6 paths",
            lambda: [
                ("GET", path, b"", {"Host": host})
                for host in ("evil.example", "rebind.attacker.net:8000")
                for path in (
                    "/api/cases",
                    "/api/cases/nagorno-karabakh-2020/yaml",
                    "/api/evidence/documents",
                    "/api/runs",
                    "/",
                    "/docs",
                )
            ],
        ),
        (
            "7 amplification: 7,500 actors, 2,000 interventions",
            lambda: [
                post("/api/cases/validate", {"text": corpus.big_case(7500)[:1_999_000]}),
                post("/api/cases/validate", {"text": corpus.big_case(400)}),
                post("/api/cases", {"text": corpus.big_case(400)}),
                post("/api/scenarios/validate", {"text": corpus.big_scenario(2000)}),
                post("/api/scenarios", {"text": corpus.big_scenario(2000)}),
                post("/api/runs", {"case": "nagorno-karabakh-2020", "draws": 6000}),
                *[("GET", "/api/scenarios", b"", {}) for _ in range(5)],
            ],
        ),
        (
            "8 JSON: NaN, Infinity, surrogates, nesting on 5 paths",
            lambda: [
                ("POST", path, body, {})
                for _, body in corpus.JSON_BODIES
                for path in (
                    "/api/cases/validate",
                    "/api/cases",
                    "/api/runs",
                    "/api/evidence/documents",
                    "/api/scenarios/validate",
                )
            ],
        ),
    ]
    tallies = [http_class(name, server, make(), health) for name, make in classes]
    tallies.append(concurrent_ingest(server, health))
    return tallies


def concurrent_ingest(server: tuple[str, int, str], health: Health) -> Tally:
    url, pid, token = server
    tally = Tally("8 concurrent ingest: 20 clients, one new id")
    health.reset()
    barrier = threading.Barrier(20)
    results: list[httpx.Response] = []
    before = cpu_seconds(pid)

    def one() -> None:
        barrier.wait()
        results.append(
            httpx.post(
                url + "/api/evidence/documents",
                timeout=120,
                json={"doc": "race", "text": "One text. Twenty at once."},
                headers={"Authorization": f"Bearer {token}"},
            )
        )

    threads = [threading.Thread(target=one) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = cpu_seconds(pid) - before
    for r in results:
        tally.add(r.status_code, r.text, cpu / 20)
    tally.stall = health.reset()  # type: ignore[attr-defined]
    return tally


def run_cli_classes(folder: Path) -> list[Tally]:
    markup = []
    for i, (_, text) in enumerate(corpus.markup_cases()):
        path = folder / f"markup-{i}.yaml"
        path.write_text(text, encoding="utf-8")
        markup.append(["case", "show", str(path)])
    fifo, zero = folder / "fifo.yaml", folder / "zero.yaml"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    files = []
    for i, (_, text) in enumerate(corpus.yaml_texts(size=200_000)):
        path = folder / f"hostile-{i}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        files.append(["case", "validate", str(path)])
    refs = []
    for i, ref in enumerate(corpus.CASE_REFS):
        path = folder / f"scenario-{i}.yaml"
        path.write_text(corpus.scenario_with_case(ref), encoding="utf-8")
        refs.append(["scenarios", "validate", str(path)])
    db = str(folder / "cli.db")
    note = folder / "[odd] name.txt"
    note.write_text("A note.", encoding="utf-8")
    return [
        cli_class("5 CLI: markup and escapes in case show", markup),
        cli_class(
            "10 CLI: FIFO, /dev/zero, hostile files validated",
            [["case", "validate", str(fifo)], ["case", "validate", str(zero)], *files],
        ),
        cli_class("6 CLI: scenario case: outside its folders", refs),
        cli_class(
            "CLI: corpus add --id/--date, odd file names",
            [
                ["corpus", "add", str(note), "--db", db],
                ["corpus", "add", str(note), "--db", db, "--id", "x[/y]"],
                ["corpus", "add", str(note), "--db", db, "--id", "ok", "--date", "2020-13-01"],
                ["corpus", "add", str(note), "--db", db, "--id", "ok", "--title", "[/x] \x1b[2J"],
                ["corpus", "list", "--db", db],
            ],
        ),
    ]


if __name__ == "__main__":
    main()
