"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against uvicorn on loopback.

One browser for the module; the server runs in a thread on 127.0.0.1 and a free port. Screenshots go to
a temporary folder (its path is printed) at 1280x800 and at a 390x844 phone size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import accord
from accord.evidence.pointers import load_corpus_dir
from accord.web import create_app
from accord.web.server import ServerThread

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
CASE = "nagorno-karabakh-2020"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots in {folder}")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[tuple[str, str]]:
    app = create_app(str(tmp_path_factory.mktemp("browser") / "accord.db"), corpus_dir)
    token = app.state.accord.tokens.create("browser")[0]
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
    desk.goto(f"{url}/?case={CASE}")
    names = [a.name for a in accord.load_case(CASE).actors]
    expect(desk.locator("#network .textpoint")).to_have_count(len(names), timeout=15_000)
    drawn = desk.evaluate("[...document.querySelectorAll('#network .textpoint text')].map(t => t.textContent)")
    assert sorted(drawn) == sorted(names)
    # filtering by relation type hides that type's ties
    desk.uncheck("#network-filters input[data-type=alliance]")
    hidden = desk.evaluate("document.getElementById('network').data.filter(t => t.meta === 'edges:alliance')[0].visible")
    assert hidden is False
    desk.screenshot(path=str(shots / "network-1280x800.png"))


def test_evidence_link_shows_the_cited_passage(desk: Page, server: tuple[str, str], corpus_dir: Path,
                                               shots: Path) -> None:
    url, _ = server
    desk.goto(f"{url}/positions?case={CASE}")
    ref = "stance/russia/territory/position"
    desk.click(f"#positions-table button.ev[data-ref='{ref}']")
    panel = desk.locator("#evidence-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("mark").first).to_be_visible(timeout=10_000)
    pointer = accord.load_case(CASE).stance("russia").issues["territory"].position.all_estimates[0].evidence[0]
    cited = load_corpus_dir(corpus_dir).text(pointer.doc)[pointer.start:pointer.end]
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


def test_phone_width_has_no_sideways_scrolling(browser: Browser, server: tuple[str, str], shots: Path) -> None:
    url, _ = server
    page = _page(browser, PHONE, url)
    for view, ready in (("", "#network .textpoint"), ("positions", ".js-plotly-plot"), ("runs", "#recent-runs table")):
        page.goto(f"{url}/{view}?case={CASE}")
        page.wait_for_selector(ready, timeout=15_000)
        page.wait_for_timeout(300)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, (view, width)
        page.screenshot(path=str(shots / f"{view or 'network'}-390x844.png"))
    page.goto(f"{url}/positions?case={CASE}")
    page.locator("#positions-table button.ev").first.click()
    expect(page.locator("#evidence-panel mark").first).to_be_visible(timeout=10_000)
    page.screenshot(path=str(shots / "evidence-390x844.png"))
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    page.context.close()


def test_report_opens_offline(browser: Browser, tmp_path: Path, corpus_dir: Path, shots: Path) -> None:
    from accord.report import ReportVariant, build_report

    case = accord.load_case(CASE)
    html = build_report(case, [ReportVariant("the case as it is")], draws=30, corpus=load_corpus_dir(corpus_dir))
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport=DESKTOP, offline=True)
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    expect(page.locator("#network .textpoint")).to_have_count(len(case.actors), timeout=15_000)
    expect(page.locator("table.forecast tbody tr")).to_have_count(len(case.issues))
    page.locator("table.evidence button.ev").first.click()
    expect(page.locator("#evidence-panel mark").first).to_be_visible()
    assert requests == [path.as_uri()]
    page.screenshot(path=str(shots / "report-1280x800.png"))
    context.close()
