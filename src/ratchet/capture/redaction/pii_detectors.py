"""Detectors for personal data in free text: e-mail, phone, card, IBAN, IP, SSN.

Patterns are deliberately broad; the validators decide. Where a broad
pattern can swallow neighbouring digits (a card followed by its CVV, a phone
followed by a count), the check tries the candidate's sub-groups, longest
first, before giving up.
"""

from __future__ import annotations

import re

from ratchet.capture.redaction import validators
from ratchet.capture.redaction.detector import Detector, Finding, ScanContext, preceded_by

_PHONE_CONTEXT = re.compile(
    r"(?i)(phone|\btel\b|\bcall|mobile|\bcell|\bsms\b|whatsapp|\bfax\b|contact|reach|dial|\btext)"
)
_SSN_CONTEXT = re.compile(r"(?i)(\bssn|social security|\bss#|\bsocial\b|tax id|\btin\b)")
_VERSION_CONTEXT = re.compile(r"(?i)(version|\bver\.?|release|build|\bv)\s*[:=]?\s*$")
_DATE_LIKE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
_GROUP_SPLIT = re.compile(r"[ -]+")

EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)
PHONE_RE = re.compile(r"(?<![\w+/.=-])(?:\+|\b00)?\(?\d[\d ().-]{5,22}\d(?![\w-]|[.,]\d)")
CARD_RE = re.compile(r"(?<![\w.+-])\d(?:[ -]?\d){12,22}(?![\w])")
IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,34}")
SSN_RE = re.compile(r"(?<![\w-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w-])")
IPV4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
IPV6_RE = re.compile(
    r"(?<![\w:.])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){2})[0-9A-Fa-f:.]{3,45}(?:%[\w]+)?(?!\w)"
)


# Only the shapes the phone check can accept: international (+ or 00) or US-like.
_PHONE_PREFILTER = r"\+\d[\d ().-]{5,}\d|\b00[1-9][\d ().-]{6,}\d|\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}"
# Three colons or a "::" next to a hex digit: times such as 10:30:00 do not qualify.
_IPV6_PREFILTER = r"[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){3}|[0-9A-Fa-f]::|::[0-9A-Fa-f]"


def _email(match: re.Match[str], _: ScanContext) -> Finding | None:
    normal = validators.email_address(match.group())
    return Finding(match.start(), match.end(), "EMAIL", normal) if normal else None


def _windows(text: str) -> list[tuple[int, int]]:
    """Sub-ranges of whole separator-delimited groups, longest first."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for sep in _GROUP_SPLIT.finditer(text):
        bounds.append((pos, sep.start()))
        pos = sep.end()
    bounds.append((pos, len(text)))
    spans = [
        (bounds[i][0], bounds[j][1]) for i in range(len(bounds)) for j in range(i, len(bounds))
    ]
    spans.sort(key=lambda span: span[0] - span[1])
    return spans


def _phone(match: re.Match[str], context: ScanContext) -> Finding | None:
    text = match.group()
    bare_ok = "PHONE" in context.hints or preceded_by(match.string, match.start(), _PHONE_CONTEXT)
    candidates = [(0, len(text))] if " " not in text else _windows(text)
    for start, end in candidates:
        piece = text[start:end].rstrip(" .-")
        lead = len(piece) - len(piece.lstrip(" .-"))
        piece = piece[lead:]
        if (
            len(piece) < 7
            or not piece[-1].isdigit()
            or piece.count("(") != piece.count(")")
            or _DATE_LIKE.fullmatch(piece)
        ):
            continue
        normal = validators.phone_e164(piece, bare_ok=bare_ok)
        if normal:
            begin = match.start() + start + lead
            return Finding(begin, begin + len(piece), "PHONE", normal)
    return None


def _card(match: re.Match[str], _: ScanContext) -> Finding | None:
    text = match.group()
    candidates = [(0, len(text))] if text.isdigit() else _windows(text)
    for start, end in candidates:
        normal = validators.card_number(text[start:end])
        if normal:
            return Finding(match.start() + start, match.start() + end, "CARD", normal)
    return None


def _iban(match: re.Match[str], _: ScanContext) -> Finding | None:
    found = validators.iban_prefix(match.group())
    if found is None:
        return None
    consumed, normal = found
    end = match.start() + consumed
    text = match.string
    if end < len(text) and text[end].isascii() and text[end].isalnum():
        return None  # the IBAN-shaped prefix of a longer token
    return Finding(match.start(), end, "IBAN", normal)


def _ssn(match: re.Match[str], context: ScanContext) -> Finding | None:
    if not match.group(2) and not (
        "SSN" in context.hints or preceded_by(match.string, match.start(), _SSN_CONTEXT, window=24)
    ):
        return None  # nine bare digits are an SSN only where the context says so
    normal = validators.ssn_digits(match.group(1), match.group(3), match.group(4))
    return Finding(match.start(), match.end(), "SSN", normal) if normal else None


def _ipv4(match: re.Match[str], _: ScanContext) -> Finding | None:
    if preceded_by(match.string, match.start(), _VERSION_CONTEXT, window=16):
        return None
    normal = validators.ip_address(match.group())
    return Finding(match.start(), match.end(), "IP", normal) if normal else None


def _ipv6(match: re.Match[str], _: ScanContext) -> Finding | None:
    text = match.group().rstrip(".")
    # a::b and friends are more often code than addresses
    if sum(c.isalnum() for c in text.split("%", 1)[0]) < 5:
        return None
    normal = validators.ip_address(text)
    return Finding(match.start(), match.start() + len(text), "IP", normal) if normal else None


def pii_detectors() -> list[Detector]:
    """The built-in personal-data detectors."""
    return [
        Detector("email", "EMAIL", 10, EMAIL_RE, _email, r"[\w.%+-]@[A-Za-z0-9-]+\.[A-Za-z]{2}"),
        Detector(
            "iban", "IBAN", 11, IBAN_RE, _iban, r"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11}", True
        ),
        Detector("card", "CARD", 12, CARD_RE, _card, r"\d(?:[ -]?\d){12}"),
        Detector("ssn", "SSN", 13, SSN_RE, _ssn, r"\d{3}[- ]?\d{2}[- ]?\d{4}"),
        Detector("ipv4", "IP", 14, IPV4_RE, _ipv4, r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"),
        Detector("ipv6", "IP", 14, IPV6_RE, _ipv6, _IPV6_PREFILTER),
        Detector("phone", "PHONE", 15, PHONE_RE, _phone, _PHONE_PREFILTER),
    ]
