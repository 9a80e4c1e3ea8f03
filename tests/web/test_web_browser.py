"""The web app in a real browser: headless Chromium (the system's, /usr/bin/chromium) driven
by Playwright against a real `ctsearch serve`. Each step leaves a screenshot in
test-artefacts/browser/ (git-ignored); CTSEARCH_README_SCREENSHOT=1 also refreshes the README's
picture of the search page (docs/search-page.png).

Skipped, with the reason, where Chromium is not installed (`apt-get install chromium`; CI's
.ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import REPO
from webfixtures import Server

CHROMIUM = os.environ.get("CTSEARCH_CHROMIUM", "/usr/bin/chromium")
# Chromium as this machine runs it: no sandbox (root), no GPU, and none of its background
# connections (the network is closed; they would only fail and slow it down).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = REPO / "test-artefacts" / "browser"
README_SCREENSHOT = REPO / "docs" / "search-page.png"

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() or shutil.which("chromium")),
    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def server(real_index, real_corpus):
    """A server on the bundled corpus (what the README's picture shows)."""
    with Server("--port", "0", "--index", str(real_index), "--corpus", str(real_corpus)) as s:
        assert s.url, s.stderr
        yield s
    assert "Traceback" not in s.stderr


@pytest.fixture()
def browser(tmp_path, server):
    """A fresh Chromium profile with clipboard access for the server's origin."""
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            permissions=["clipboard-read", "clipboard-write"],
        )
        context.set_default_timeout(15_000)
        errors: list[str] = []
        context.on("weberror", lambda e: errors.append(str(e.error)))
        try:
            yield context, errors
        finally:
            context.close()


def wait_until(page, condition, timeout: float = 15) -> None:
    """Poll `condition()`, letting the browser's events in between (page.wait_for_function
    evaluates a string, which the app's Content-Security-Policy rightly forbids)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(50)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def test_search_filter_read_cite_and_chart_in_a_browser(server, browser):
    context, errors = browser
    page = context.new_page()
    requests_elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(server.url) else requests_elsewhere.append(r.url),
    )

    # 1. The search page; "/" jumps to the query box, and typing searches (no Enter needed).
    page.goto(server.url)
    shot(page, "01-home")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("victims", delay=40)
    wait_until(page, lambda: parse_qs(urlsplit(page.url).query).get("q") == ["victims"])
    page.locator("#results mark").first.wait_for()
    marks = page.locator("#results .hit mark").all_inner_texts()
    assert marks and all(m.lower().startswith("victim") for m in marks)
    shot(page, "02-results")
    if os.environ.get("CTSEARCH_README_SCREENSHOT"):
        README_SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(README_SCREENSHOT), full_page=False)

    # 2. A speaker facet filters the hits (and the URL says so).
    facet = page.locator('.facet[data-facet="speaker"] a').first
    speaker = facet.inner_text().strip()
    with page.expect_navigation():
        facet.click()
    assert parse_qs(urlsplit(page.url).query)["speaker"] == [speaker]
    hits = page.locator("#results .hit")
    assert hits.count() >= 1
    for i in range(hits.count()):
        assert speaker in hits.nth(i).locator(".speakers").inner_text()
    assert page.locator(".facet a.active", has_text=speaker).count() == 1
    shot(page, "03-speaker-facet")

    # 3. A passage in context, and its citation copied to the clipboard.
    title = hits.first.locator("h2 a")
    with page.expect_navigation():
        title.click()
    assert "/passage/" in page.url
    assert page.locator("#passage .body").inner_text().strip()
    citation = page.locator("#citation").inner_text().strip()
    assert citation.startswith("“") and "passage " in citation
    page.get_by_role("button", name="Copy citation").click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").strip() == citation
    shot(page, "04-passage-cited")

    # 4. Back to the results (the back button restores the filtered search), then the trend.
    page.go_back()
    assert parse_qs(urlsplit(page.url).query)["speaker"] == [speaker]
    assert not errors, errors
    assert not requests_elsewhere, requests_elsewhere
    with page.expect_navigation():
        page.get_by_role("link", name="See how this term moves").click()
    assert urlsplit(page.url).path == "/trend"
    chart = page.locator("svg#trend-chart")
    chart.wait_for()
    bars = chart.locator("rect.bar")
    assert bars.count() >= 1
    widths = [float(bars.nth(i).get_attribute("width")) for i in range(bars.count())]
    assert max(widths) > 0
    assert page.locator("table tbody tr").count() == bars.count()
    shot(page, "05-trend")

    assert not errors, errors
    assert not requests_elsewhere, requests_elsewhere


def test_phone_width_keyboard_and_no_javascript(server, browser):
    context, errors = browser
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(server.url + "?q=terrorism")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "06-phone")
    # Every control is reachable with Tab, and its focus is visible.
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert {"q", "A", "BUTTON"} <= seen
    assert not errors, errors


def test_the_pages_work_without_javascript(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "nojs"),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            java_script_enabled=False,
        )
        try:
            page = context.new_page()
            page.goto(server.url)
            page.fill("#q", "drones")
            with page.expect_navigation():
                page.press("#q", "Enter")
            assert page.locator("#results .hit mark").count() >= 1
            assert page.get_by_role("button", name="Copy citation").count() == 0
            with page.expect_navigation():
                page.locator(".hit h2 a").first.click()
            assert page.locator("#citation").inner_text()
            shot(page, "07-no-javascript")
        finally:
            context.close()
