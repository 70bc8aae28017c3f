"""Detectors for credentials in free text: tokens by shape, auth headers, key=value leaks.

Key-prefixed credentials (``sk-``, ``ghp_``, ``AKIA``…) are recognised by their
published prefixes; a body must still look random (digits and letters) so
placeholders such as ``sk-your-key-here`` survive. Credentials written next to
their name (``password=…``, ``"api_key": "…"``, ``Authorization: Bearer …``)
reuse the key rules, so free text and structured attributes agree.
"""

from __future__ import annotations

import re

from ratchet.capture.redaction import validators
from ratchet.capture.redaction.detector import (
    Detector,
    Finder,
    Finding,
    ScanContext,
    char_at,
    char_before,
    has_digit_and_letter,
    is_word,
)
from ratchet.capture.redaction.pseudonym import is_placeholder, is_pseudonym
from ratchet.capture.redaction.re2_fast import Locator

# Published prefixes of API keys and tokens; the body after each is random.
_PREFIXED = (
    r"sk-(?:proj-|ant-(?:api\d\d-|admin\d\d-)?|svcacct-|admin-|or-v1-)?[A-Za-z0-9_-]{20,}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|(?:AKIA|ASIA)[A-Z2-7]{16}"
    r"|xox[abposre]-[A-Za-z0-9-]{10,}"
    r"|xapp-\d-[A-Za-z0-9-]{10,}"
    r"|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"
    r"|whsec_[A-Za-z0-9+/=]{20,}"
    r"|AIza[0-9A-Za-z_-]{35}"
    r"|ya29\.[0-9A-Za-z_-]{20,}"
    r"|gl(?:pat|ptt|dt|rt|cbt|oas)-[0-9A-Za-z_-]{20,}"
    r"|hf_[A-Za-z0-9]{30,}"
    r"|npm_[A-Za-z0-9]{36}"
    r"|pypi-AgE[A-Za-z0-9_-]{50,}"
    r"|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"
    r"|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}"
    r"|dop_v1_[a-f0-9]{64}"
    r"|gsk_[A-Za-z0-9]{40,}"
    r"|xai-[A-Za-z0-9]{40,}"
    r"|r8_[A-Za-z0-9]{30,}"
    r"|sq0(?:atp|csp)-[A-Za-z0-9_-]{20,}"
    r"|lin_api_[A-Za-z0-9]{30,}"
    r"|dapi[a-f0-9]{32}"
)
_PREFIXED_RE = Locator(_PREFIXED)
_AWS_KEY = re.compile(r"A[KS]IA[A-Z2-7]{16}")

JWT_RE = re.compile(r"ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")
PRIVATE_KEY_RE = re.compile(
    r"-----BEGIN[ A-Z0-9]*PRIVATE KEY-----"
    r"(?:[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)"
)
_AUTH_RE = re.compile(r"(?i)(bearer|basic)\s+([A-Za-z0-9._~+/-]{12,}=*)")
_URL_CREDENTIALS_RE = re.compile(r"://([^\s:/?#@\"'<>]+):([^\s/?#@\"'<>]+)@")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,20}")
# ``name = value``, ``"name": "value"``, ``name: Bearer value``; key rules judge the name.
_ASSIGNMENT_RE = re.compile(
    r"([A-Za-z_][\w.-]{0,48})\\*[\"']?\s*[:=]\s*"
    r"(?:(?i:bearer|basic|token|digest)\s+)?"
    r"(?:\\*\"([^\"\n]{1,512})\"|'([^'\n]{1,512})'|([^\s\"',;}{\]\[()<>]{1,512}))"
)
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
SPOKEN_SECRET_RE = re.compile(
    r"(?i)\b(?:password|passcode|passphrase|pwd)\s+(?:is|was)\s*:?\s+([^\s\"'<>]{3,128})"
)
_TRAILING_PUNCT = ".,;:)]}\"'\\"
_PLACEHOLDERS = frozenset(
    {"", "null", "none", "true", "false", "redacted", "[redacted]", "***", "xxx", "undefined"}
)
# A scheme alone is not the credential (the credential after it may be redacted already).
_SCHEMES = frozenset({"bearer", "basic", "token", "digest", "negotiate", "apikey"})
# RE2 prefilters; \s may arrive JSON-escaped (\n, \t) when the gate reads raw JSON, or
# escaped twice (\\n) when that JSON sits in a string of another document.
_WS = r"(?:\s|\\+[nrt])"


