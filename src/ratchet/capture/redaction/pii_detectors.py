"""Detectors for personal data in free text: e-mail, IPv6 and IBAN, plus the numeric ones.

E-mail addresses are found from their ``@`` and IPv6 addresses from their
colons, so the cost of a string without them is a substring search. The
digit-shaped detectors live in :mod:`number_detectors`.
"""

from __future__ import annotations

import re

from ratchet.capture.redaction import validators
from ratchet.capture.redaction.detector import (
    Detector,
    Finding,
    ScanContext,
    char_at,
    char_before,
    is_word,
)
from ratchet.capture.redaction.number_detectors import (
    CARD_PREFILTER,
    IPV4_PREFILTER,
    PHONE_PREFILTER,
    SSN_PREFILTER,
    find_cards,
    find_ipv4,
    find_phones,
    find_ssns,
)
from ratchet.capture.redaction.re2_fast import Locator

_LOCAL_SYMBOLS = frozenset("._%+-")
# Internationalised addresses (jürgen@müller.de) are addresses too: letters are any script's.
_DOMAIN_RE = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}")
_IPV6_SEED = re.compile(r":[0-9A-Fa-f]{0,4}:")
_IPV6_CHARS = frozenset("0123456789abcdefABCDEF:.")
_IBAN_LOCATOR = Locator(r"[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,34}")

# As loose as the finder's domain (labels of letters, digits, "_" and "-"; then a dot and
# the top-level domain), whose letters may arrive as \u00e9 (or \\u00e9) in ASCII-only JSON.
_ESCAPED = r"\\+u[0-9A-Fa-f]{4}"
EMAIL_PREFILTER = rf"[\pL\pN._%+-]@(?:[\pL\pN_.-]|{_ESCAPED})*\.(?:\pL|\pN|{_ESCAPED}){{2}}"
# Three colons or a "::" next to a hex digit: times such as 10:30:00 do not qualify.
IPV6_PREFILTER = r"[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){3}|[0-9A-Fa-f]::|::[0-9A-Fa-f]"
IBAN_PREFILTER = r"[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11}"


def find_emails(context: ScanContext) -> list[Finding]:
    """E-mail addresses, found from each ``@`` outwards."""
    text = context.text
    found: list[Finding] = []
    at = text.find("@")
    while at > 0:
        # the run of local-part characters before the "@", at most 65 of them, less
        # the symbols it opens with (written out: this loop is the finder's hot path)
        start = at
        limit = max(0, at - 65)
        while start > limit:
            char = text[start - 1]
            if not (char.isalnum() or char in _LOCAL_SYMBOLS):
                break
            start -= 1
        while start < at and not text[start].isalnum():
            start += 1
        domain = _DOMAIN_RE.match(text, at + 1)
        after = char_at(text, domain.end()) if domain is not None else ""
        if (
            domain is not None
            and start < at
            and at - start <= 64
            and not _is_local(char_before(text, start))
            and not (after != "" and (after.isalnum() or after in "_-"))
        ):
            normal = validators.email_address(text[start : domain.end()])
            if normal:
                found.append(Finding(start, domain.end(), "EMAIL", normal, 10))
        at = text.find("@", at + 1)
    return found


def _is_local(char: str) -> bool:
    return char != "" and (char.isalnum() or char in _LOCAL_SYMBOLS)


def find_ipv6(context: ScanContext) -> list[Finding]:
    """IPv6 addresses, found from their colons and confirmed by ``ipaddress``."""
    text = context.text
    found: list[Finding] = []
    done = -1
    for seed in _IPV6_SEED.finditer(text):
        if seed.start() < done:
            continue
        start, end = seed.start(), seed.end()
        while start > 0 and text[start - 1] in _IPV6_CHARS:
            start -= 1
        while end < len(text) and text[end] in _IPV6_CHARS:
            end += 1
        done = end
        candidate = text[start:end].rstrip(".")
        end = start + len(candidate)
        if char_at(text, end) == "%":  # a zone index (fe80::1%eth0) belongs to the address
            while is_word(char_at(text, end + 1)):
                end += 1
            end += 1
        if is_word(char_before(text, start)) or is_word(char_at(text, end)):
            continue
        # a::b and friends are more often code than addresses
        if sum(c.isalnum() for c in candidate) < 5:
            continue
        normal = validators.ip_address(candidate)
        if normal:
            found.append(Finding(start, end, "IP", normal, 14))
    return found


def find_ibans(context: ScanContext) -> list[Finding]:
    """IBANs: country code, check digits, the country's length, and mod-97."""
    text = context.text
    found: list[Finding] = []
    pos = 0
    while pos < len(text):
        spans = _IBAN_LOCATOR.first(text, context.data, pos)
        if spans is None:
            break
        start, stop = spans[0]
        located = validators.iban_prefix(text[start:stop])
        end = start + located[0] if located else start
        if (
            located is not None
            and not (char_before(text, start).isascii() and char_before(text, start).isalnum())
            and not (char_at(text, end).isascii() and char_at(text, end).isalnum())
        ):
            found.append(Finding(start, end, "IBAN", located[1], 11))
            pos = end
        else:
            pos = start + 1  # a failed candidate may hide a real one starting inside it
    return found


def pii_detectors() -> list[Detector]:
    """The built-in personal-data detectors."""
    return [
        Detector("email", "EMAIL", find_emails, EMAIL_PREFILTER),
        Detector("iban", "IBAN", find_ibans, IBAN_PREFILTER),
        Detector("card", "CARD", find_cards, CARD_PREFILTER),
        Detector("ssn", "SSN", find_ssns, SSN_PREFILTER),
        Detector("ipv4", "IP", find_ipv4, IPV4_PREFILTER),
        Detector("ipv6", "IP", find_ipv6, IPV6_PREFILTER),
        Detector("phone", "PHONE", find_phones, PHONE_PREFILTER),
    ]
