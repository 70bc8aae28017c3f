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
from ratchet.capture.redaction.detector import Detector, Finding, ScanContext, has_digit_and_letter

# Published prefixes of API keys and tokens; the body after each is random.
_PREFIXED = (
    r"sk-(?:proj-|ant-(?:api\d\d-|admin\d\d-)?|svcacct-|admin-|or-v1-)?[A-Za-z0-9_-]{20,}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}"
    r"|xox[abposre]-[A-Za-z0-9-]{10,}"
    r"|xapp-\d-[A-Za-z0-9-]{10,}"
    r"|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"
    r"|pk_live_[A-Za-z0-9]{16,}"
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
_AWS_PREFIX = re.compile(r"A[A-Z]{3}[A-Z0-9]{16}")
PREFIXED_RE = re.compile(rf"(?<![\w-])(?:{_PREFIXED})")

JWT_RE = re.compile(r"(?<![\w-])(ey[A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{2,})\.([A-Za-z0-9_-]*)")
PRIVATE_KEY_RE = re.compile(
    r"-----BEGIN[ A-Z0-9]*PRIVATE KEY-----"
    r"(?:[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)"
)
AUTH_HEADER_RE = re.compile(r"(?i)\b(bearer|basic)\s+([A-Za-z0-9._~+/-]{12,}=*)")
URL_CREDENTIALS_RE = re.compile(
    r"(?i)\b[a-z][a-z0-9+.-]{1,20}://[^\s:/?#@\"'<>]+:([^\s/?#@\"'<>]+)@"
)
# ``name = value``, ``"name": "value"``, ``name: Bearer value``; key rules judge the name.
ASSIGNMENT_RE = re.compile(
    r"(?<![\w.-])([A-Za-z_][\w.-]{0,48})[\"']?\s*[:=]\s*"
    r"(?:(?i:bearer|basic|token|digest)\s+)?"
    r"(?:\"([^\"\n]{1,512})\"|'([^'\n]{1,512})'|([^\s\"',;}{\]\[()<>]{1,512}))"
)
SPOKEN_SECRET_RE = re.compile(
    r"(?i)\b(?:password|passcode|passphrase|pwd)\s+(?:is|was)\s*:?\s+([^\s\"'<>]{3,128})"
)
_TRAILING_PUNCT = ".,;:)]}\"'"
_PLACEHOLDERS = frozenset(
    {"", "null", "none", "true", "false", "redacted", "[redacted]", "***", "xxx", "undefined"}
)


def _prefixed(match: re.Match[str], _: ScanContext) -> Finding | None:
    token = match.group()
    if _AWS_PREFIX.fullmatch(token):
        following = match.string[match.end() : match.end() + 1]
        if (following.isascii() and following.isalnum()) or len(set(token[4:])) < 4:
            return None
    else:
        body = token.split("_", 2)[-1] if "_" in token[:12] else token.split("-", 1)[-1]
        if not has_digit_and_letter(body) or len(set(body)) < 6:
            return None  # a placeholder such as sk-xxxxxxxx or sk-your-key-here
    return Finding(match.start(), match.end(), "SECRET", token, 4)


def _jwt(match: re.Match[str], _: ScanContext) -> Finding | None:
    if not validators.jwt_ok(match.group(1)):
        return None
    return Finding(match.start(), match.end(), "JWT", match.group(), 3)


def _private_key(match: re.Match[str], _: ScanContext) -> Finding | None:
    block = match.group().rstrip("\\\n\r\t ")
    return Finding(match.start(), match.start() + len(block), "SECRET", block, 1)


def _auth_header(match: re.Match[str], _: ScanContext) -> Finding | None:
    scheme, credential = match.group(1).lower(), match.group(2)
    if scheme == "basic":
        if not validators.basic_credentials_ok(credential):
            return None
    elif not (any(c.isdigit() for c in credential) or credential.lower() != credential):
        return None  # "bearer of bad news" is prose
    return Finding(match.start(2), match.end(2), "SECRET", credential, 5)


def _url_credentials(match: re.Match[str], _: ScanContext) -> Finding | None:
    password = match.group(1)
    if password.startswith(("$", "%(", "{{", "*")):
        return None  # a template or a mask, not the password itself
    return Finding(match.start(1), match.end(1), "SECRET", password, 2)


def _assignment(match: re.Match[str], context: ScanContext) -> Finding | None:
    if not context.is_secret_key(match.group(1)):
        return None
    group = 2 if match.group(2) is not None else 3 if match.group(3) is not None else 4
    start, end = match.start(group), match.end(group)
    text = match.string
    if group == 4:
        if match.group(1).lower().replace("-", "").endswith("cookie"):
            line_end = text.find("\n", start)
            end = len(text) if line_end < 0 else line_end
        while end > start and text[end - 1] in _TRAILING_PUNCT:
            end -= 1
    value = text[start:end].strip()
    if value.lower() in _PLACEHOLDERS or value.startswith(("<", "${", "{{")):
        return None
    return Finding(start, start + len(text[start:end].rstrip()), "SECRET", value, 6)


def _spoken(match: re.Match[str], _: ScanContext) -> Finding | None:
    value = match.group(1).rstrip(_TRAILING_PUNCT)
    # a password has a digit, a symbol or mixed case; "is incorrect" has none
    if not (
        any(not c.isalpha() for c in value) or (value.lower() != value and value.upper() != value)
    ):
        return None
    return Finding(match.start(1), match.start(1) + len(value), "SECRET", value, 6)


def secret_detectors() -> list[Detector]:
    """The built-in credential detectors."""
    return [
        Detector(
            "private_key_block",
            "SECRET",
            1,
            PRIVATE_KEY_RE,
            _private_key,
            r"-----BEGIN[ A-Z0-9]*PRIVATE KEY-----",
        ),
        Detector(
            "url_credentials",
            "SECRET",
            2,
            URL_CREDENTIALS_RE,
            _url_credentials,
            r"://[^\s:/@]+:[^\s/@]+@",
        ),
        Detector("jwt", "JWT", 3, JWT_RE, _jwt, r"ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\."),
        Detector("secret_prefix", "SECRET", 4, PREFIXED_RE, _prefixed, _PREFIXED),
        Detector(
            "auth_header",
            "SECRET",
            5,
            AUTH_HEADER_RE,
            _auth_header,
            r"(?i)(?:bearer|basic)\s+[A-Za-z0-9._~+/-]{12}",
        ),
        Detector(
            "secret_assignment",
            "SECRET",
            6,
            ASSIGNMENT_RE,
            _assignment,
            r"(?i)(?:pass|secret|key|token|auth|cookie|credential|pwd|dsn)[\w.-]*[\"']?\s*[:=]",
        ),
        Detector(
            "secret_assignment",
            "SECRET",
            6,
            SPOKEN_SECRET_RE,
            _spoken,
            r"(?i)(?:password|passcode|passphrase|pwd)\s+(?:is|was)\s",
        ),
    ]
