"""Screenshots of the web UI for the docs, over the demo's store (``make screenshots``).

Runs the demo (simulated production, a review session read by the simulated
reviewer) into a temporary RATCHET_HOME, serves that store, signs in with
the key the demo prints, and saves the queue, a trace view and the counts
page to ``docs/images/`` with Debian's Chromium.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from ratchet.cli.common import Context
from ratchet.demo.job import run_demo
from ratchet.server.app import create_app
from ratchet.server.background import serve_in_thread
from ratchet.store.store import open_store

OUT = Path(__file__).resolve().parent / "images"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    chromium = os.environ.get("RATCHET_TEST_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        sys.exit("no chromium: `make setup` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ratchet-shots-") as tmp:
        options = Context()
        options.home = tmp
        printed = io.StringIO()
        run_demo(options, traces=300, seed=7, port=0, console=Console(file=printed, width=200))
        key = re.findall(
            r"sign-in key \(user 'reviewer', project demo\): (\S+)", printed.getvalue()
        )
        store = open_store(home=tmp)
        try:
            with serve_in_thread(create_app(store, migrate=False)) as url, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url + "/login")
                page.fill("#key", key[-1])
                page.click("button[type=submit]")
                page.wait_for_url(url + "/")
                page.goto(url + "/review")
                page.locator("a[href^='/review/sessions/']").first.click()
                OUT.mkdir(exist_ok=True)
                page.screenshot(path=str(OUT / "queue.png"))
                page.locator("a[href^='/traces/']").first.click()
                page.screenshot(path=str(OUT / "trace.png"), full_page=False)
                page.goto(url + "/counts")
                page.screenshot(path=str(OUT / "counts.png"), full_page=True)
                browser.close()
        finally:
            store.close()
    print(f"wrote queue.png, trace.png and counts.png to {OUT}")


if __name__ == "__main__":
    main()
