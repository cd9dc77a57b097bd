"""The Compare view, the what-if toggles and the network in a real browser (Chromium through Playwright,
uvicorn on loopback): perspectives and cases without a token, every issue at once, a comparison of
scenarios that keeps every variant when the page is reloaded or the tab is opened again, a case state
ticked (with the keyboard) that makes the alliance clause fire, and the network's legend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import accord
from accord.comparisons import case_variants, comparison, perspective_variants
from accord.scenarios.service import load_scenario
from accord.web import create_app
from accord.web.server import ServerThread

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from tests.web.test_browser import ARGS, DESKTOP, PHONE, _page  # noqa: E402

CASE = "nagorno-karabakh-2020"
OLD = "nagorno-karabakh-2013"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, nk_answer: dict
) -> Iterator[tuple[str, str]]:
    from accord.web.answers import remember_answer

    app = create_app(str(tmp_path_factory.mktemp("views") / "accord.db"), corpus_dir)
    token = app.state.accord.tokens.create("browser")[0]
    # the answer page computes the answer on first visit: give it the session's copy
    remember_answer(app.state.accord, accord.load_case(CASE), nk_answer)
    with ServerThread(app) as url:
        yield url, token


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def desk(browser: Browser, server: tuple[str, str]) -> Iterator[Page]:
    page = _page(browser, DESKTOP, server[0])
    yield page
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    page.context.close()


def _cell(page: Page, row: int, issue: str) -> str:
    return page.locator(f"#compare-grid tbody tr:nth-child({row}) td[data-issue={issue}] strong").inner_text()


def test_perspectives_show_every_source_and_issue_without_a_token(
    desk: Page, server: tuple[str, str]
) -> None:
    url, _ = server
    case = accord.load_case(CASE)
    desk.goto(f"{url}/compare?case={CASE}")
    desk.check("input[name=mode][value=perspectives]")
    desk.fill("input[name=draws]", "0")
    desk.click("#compare-form button[type=submit]")
    expect(desk.locator("#compare-done")).to_be_visible(timeout=60_000)
    expected = comparison(perspective_variants(case), draws=0)
    rows = desk.locator("#compare-grid tbody tr")
    expect(rows).to_have_count(len(expected["variants"]))
    # every issue drawn at once, one chart each, with the numbers of the API layer
    expect(desk.locator("#compare-charts .js-plotly-plot")).to_have_count(len(case.issues))
    for k, variant in enumerate(expected["variants"]):
        assert (
            desk.locator(f"#compare-grid tbody tr:nth-child({k + 1}) th")
            .inner_text()
            .startswith(variant["label"])
        )
        for issue in case.issue_ids:
            assert _cell(desk, k + 1, issue) == f"{variant['forecast'][issue]['median']:.1f}"
    # sources are named by title and date, and the address holds the comparison
    titles = {s.title for s in case.case.sources}
    assert any(t in desk.locator("#compare-grid").inner_text() for t in titles)
    assert "mode=perspectives" in desk.url
    # the same for a scenario: every source reads the scenario
    desk.select_option("#persp-scenario", "hardened-positions")
    desk.click("#compare-form button[type=submit]")
    expect(desk.locator("#compare-title")).to_contain_text("Hardened positions", timeout=60_000)
    scenario, _ = load_scenario("hardened-positions", case)
    first = comparison(perspective_variants(case, scenario), draws=0)["variants"][0]
    expect(desk.locator("#compare-grid tbody tr:first-child td[data-issue=territory] strong")).to_have_text(
        f"{first['forecast']['territory']['median']:.1f}"
    )
    assert "scenario=hardened-positions" in desk.url


def test_2013_against_2020_with_status_quo_and_shift(desk: Page, server: tuple[str, str]) -> None:
    url, _ = server
    desk.goto(f"{url}/compare?case={CASE}&mode=cases&cases={OLD},{CASE}&draws=0")
    expect(desk.locator("#compare-done")).to_be_visible(timeout=60_000)
    doc = comparison(case_variants([accord.load_case(OLD), accord.load_case(CASE)]), draws=0)
    later = doc["variants"][1]["forecast"]["territory"]
    row = desk.locator("#compare-grid tbody tr:nth-child(2) td[data-issue=territory]")
    expect(row).to_contain_text(f"{later['shift']:+.1f}")
    expect(row).to_contain_text(f"status quo {later['status_quo']:.1f}")
    # the 2013 status quo of territory (100) and the 2020 one (75) differ: each row has its own marker
    chart = desk.locator("#compare-charts .js-plotly-plot").first
    sq = desk.evaluate("el => el.data[1].x", chart.element_handle())
    assert sorted(sq) == sorted(v["forecast"]["territory"]["status_quo"] for v in doc["variants"])


def test_scenario_comparison_keeps_every_variant_when_reopened(
    desk: Page, server: tuple[str, str], tmp_path: Path
) -> None:
    url, token = server
    desk.goto(f"{url}/compare?case={CASE}")
    desk.fill("#token", token)
    desk.dispatch_event("#token", "change")
    desk.check("input[name=mode][value=scenarios]")
    boxes = desk.locator("#compare-scenarios input[name=variant]")
    expect(boxes.first).to_be_attached(timeout=15_000)
    n = boxes.count()
    assert n >= 9  # the case as it is and its eight built-in scenarios: more than the old cap of eight
    desk.fill("input[name=draws]", "0")
    desk.click("#compare-form button[type=submit]")
    expect(desk.locator("#compare-done")).to_have_text(f"{n} variants compared", timeout=90_000)
    rows = desk.locator("#compare-grid tbody tr")
    expect(rows).to_have_count(n)
    labels = rows.locator("th").all_inner_texts()
    assert "runs=" in desk.url
    desk.reload()  # the address reopens every variant, in order
    expect(desk.locator("#compare-done")).to_have_text(f"{n} variants compared", timeout=60_000)
    expect(desk.locator("input[name=draws]")).to_have_value("0")  # the form shows the runs' settings
    expect(desk.locator("input[name=mode][value=scenarios]")).to_be_checked()
    assert rows.locator("th").all_inner_texts() == labels
    desk.goto(f"{url}/network?case={CASE}")
    desk.click("nav.tabs a[href^='/compare']")  # the tab, without the address: this case's last comparison
    expect(desk.locator("#compare-done")).to_have_text(f"{n} variants compared", timeout=60_000)
    assert rows.locator("th").all_inner_texts() == labels
    expect(desk.locator("#compare-charts .js-plotly-plot")).to_have_count(len(accord.load_case(CASE).issues))


def test_compare_on_a_phone(browser: Browser, server: tuple[str, str], shots_dir: Path) -> None:
    url, _ = server
    page = _page(browser, PHONE, url)
    page.goto(f"{url}/compare?case={CASE}&mode=perspectives&draws=0")
    expect(page.locator("#compare-done")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.screenshot(path=str(shots_dir / "compare-390x844.png"), full_page=True)
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    page.context.close()


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    keep = os.environ.get("ACCORD_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_whatif_state_checkbox_fires_the_alliance_clause(
    browser: Browser, server: tuple[str, str], shots_dir: Path
) -> None:
    url, _ = server
    for viewport, name in ((DESKTOP, "1280x800"), (PHONE, "390x844")):
        page = _page(browser, viewport, url)
        page.goto(f"{url}/?case={CASE}")
        page.wait_for_selector(
            "#whatif-base option[value=russian-military-intervention]", state="attached", timeout=30_000
        )
        box = page.locator("#whatif-states input[value=fighting-on-armenia-territory]")
        expect(box).not_to_be_checked()  # the case's own value: the state does not hold
        box.check()  # on the case as it stands no trigger reads it: the page says so
        expect(page.locator("#whatif-no-trigger")).to_be_visible(timeout=30_000)
        box.uncheck()
        page.select_option("#whatif-base", "russian-military-intervention")
        clause = page.locator("#whatif-fired li[data-trigger=alliance-clause]")
        expect(clause).to_have_attribute("data-fired", "no", timeout=30_000)
        quiet = page.locator("#whatif-table tbody tr:first-child td:nth-child(3)").inner_text()
        # keyboard: focus the state's checkbox and tick it with the space bar
        box.focus()
        page.keyboard.press("Space")
        expect(clause).to_have_attribute("data-fired", "yes", timeout=30_000)
        expect(clause).to_contain_text("fired after round 1")
        expect(page.locator("#whatif-table tbody tr:first-child td:nth-child(3)")).not_to_have_text(quiet)
        # switching the trigger off silences it again
        page.uncheck("#whatif-triggers input[value=alliance-clause]")
        expect(clause).to_have_count(0, timeout=30_000)
        page.check("#whatif-triggers input[value=alliance-clause]")
        expect(clause).to_have_attribute("data-fired", "yes", timeout=30_000)
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        page.locator("#whatif").screenshot(path=str(shots_dir / f"whatif-{name}.png"))
        assert not page.errors, page.errors  # type: ignore[attr-defined]
        page.context.close()


def test_network_fans_out_parallel_ties_and_has_a_legend(
    desk: Page, server: tuple[str, str], shots_dir: Path
) -> None:
    from accord.views.case import network_view

    url, _ = server
    net = network_view(accord.load_case(CASE))
    desk.goto(f"{url}/network?case={CASE}")
    expect(desk.locator("#network .textpoint")).to_have_count(len(net["nodes"]), timeout=15_000)
    # every tie between Russia and Armenia has its own mark, each at its own distance from the straight line
    marks = desk.evaluate(
        """() => document.getElementById('network').data
             .filter(t => (t.meta || '').startsWith('edgemarks:'))
             .flatMap(t => t.x.map((x, k) => [x, t.y[k], t.text[k]]))
             .filter(m => /Russia [→–] Armenia/.test(m[2]))"""
    )
    pair = [e for e in net["edges"] if {e["from"], e["to"]} == {"russia", "armenia"}]
    assert len(marks) == len(pair) >= 4
    at = {n["id"]: (n["x"], n["y"]) for n in net["nodes"]}
    (ax, ay), (bx, by) = at["russia"], at["armenia"]
    off = sorted(((bx - ax) * (y - ay) - (by - ay) * (x - ax)) for x, y, _ in marks)
    assert all(b - a > 1e-3 for a, b in zip(off, off[1:], strict=False))  # no two on one line
    # the legend: one entry per type, with its line sample and what it means
    legend = desk.locator("#network-filters label[data-legend]")
    expect(legend).to_have_count(len(net["types"]))
    assert desk.locator("#network-filters svg.line-sample").count() == len(net["types"])
    expect(desk.locator("#network-legend dt")).to_have_count(len(net["types"]))
    expect(desk.locator("#network-legend")).to_contain_text("a mutual defence commitment")
    dashes = desk.evaluate(
        "Object.fromEntries(document.getElementById('network').data"
        ".filter(t => (t.meta || '').startsWith('edges:')).map(t => [t.meta.slice(6), t.line.dash]))"
    )
    assert dashes["hostility"] != dashes["alliance"]
    # the text alternative: every tie in a table, with its evidence a click away
    expect(desk.locator("#ties-table tbody tr")).to_have_count(len(net["edges"]))
    # by keyboard: a tie's evidence button opens the panel with the focus in it; Escape brings it back
    button = desk.locator("#ties-table tbody tr:first-child button.ev")
    button.focus()
    desk.keyboard.press("Enter")
    expect(desk.locator("#evidence-panel")).to_be_visible()
    expect(desk.locator("#ev-close")).to_be_focused()
    expect(desk.locator("#evidence-panel blockquote.passage").first).to_be_visible(timeout=10_000)
    desk.keyboard.press("Escape")
    expect(desk.locator("#evidence-panel")).to_be_hidden()
    expect(button).to_be_focused()
    desk.screenshot(path=str(shots_dir / "network-1280x800.png"), full_page=True)


def test_compare_by_keyboard(desk: Page, server: tuple[str, str]) -> None:
    url, _ = server
    desk.goto(f"{url}/compare?case={CASE}")
    first = desk.locator("input[name=mode][value=perspectives]")
    expect(first).to_be_checked()
    first.focus()
    desk.keyboard.press("ArrowRight")  # radio buttons move with the arrow keys
    expect(desk.locator("input[name=mode][value=cases]")).to_be_checked()
    expect(desk.locator("#compare-cases")).to_be_visible()
    expect(desk.locator("#compare-scenarios")).to_be_hidden()
    desk.locator("input[name=draws]").focus()
    desk.keyboard.press("Control+A")
    desk.keyboard.type("0")
    desk.keyboard.press("Enter")  # Enter in a field submits the form
    expect(desk.locator("#compare-done")).to_have_text("2 variants compared", timeout=60_000)
    assert "mode=cases" in desk.url


def test_compare_waits_for_a_busy_server_and_then_shows(desk: Page, server: tuple[str, str]) -> None:
    from accord.web import compare_routes

    url, _ = server
    assert compare_routes._one_at_a_time.acquire(blocking=False)  # another comparison is computing
    try:
        desk.goto(f"{url}/compare?case={OLD}&mode=perspectives&draws=3&seed=11")
        expect(desk.locator("#compare-status")).to_contain_text("waiting for it", timeout=30_000)
    finally:
        compare_routes._one_at_a_time.release()
    expect(desk.locator("#compare-done")).to_be_visible(timeout=60_000)