def find_prefixed(context: ScanContext) -> list[Finding]:
    """API keys and tokens recognised by their published prefixes."""
    text = context.text
    found: list[Finding] = []
    for spans in _PREFIXED_RE.spans(text, context.data):
        start, end = spans[0]
        token = text[start:end]
        prev = char_before(text, start)
        if is_word(prev) or prev == "-":
            continue
        if _AWS_KEY.fullmatch(token):
            if is_word(char_at(text, end)) or len(set(token[4:])) < 4:
                continue
        else:
            body = token.split("_", 2)[-1] if "_" in token[:12] else token.split("-", 1)[-1]
            if not has_digit_and_letter(body) or len(set(body)) < 6:
                continue  # a placeholder such as sk-xxxxxxxx or sk-your-key-here
        found.append(Finding(start, end, "SECRET", token, 4))
    return found


def find_jwts(context: ScanContext) -> list[Finding]:
    """JSON Web Tokens: three base64url parts, the first a JOSE header with ``alg``."""
    text = context.text
    found: list[Finding] = []
    for match in JWT_RE.finditer(text):
        prev = char_before(text, match.start())
        if is_word(prev) or prev == "-":
            continue
        if validators.jwt_ok(match.group().split(".", 1)[0]):
            found.append(Finding(match.start(), match.end(), "JWT", match.group(), 3))
    return found


def find_private_keys(context: ScanContext) -> list[Finding]:
    """PEM private key blocks, whole (or to the end of the text when cut short)."""
    found: list[Finding] = []
    for match in PRIVATE_KEY_RE.finditer(context.text):
        block = match.group().rstrip("\\\n\r\t ")
        found.append(Finding(match.start(), match.start() + len(block), "SECRET", block, 1))
    return found


def find_auth_headers(context: ScanContext) -> list[Finding]:
    """The credential of ``Bearer …`` and ``Basic …`` wherever they are written."""
    text = context.text
    lowered = text.lower()
    found: list[Finding] = []
    for scheme in ("bearer", "basic"):
        at = lowered.find(scheme)
        while at >= 0:
            match = _AUTH_RE.match(text, at)
            if match is not None and not is_word(char_before(text, at)):
                credential = match.group(2)
                if (
                    validators.basic_credentials_ok(credential)
                    if scheme == "basic"
                    # "bearer of bad news" is prose: a token has a digit or mixed case
                    else any(map(str.isdigit, credential)) or credential.lower() != credential
                ):
                    found.append(Finding(match.start(2), match.end(2), "SECRET", credential, 5))
            at = lowered.find(scheme, at + 1)
    return found


def find_url_credentials(context: ScanContext) -> list[Finding]:
    """The password in ``scheme://user:password@host``."""
    text = context.text
    found: list[Finding] = []
    for match in _URL_CREDENTIALS_RE.finditer(text):
        scheme_start = match.start()
        while scheme_start > 0 and text[scheme_start - 1] in _KEY_CHARS:
            scheme_start -= 1
        if not _SCHEME_RE.fullmatch(text, scheme_start, match.start()):
            continue
        password = match.group(2)
        if password.startswith("%(") or is_placeholder(password):
            continue  # a template or a mask, not the password itself
        found.append(Finding(match.start(2), match.end(2), "SECRET", password, 2))
    return found


def _assignment_finder(locator: Locator) -> Finder:
    def find_assignments(context: ScanContext) -> list[Finding]:
        """``name = value`` pairs in text whose name the key rules call a secret."""
        text = context.text
        found: list[Finding] = []
        done = 0
        for spans in locator.spans(text, context.data):
            start = located = spans[0][0]
            if start < done:
                continue
            while start > 0 and located - start < 48 and text[start - 1] in _KEY_CHARS:
                start -= 1
            match = _ASSIGNMENT_RE.match(text, start)
            if match is None:
                continue
            if match.group(1).lower().replace("-", "").endswith("cookie"):
                line_end = text.find("\n", match.end(1))  # a cookie header runs to its line end
                found.extend(
                    cookie_findings(text, match.end(1), len(text) if line_end < 0 else line_end)
                )
                continue
            if not context.is_secret_key(match.group(1)):
                continue
            finding = _assigned_value(match)
            if finding is not None:
                found.append(finding)
                done = finding.end
        return found

    return find_assignments


