"""End to end in a real browser (Debian chromium + Playwright). Screenshots go to test-artifacts/."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no chromium (apt-get install chromium)")]


@pytest.fixture(scope="module")
def base_url(web_db):
    playwright = pytest.importorskip("playwright.sync_api")  # noqa: F841
    import uvicorn

    from claimledger.web.app import create_app
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(web_db), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def page(base_url):
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.errors = errors
        yield pg
        browser.close()


def test_overview(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator(".timeline .seg").count() > 0
    height = page.locator(".timeline .seg").first.evaluate("e => e.getBoundingClientRect().height")
    assert height > 0  # sized by app.js under the CSP
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert page.errors == []


def test_map_marker_click_opens_the_event(page, base_url):
    page.goto(base_url + "/map")
    page.wait_for_selector("path.leaflet-interactive.event-marker", timeout=10_000)
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 50")  # borders drawn
    page.screenshot(path=str(ARTIFACTS / "map.png"))
    page.locator("path.event-marker").first.click(force=True)
    page.wait_for_url("**/events/*", timeout=10_000)
    assert page.locator(".columns .column").count() >= 3
    assert page.errors == []


def test_event_side_by_side(page, base_url):
    page.goto(base_url + "/events.json?type=movement&sort=claims")
    event_id = page.evaluate("() => JSON.parse(document.body.innerText).events[0].event_id")
    page.goto(base_url + f"/events/{event_id}")
    columns = page.locator(".columns .column")
    sides = [columns.nth(i).get_attribute("data-side") for i in range(columns.count())]
    assert sides[:3] == ["RU", "UA", "THIRD"]
    assert page.locator('.column[data-side="RU"] .claim').count() >= 2
    page.screenshot(path=str(ARTIFACTS / "event.png"), full_page=True)


def test_hostile_document_runs_no_script(page, base_url):
    page.goto(base_url + "/documents/hostile")
    assert page.evaluate("() => document.querySelectorAll('script:not([src]):not([type])').length") == 0
    assert "<script>alert('xss')</script>" in page.locator(".doctext").inner_text()
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
