"""Reviewing in a real browser: start a session, read with the keyboard, note, code, promote.

Screenshots of the queue, the trace view and the counts page are written
only when ``RATCHET_SCREENSHOTS`` names a folder (the documented command
that refreshes ``docs/images/`` sets it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ratchet.store.store import Store
from support.live_server import LiveServer
from support.review_data import seed_traces
from support.review_ui import pages_server, project_id

pytestmark = pytest.mark.slow


@pytest.fixture
def site(store: Store) -> Iterator[LiveServer]:
    with pages_server(store) as live:
        seed_traces(store, project_id(live), 8)
        yield live


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("RATCHET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _sign_in(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/review")
    assert page.url == site.url + "/login"
    page.fill("#key", site.key)
    page.click("button[type=submit]")
    page.wait_for_url(site.url + "/")


def test_read_a_session_with_the_keyboard(site: LiveServer, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        _sign_in(page, site)
        page.goto(site.url + "/review")
        page.fill("input[name=size]", "5")
        page.click("button:has-text('Start a review session')")
        page.wait_for_url(re.compile(r".*/review/sessions/rs\w+$"))
        assert page.locator("table.queue tbody tr").count() == 5
        _shot(page, "queue.png")

        page.click("#continue")
        page.wait_for_url(re.compile(r".*/traces/[0-9a-f]{32}\?session=rs\w+$"))
        first = page.url
        assert "1 / 5" in page.locator(".session-nav").inner_text()

        page.keyboard.press("n")
        assert page.evaluate("document.activeElement.id") == "note-text"
        # Letters that are keys elsewhere (j, k, n, p, f, 1) are just text while typing.
        text = "Said the booking was made just as the calendar tool failed; 1 keen fix."
        page.keyboard.type(text)
        assert page.url == first
        page.keyboard.press("Control+Enter")
        page.wait_for_url(re.compile(r".*#notes$"))
        note = page.locator("ol.notes li").first
        assert text in note.inner_text()
        assert "tester" in note.inner_text()
        assert page.locator("[data-verdict][aria-pressed=true]").count() == 0  # "f" was text

        page.keyboard.press("f")
        fail = page.locator("[data-verdict=fail]")
        # Locator waits, not page.wait_for_function: the pages' policy forbids eval.
        expect(fail).to_have_attribute("aria-pressed", "true")

        tool_row = page.locator("ol.spans > li").nth(2)
        tool_row.locator("button.pin").click()
        expect(tool_row).to_have_class(re.compile(r"\bpinned\b"))
        assert "first upstream error" in page.locator("ol.notes li").first.inner_text()
        assert tool_row.locator(".span-body").is_hidden()  # pinning does not unfold the span
        _shot(page, "trace.png")

        page.keyboard.press("j")
        page.wait_for_url(lambda url: url != first and "/traces/" in url)
        assert "2 / 5" in page.locator(".session-nav").inner_text()
        page.keyboard.press("k")
        page.wait_for_url(lambda url: url.split("#")[0] == first)
        assert page.locator("[data-verdict=fail]").get_attribute("aria-pressed") == "true"

        help_box = page.locator("#help")
        assert help_box.is_hidden()
        page.keyboard.press("?")
        assert help_box.is_visible() and "next / previous trace" in help_box.inner_text()
        page.keyboard.press("Escape")
        assert help_box.is_hidden()

        page.goto(site.url + "/review")
        assert "1 of 5" in page.locator("table").inner_text()
    finally:
        page.close()


def test_code_a_note_watch_the_counts_and_promote_it(
    site: LiveServer, browser: Any, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        _sign_in(page, site)
        page.goto(site.url + "/taxonomy")
        page.fill("#add-name", "claims-success-on-error")
        page.fill("#why-add", "the answer said done while a tool failed")
        page.click("button:has-text('Add')")
        page.wait_for_url(re.compile(r".*/taxonomy\?changed=1$"))

        trace = site.url + "/traces/00000000000000000000000000000001"
        page.goto(trace)
        page.fill("#note-text", "Said it was booked though the calendar call failed.")
        page.click("button:has-text('Save note')")
        page.wait_for_url(re.compile(r".*#notes$"))
        page.keyboard.press("1")
        expect(page.locator('button.mode[data-key="1"]')).to_have_attribute("aria-pressed", "true")
        assert "claims-success-on-error" in page.locator("ol.notes li").first.inner_text()

        page.goto(site.url + "/counts")
        assert "claims-success-on-error: 1 of 1" in page.locator("#mode-lines").inner_text()
        assert "not saturated" in page.locator("#saturation").inner_text()
        _shot(page, "counts.png")

        page.goto(trace)
        page.click("a:has-text('Promote to fixture')")
        page.wait_for_url(re.compile(r".*/promote/[0-9a-f]{32}\?note=n\w+$"))
        editor = page.locator("#fixture-body")
        assert "failure_mode: claims-success-on-error" in editor.input_value()
        editor.press("Control+End")
        editor.press_sequentially("\nseverity: nonsense")
        expect(page.locator("#problems li").first).to_contain_text("severity")
        editor.press("Backspace")
        for _ in range(len("severity: nonsense")):
            editor.press("Backspace")
        expect(page.locator("#check-state")).to_have_text(re.compile(r"^Valid"))
        page.click("button:has-text('Save fixture')")
        saved = page.locator("#saved-fixture").inner_text()
        assert saved and "ratchet fixtures pull" in page.locator(".ok-box").inner_text()
    finally:
        page.close()
    # The promoted fixture reaches the repository's suite as a file.
    env = {**os.environ, "RATCHET_API_KEY": site.key, "RATCHET_HOME": str(tmp_path / "home")}
    env.pop("RATCHET_DATABASE_URL", None)
    ratchet = str(Path(sys.executable).with_name("ratchet"))
    pulled = subprocess.run(
        [ratchet, "fixtures", "pull", "--server", site.url, "--suite", str(tmp_path / "evals")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert pulled.returncode == 0, pulled.stderr
    written = tmp_path / "evals" / f"{saved.strip()}.yaml"
    assert "failure_mode: claims-success-on-error" in written.read_text()
