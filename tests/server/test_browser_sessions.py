"""Signing in from a browser: a signed session cookie, CSRF on every post, sign-out, revocation."""

from __future__ import annotations

import re

import httpx
import pytest

from ratchet.server import browser
from ratchet.store.keys import create_key, revoke_key
from support.live_server import LiveServer


def _form_token(page: str, field: str) -> str:
    found = re.search(rf'name="{field}" value="([^"]+)"', page)
    assert found, f"no {field} in the page"
    return found.group(1)


def _sign_in(client: httpx.Client, key: str, name: str = "") -> httpx.Response:
    token = _form_token(client.get("/login").text, "login_token")
    return client.post("/login", data={"key": key, "name": name, "login_token": token})


def test_a_key_that_names_its_user_signs_that_user_in(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        assert client.get("/").headers["location"] == "/login"
        resp = _sign_in(client, server.key)
        assert resp.status_code == 303 and resp.headers["location"] == "/"
        cookie = resp.cookies[browser.COOKIE]
        assert server.key not in cookie  # the key itself never travels in the cookie
        set_cookie = resp.headers["set-cookie"].lower()
        assert "httponly" in set_cookie and "samesite=strict" in set_cookie
        home = client.get("/")
        assert "Signed in to project <strong>acme</strong> as <strong>tester</strong>" in home.text


def test_a_key_without_a_user_needs_a_name_and_a_named_key_refuses_another(
    server: LiveServer,
) -> None:
    anonymous, _ = create_key(server.store, "acme")
    with httpx.Client(base_url=server.url) as client:
        resp = _sign_in(client, anonymous)
        assert resp.status_code == 400 and "Enter your name" in resp.text
        resp = _sign_in(client, server.key, name="mallory")
        assert resp.status_code == 401 and "This key belongs to tester" in resp.text
        resp = _sign_in(client, anonymous, name="Dana <b>")
        assert resp.status_code == 303
        assert "as <strong>Dana &lt;b&gt;</strong>" in client.get("/").text


def test_a_sign_in_posted_from_elsewhere_is_refused(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        resp = client.post("/login", data={"key": server.key, "login_token": "guess"})
        assert resp.status_code == 403 and "form expired" in resp.text
        assert browser.COOKIE not in resp.cookies


def test_a_forged_or_tampered_cookie_is_no_session(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        cookie = _sign_in(client, server.key).cookies[browser.COOKIE]
        payload, signature = cookie.split(".")
        client.cookies.clear()
        for forged in (f"{payload}x.{signature}", f"{payload}.{signature[:-2]}AA", "garbage"):
            client.cookies.set(browser.COOKIE, forged)
            assert client.get("/").headers["location"] == "/login"
            resp = client.get("/api/v1/traces")
            assert resp.status_code == 401 and "sign in again" in resp.json()["error"]["message"]


def test_the_api_takes_the_session_but_a_post_needs_the_csrf_token(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        _sign_in(client, server.key)
        assert client.get("/api/v1/traces").status_code == 200
        incident = {"severity": "sev3", "title": "wrong day booked"}
        refused = client.post("/api/v1/incidents", json=incident)
        assert refused.status_code == 403
        assert "security token" in refused.json()["error"]["message"]
        csrf = _form_token(client.get("/").text, "csrf")
        accepted = client.post("/api/v1/incidents", json=incident, headers={"X-CSRF-Token": csrf})
        assert accepted.status_code == 201
        listed = client.get("/api/v1/incidents").json()
        assert [i["title"] for i in listed] == ["wrong day booked"]


def test_sign_out_needs_the_token_and_revoking_the_key_ends_the_session(
    server: LiveServer,
) -> None:
    with httpx.Client(base_url=server.url) as client:
        _sign_in(client, server.key)
        assert client.post("/logout").status_code == 403
        csrf = _form_token(client.get("/").text, "csrf")
        out = client.post("/logout", data={"csrf": csrf})
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert client.get("/").headers["location"] == "/login"

        other, _ = create_key(server.store, "acme", "rosa")
        _sign_in(client, other)
        assert "as <strong>rosa</strong>" in client.get("/").text
        revoke_key(server.store, other)
        assert client.get("/").headers["location"] == "/login"


def test_pages_carry_security_headers_and_the_api_does_not_need_them(server: LiveServer) -> None:
    page = httpx.get(server.url + "/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    api = httpx.get(server.url + "/api/v1/traces", headers={"x-api-key": server.key})
    assert "content-security-policy" not in api.headers


def test_cookies_are_secure_when_the_operator_says_so(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATCHET_SECURE_COOKIES", "1")
    with httpx.Client(base_url=server.url) as client:
        token = _form_token(client.get("/login").text, "login_token")
        resp = client.post("/login", data={"key": server.key, "login_token": token})
        assert "secure" in resp.headers["set-cookie"].lower()