def _assigned_value(match: re.Match[str]) -> Finding | None:
    text = match.string
    group = 2 if match.group(2) is not None else 3 if match.group(3) is not None else 4
    start, end = match.start(group), match.end(group)
    if char_at(text, end) in ("<", "{") or text[start:end].endswith(("_", "-")):
        return None  # sk_live_<your key>: a template around a bare prefix
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    value = text[start:end]
    if value.lower() in _PLACEHOLDERS or value.lower() in _SCHEMES:
        return None
    if is_placeholder(value) or is_pseudonym(value):
        return None  # ${API_KEY}, <your key>, ****
    return Finding(start, end, "SECRET", value, 6)


_COOKIE_PAIR = re.compile(r"([!#$%&'*+.^_`|~0-9A-Za-z-]+)=([^;,\s\"]*)")
_COOKIE_ATTRIBUTES = frozenset(
    ("path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority")
)
_SESSION_WORDS = ("sess", "sid", "auth", "token", "jwt", "csrf", "xsrf", "remember", "login")


def cookie_findings(text: str, start: int, end: int) -> list[Finding]:
    """Values of a cookie header that are credentials: session-like names or random values.

    Other pairs (theme=dark, lang=en) stay; any detector still reads them.
    """
    found: list[Finding] = []
    for pair in _COOKIE_PAIR.finditer(text, start, end):
        name, value = pair.group(1).lower(), pair.group(2)
        if name in _COOKIE_ATTRIBUTES or len(value) < 4 or is_pseudonym(value):
            continue
        random_looking = len(value) >= 16 and has_digit_and_letter(value)
        if random_looking or any(word in name for word in _SESSION_WORDS):
            found.append(Finding(pair.start(2), pair.end(2), "SECRET", value, 7))
    return found


def find_cookie_header(context: ScanContext) -> list[Finding]:
    """A whole string that is a cookie header (its key said so)."""
    if "COOKIE" not in context.hints:
        return []
    return cookie_findings(context.text, 0, len(context.text))


def find_spoken_secrets(context: ScanContext) -> list[Finding]:
    """ "my password is X" in prose, when X looks like a password."""
    found: list[Finding] = []
    for match in SPOKEN_SECRET_RE.finditer(context.text):
        value = match.group(1).rstrip(_TRAILING_PUNCT)
        # a password has a digit, a symbol or mixed case; "is incorrect" has none
        if any(not c.isalpha() for c in value) or (
            value.lower() != value and value.upper() != value
        ):
            found.append(Finding(match.start(1), match.start(1) + len(value), "SECRET", value, 6))
    return found


def secret_detectors(key_prefilter: str) -> list[Detector]:
    """The built-in credential detectors; ``key_prefilter`` finds names the key rules flag."""
    assignments = _assignment_finder(Locator(key_prefilter))
    return [
        Detector(
            "private_key_block",
            "SECRET",
            find_private_keys,
            r"-----BEGIN[ A-Z0-9]*PRIVATE KEY-----",
        ),
        # also matches a JSON-escaped URL (https:\/\/…), since the gate reads raw JSON
        Detector(
            "url_credentials",
            "SECRET",
            find_url_credentials,
            r":(?://|\\/\\/)[^\s:/@]+:[^\s/@]+@",
        ),
        Detector("jwt", "JWT", find_jwts, r"ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\."),
        Detector("secret_prefix", "SECRET", find_prefixed, _PREFIXED),
        Detector(
            "auth_header",
            "SECRET",
            find_auth_headers,
            rf"(?i)(?:bearer|basic){_WS}+[A-Za-z0-9._~+/-]{{12}}",
        ),
        Detector("secret_assignment", "SECRET", assignments, key_prefilter),
        Detector(
            "secret_assignment",
            "SECRET",
            find_spoken_secrets,
            rf"(?i)(?:password|passcode|passphrase|pwd){_WS}+(?:is|was){_WS}",
        ),
    ]
