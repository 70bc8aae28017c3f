"""Browser sessions: a signed cookie naming the key and the person, and CSRF tokens.

The cookie holds the API key's id, the reviewer's name, an expiry and a
random nonce, signed with a secret every replica reads from the database
(so any replica accepts any cookie). It never holds the key itself. The key
is looked up on every request, so revoking it signs the browser out at once.

Every state-changing request from a browser carries a CSRF token derived
from the session's nonce: a form field ``csrf`` or the ``X-CSRF-Token``
header. Another site can make the browser send the cookie, but cannot read
a page to learn the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import orjson

COOKIE = "ratchet_session"
LOGIN_COOKIE = "ratchet_login"
CSRF_HEADER = "x-csrf-token"
#: A browser session lasts a working week; signing in again is one form.
TTL_S = 7 * 24 * 3600
SECRET_SETTING = "browser_session_secret"


def new_secret() -> str:
    return secrets.token_hex(32)


@dataclass(frozen=True, slots=True)
class BrowserSession:
    key_id: int
    user: str
    nonce: str
    expires_s: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())


def issue(secret: bytes, key_id: int, user: str, now_s: float, nonce: str | None = None) -> str:
    """The cookie value for a new session."""
    body = {"k": key_id, "u": user, "n": nonce or secrets.token_hex(16), "e": int(now_s) + TTL_S}
    payload = _b64(orjson.dumps(body))
    return f"{payload}.{_sign(secret, payload)}"


def read(secret: bytes, value: str | None, now_s: float) -> BrowserSession | None:
    """The session in a cookie, or None when it is missing, forged, garbled or expired."""
    if not value or len(value) > 2000 or value.count(".") != 1:
        return None
    payload, signature = value.split(".")
    if not hmac.compare_digest(signature, _sign(secret, payload)):
        return None
    try:
        body = orjson.loads(_unb64(payload))
        session = BrowserSession(
            key_id=int(body["k"]),
            user=str(body["u"]),
            nonce=str(body["n"]),
            expires_s=int(body["e"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires_s > now_s else None


def csrf_token(secret: bytes, session: BrowserSession) -> str:
    return _sign(secret, f"csrf:{session.nonce}")


def csrf_ok(secret: bytes, session: BrowserSession, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(str(presented), csrf_token(secret, session))
