"""The web UI in a real browser: a visitor without a session lands on /login and signs in."""

from __future__ import annotations

from typing import Any

from support.live_server import LiveServer


def test_sign_in_with_a_key(server: LiveServer, browser: Any) -> None:
    page = browser.new_page()
    try:
        page.goto(server.url + "/")
        assert page.url == server.url + "/login"
        page.fill("#key", "rk_wrong_key")
        page.click("button[type=submit]")
        assert page.locator("[role=alert]").inner_text() == "Unknown or revoked key."
        page.fill("#key", server.key)
        page.click("button[type=submit]")
        page.wait_for_url(server.url + "/")
        assert "Signed in to project acme" in page.locator("body").inner_text()
    finally:
        page.close()
