"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against uvicorn on loopback.

One browser for the module; the server runs in a thread on 127.0.0.1 and a free port. Screenshots go to
a temporary folder (its path is printed) at 1280x800 and at a 390x844 phone size.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import accord
from accord.spans.pointers import load_corpus_dir
from accord.web import create_app
from accord.web.server import ServerThread

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CASE = "nagorno-karabakh-2020"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder, or ``$ACCORD_SCREENSHOTS`` to keep the pictures for looking at."""
    keep = os.environ.get("ACCORD_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")
    return folder


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, nk_answer: dict
) -> Iterator[tuple[str, str]]:
    from accord.web.answers import remember_answer

    app = create_app(str(tmp_path_factory.mktemp("browser") / "accord.db"), corpus_dir)
    token = app.state.accord.tokens.create("browser")[0]
    # the answer computed once for the session (tests/web/test_answer_web.py computes one through HTTP)
    remember_answer(app.state.accord, accord.load_case(CASE), nk_answer)
    with ServerThread(app) as url:
        yield url, token


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield b
        b.close()


def _page(browser: Browser, viewport: dict[str, int], offline_except: str | None = None) -> Page:
    context = browser.new_context(viewport=viewport)
    if offline_except is not None:  # only the app itself may be asked for anything
        context.route(re.compile(r"^(?!" + re.escape(offline_except) + r").*"), lambda route: route.abort())
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    return page


@pytest.fixture(scope="module")
def desk(browser: Browser, server: tuple[str, str]) -> Iterator[Page]:
    page = _page(browser, DESKTOP, server[0])
    yield page
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_network_shows_every_actor(desk: Page, server: tuple[str, str], shots: Path) -> None:
    url, _ = server
    desk.goto(f"{url}/network?case={CASE}")
    names = [a.name for a in accord.load_case(CASE).actors]
    expect(desk.locator("#network .textpoint")).to_have_count(len(names), timeout=15_000)
    drawn = desk.evaluate(
        "[...document.querySelectorAll('#network .textpoint text')].map(t => t.textContent)"
    )
    assert sorted(drawn) == sorted(names)
    # filtering by relation type hides that type's ties
    desk.uncheck("#network-filters input[data-type=alliance]")
    hidden = desk.evaluate(
        "document.getElementById('network').data.filter(t => t.meta === 'edges:alliance')[0].visible"
    )
    assert hidden is False
    desk.screenshot(path=str(shots / "network-1280x800.png"))


def test_evidence_link_shows_the_cited_passage(
    desk: Page, server: tuple[str, str], corpus_dir: Path, shots: Path
) -> None:
    url, _ = server
    desk.goto(f"{url}/positions?case={CASE}")
    ref = "stance/russia/territory/position"
    desk.click(f"#positions-table button.ev[data-ref='{ref}']")
    panel = desk.locator("#evidence-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("mark").first).to_be_visible(timeout=10_000)
    pointer = (
        accord.load_case(CASE).stance("russia").issues["territory"].position.all_estimates[0].evidence[0]
    )
    cited = load_corpus_dir(corpus_dir).text(pointer.doc)[pointer.start : pointer.end]
    assert panel.locator("mark").first.inner_text().strip() == cited.strip()
    expect(panel.locator(".badge").first).to_have_text("verified")
    desk.screenshot(path=str(shots / "evidence-1280x800.png"))
    desk.click("#ev-close")
    expect(panel).to_be_hidden()


def test_timeline_event_opens_its_evidence(desk: Page, server: tuple[str, str]) -> None:
    url, _ = server
    desk.goto(f"{url}/timeline?case={CASE}")
    expect(desk.locator("#timeline .scatterlayer .point").first).to_be_attached(timeout=15_000)
    desk.locator("#timeline-list button.ev").first.click()
    expect(desk.locator("#evidence-panel blockquote.passage").first).to_be_visible(timeout=10_000)


def test_run_started_from_the_page_shows_its_result(desk: Page, server: tuple[str, str], shots: Path) -> None:
    url, token = server
    desk.goto(f"{url}/runs?case={CASE}")
    expect(desk.locator("#recent-runs table")).to_be_attached(timeout=15_000)
    desk.click("button[name=start]")  # without a token: refused, with a hint
    expect(desk.locator("#run-error")).to_contain_text("token")
    desk.fill("#token", token)
    desk.dispatch_event("#token", "change")
    desk.fill("input[name=draws]", "60")
    desk.click("button[name=start]")
    expect(desk.locator("[data-status=done]")).to_be_visible(timeout=30_000)
    expect(desk.locator("table.forecast tbody tr")).to_have_count(len(accord.load_case(CASE).issues))
    expect(desk.locator(".run-interval .boxlayer .trace")).to_have_count(5)
    assert re.search(r"/runs/\d+", desk.url)
    desk.wait_for_timeout(300)
    desk.screenshot(path=str(shots / "run-1280x800.png"), full_page=True)
    # the run is in the database: reload its page
    desk.reload()
    expect(desk.locator("table.forecast tbody tr")).to_have_count(5, timeout=15_000)


def test_phone_width_has_no_sideways_scrolling(
    browser: Browser, server: tuple[str, str], shots: Path
) -> None:
    url, _ = server
    page = _page(browser, PHONE, url)
    for view, ready in (
        ("network", "#network .textpoint"),
        ("positions", ".js-plotly-plot"),
        ("runs", "#recent-runs table"),
    ):
        page.goto(f"{url}/{view}?case={CASE}")
        page.wait_for_selector(ready, timeout=15_000)
        page.wait_for_timeout(300)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, (view, width)
        page.screenshot(path=str(shots / f"{view}-390x844.png"))
    page.goto(f"{url}/positions?case={CASE}")
    page.locator("#positions-table button.ev").first.click()
    expect(page.locator("#evidence-panel mark").first).to_be_visible(timeout=10_000)
    page.screenshot(path=str(shots / "evidence-390x844.png"))
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_report_opens_offline(
    browser: Browser, tmp_path: Path, corpus_dir: Path, shots: Path, nk_answer: dict
) -> None:
    from accord.report import ReportVariant, build_report

    case = accord.load_case(CASE)
    html = build_report(
        case,
        [ReportVariant("the case as it is")],
        draws=30,
        corpus=load_corpus_dir(corpus_dir),
        answer_doc=nk_answer,
    )
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport=DESKTOP, offline=True)
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    expect(page.locator("#network .textpoint")).to_have_count(len(case.actors), timeout=15_000)
    expect(page.locator("table.forecast tbody tr")).to_have_count(len(case.issues))
    expect(page.locator("body")).to_contain_text(f"Readings: {nk_answer['readings']}.")
    page.locator("table.evidence button.ev").first.click()
    expect(page.locator("#evidence-panel mark").first).to_be_visible()
    assert requests == [path.as_uri()]
    # the report opens with the answer, after its table of contents
    expect(page.locator("h1").first).to_have_text(nk_answer["question"])
    expect(page.locator("#answer-grid tbody tr")).to_have_count(len(nk_answer["scenarios"]))
    assert page.locator("nav.toc a").count() >= 10
    page.locator("#scenario-cards button.ev").first.click()
    expect(page.locator("#evidence-panel mark").first).to_be_visible()
    page.screenshot(path=str(shots / "report-1280x800.png"))
    context.close()


def _wait_answer(page: Page) -> None:
    expect(page.locator("#answer-grid")).to_be_attached(timeout=60_000)
    page.wait_for_timeout(300)


def test_answer_page_answers_at_a_glance(
    desk: Page, server: tuple[str, str], shots: Path, nk_answer: dict
) -> None:
    url, _ = server
    desk.goto(f"{url}/?case={CASE}")
    _wait_answer(desk)
    expect(desk.locator("h1")).to_have_text(nk_answer["question"])
    expect(desk.locator("#answer-status")).to_contain_text(f"Readings: {nk_answer['readings']}.")
    rows = desk.locator("#answer-grid tbody tr")
    expect(rows).to_have_count(len(nk_answer["scenarios"]))
    azerbaijan = next(r for r in nk_answer["scenarios"] if r["name"] == "russia-sides-with-azerbaijan")
    cell = desk.locator("#answer-grid tbody tr", has_text=azerbaijan["title"]).locator("td").first
    expect(cell).to_contain_text(f"{azerbaijan['forecast']['territory']['median']:.1f}")
    # every chart names what its scale's ends mean, and has a text alternative
    case = accord.load_case(CASE)
    for k, issue in enumerate(case.issues):
        chart = desk.locator(f"#answer-chart-{k}")
        expect(chart).to_have_attribute("role", "img")
        ends = chart.locator(".annotation-text").all_text_contents()
        assert any(f"0 = {issue.scale.min_label[:10]}" in t for t in ends), (issue.id, ends)
        assert any(f"100 = {issue.scale.max_label[:10]}" in t for t in ends), (issue.id, ends)
    expect(desk.locator("#answer-drivers table tbody tr")).to_have_count(len(nk_answer["drivers"]))
    expect(desk.locator("#answer-drivers")).to_contain_text("Morris")
    expect(desk.locator("#scenario-cards article")).to_have_count(len(nk_answer["scenarios"]) - 1)
    expect(desk.locator("nav.tabs a[aria-current=page]")).to_have_text("Answer")
    desk.screenshot(path=str(shots / "answer-1280x800.png"))
    desk.screenshot(path=str(shots / "answer-full-1280x800.png"), full_page=True)


def test_answer_downloads_csv(desk: Page, server: tuple[str, str], nk_answer: dict) -> None:
    url, _ = server
    desk.goto(f"{url}/?case={CASE}")
    _wait_answer(desk)
    with desk.expect_download() as info:
        desk.click("#answer-csv")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("case,scenario,title,issue,median")
    assert len(text.strip().splitlines()) == 1 + len(nk_answer["scenarios"]) * len(nk_answer["issues"])
    # the link under the drivers table: the rows shown, as CSV made in the browser
    with desk.expect_download() as info:
        desk.locator("#answer-drivers a.download", has_text="CSV").click()
    drivers = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert drivers[0].startswith("actor,effect") and len(drivers) == 1 + len(nk_answer["drivers"])


def test_whatif_moves_the_forecast_and_saves_a_scenario(
    desk: Page, server: tuple[str, str], shots: Path
) -> None:
    url, token = server
    desk.goto(f"{url}/?case={CASE}")
    desk.evaluate(f"localStorage.setItem('accord-token', {token!r})")
    desk.reload()
    form = desk.locator("#whatif-form")
    expect(form.locator("select[name=actor] option")).to_have_count(len(accord.load_case(CASE).actors))
    form.locator("select[name=actor]").select_option("russia")
    form.locator("select[name=attribute]").select_option("position")
    form.locator("select[name=issue]").select_option("territory")
    form.locator("input[name=value]").fill("0")
    form.locator("button[name=add]").click()
    row = desk.locator("#whatif-table tbody tr", has_text="territory")
    expect(row).to_be_visible(timeout=10_000)
    base, changed = (float(x) for x in row.locator("td").all_inner_texts()[:2])
    assert changed < base - 5
    expect(row.locator("td").nth(3)).to_contain_text(
        "(", timeout=30_000
    )  # the draws' median and interval follow
    expect(desk.locator("#whatif-changes li")).to_have_count(1)
    desk.click("#whatif-save")
    expect(desk.locator("#whatif-saved")).to_contain_text("saved as scenario what-if-")
    desk.locator("#whatif").screenshot(path=str(shots / "whatif-1280x800.png"))


def test_answer_on_a_phone(browser: Browser, server: tuple[str, str], shots: Path) -> None:
    url, _ = server
    page = _page(browser, PHONE, url)
    page.goto(f"{url}/?case={CASE}")
    _wait_answer(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    boxes = [a.bounding_box() for a in page.locator("nav.tabs a").all()]
    assert all(b and b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] for b in boxes)  # no tab cut off
    page.screenshot(path=str(shots / "answer-390x844.png"))
    page.locator("#answer-charts-card").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "answer-charts-390x844.png"))
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_answer_by_keyboard(browser: Browser, server: tuple[str, str]) -> None:
    url, _ = server
    page = _page(browser, DESKTOP, url)
    page.goto(f"{url}/?case={CASE}")
    _wait_answer(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # tab to the first source disagreement and open it: focus goes into the evidence panel, Escape brings
    # it back
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#answer-disagreements')"):
            break
        assert not page.evaluate("!!document.activeElement.closest('.modebar')"), (
            "a chart toolbar is in the Tab order"
        )
    else:
        raise AssertionError("no disagreement reachable by Tab")
    opener = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(page.locator("#evidence-panel")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "ev-close"
    expect(page.locator("#evidence-panel mark").first).to_be_visible(timeout=10_000)
    page.keyboard.press("Escape")
    expect(page.locator("#evidence-panel")).to_be_hidden()
    assert page.evaluate("document.activeElement.textContent") == opener
    page.context.close()


def test_evidence_panel_suggests_passages_to_cite(desk: Page, server: tuple[str, str], shots: Path) -> None:
    url, _ = server
    desk.goto(f"{url}/positions?case={CASE}")
    desk.locator("#positions-table button.ev").first.click()
    expect(desk.locator("#evidence-panel mark").first).to_be_visible(timeout=10_000)
    desk.locator("#ev-suggest").click()
    pointers = desk.locator("#evidence-panel ol.suggestions code.pointer")
    expect(pointers.first).to_be_visible(timeout=10_000)
    assert pointers.first.inner_text().startswith("{doc: ")
    desk.screenshot(path=str(shots / "evidence-suggestions-1280x800.png"))
