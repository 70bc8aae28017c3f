"""Detectors for entities written with digits: payment card, phone, US SSN, IPv4.

Each locates candidates with an RE2 pattern of its entity's written shapes
and confirms them in Python. A candidate may hold more than the entity (a
card followed by its CVV, a phone followed by a count), so cards try the
candidate's separator-delimited sub-ranges and phones drop trailing groups
until valid.

Text is full of digits that are none of these (request numbers, order ids,
token counts, times), so the prefilters ask for what the checks ask for: a
shape the check accepts, where the check accepts it (not glued to a word or
a longer number), and, for phones, enough digits.
"""

from __future__ import annotations

import re

from ratchet.capture.redaction import validators
from ratchet.capture.redaction.detector import (
    Finding,
    ScanContext,
    char_at,
    char_before,
    has_digit_and_letter,
    is_word,
    mentions,
)
from ratchet.capture.redaction.re2_fast import Locator

CARD_LOCATOR = Locator(r"[0-9](?:[ -]?[0-9]){12,}")
# The written shapes of phone numbers: international; US; national with a trunk 0
# (GB, DE, FR, AU…); Brazil's (area) prefix; Spanish, Italian and Indian mobiles.
_INTERNATIONAL_SHAPE = r"(?:\+|00)[1-9][0-9]{0,3}(?:[ .-]?\(?[0-9]{1,5}\)?){1,7}"
_NATIONAL_SHAPES = (
    r"(?:1[ .-]?)?(?:\([0-9]{3}\) ?|[0-9]{3}[ .-]?)[0-9]{3}[ .-]?[0-9]{4}"
    r"|\(?0[1-9][0-9]{0,3}\)?[ ./-]?(?:[0-9]{6,8}|[0-9]{3,4}[ .-][0-9]{3,4})"
    r"(?:[ .-][0-9]{2,4}){0,3}"
    r"|0[1-9](?: [0-9]{2}){4}|0[1-9](?:\.[0-9]{2}){4}|0[1-9](?:-[0-9]{2}){4}"
    r"|\([1-9][0-9]\) ?[0-9]{4,5}[ -]?[0-9]{4}"
    r"|[6-9][0-9]{2}(?:[ .-][0-9]{3}){2}|[6-9][0-9]{2}(?:[ .-][0-9]{2}){3}"
    r"|3[0-9]{2}[ .-]?[0-9]{3,4}[ .-]?[0-9]{3,4}"
    r"|[6-9][0-9]{4}[ -][0-9]{5}"
)
_PHONE_SHAPES = f"{_INTERNATIONAL_SHAPE}|{_NATIONAL_SHAPES}"
PHONE_LOCATOR = Locator(_PHONE_SHAPES)
SSN_LOCATOR = Locator(r"[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}")
IPV4_LOCATOR = Locator(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}")
_GROUP_SEP = re.compile(r"[ -]+")
_SSN_LAYOUT = re.compile(r"[0-9]{3}-[0-9]{2}-[0-9]{4}")
_COUNTRY_DIGITS = re.compile(r"[A-Z]{2}[0-9]{2}")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,8}(?: ?[A-Z0-9]{1,3})?")
_LAST_SEP = re.compile(r"[ ./-]\(?[0-9]*\)?$")
# A phone candidate holds only ASCII digits and these: deleting them leaves the digits.
_NOT_DIGITS = str.maketrans("", "", " ./-()+")
_DATE_LIKE = re.compile(
    r"[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{2,4}"
)

_SSN_WORDS = frozenset(("ssn", "social", "ss#", "ssn#", "tax", "taxpayer"))
_VERSION_WORDS = frozenset(("version", "ver", "release", "build", "firmware", "section", "v"))


def _boundary_before(refused: str) -> str:
    """What may precede a number the finders accept, as an RE2 pattern.

    The finders refuse a number that continues a word or follows one of
    ``refused`` (``REF-00412 500`` holds no phone), so the prefilters may
    too, which keeps request numbers and ids from sending text to the
    finders. The gate reads JSON, where a control character before the
    number is escaped (``\\n``, ``\\u0001``) and ends in a letter or digit,
    so an escape counts as a boundary.
    """
    return rf"(?:^|[^0-9A-Za-z_{re.escape(refused)}]|\\[bfnrt]|\\u[0-9A-Fa-f]{{4}})"


# What may follow an accepted number: not a word, nor a decimal part.
_BOUNDARY_AFTER = r"(?:$|[^0-9A-Za-z_.,{more}]|[.,](?:$|[^0-9]))"

# The prefilters: only shapes the checks can accept, where the checks accept them. A
# phone the checks accept has at least seven digits, counting an international "00".
_PHONE_GAP = r"\)?[ .-]?\(?"
_PHONE_PREFILTER_SHAPES = (
    rf"\+[1-9](?:{_PHONE_GAP}[0-9]){{6}}|00[1-9](?:{_PHONE_GAP}[0-9]){{4}}|{_NATIONAL_SHAPES}"
)
CARD_PREFILTER = (
    _boundary_before(".+-") + r"[0-9](?:[ -]?[0-9]){12,18}" + _BOUNDARY_AFTER.format(more="")
)
PHONE_PREFILTER = _boundary_before("+.=-") + f"(?:{_PHONE_PREFILTER_SHAPES})"
SSN_PREFILTER = (
    _boundary_before("-") + r"[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}" + _BOUNDARY_AFTER.format(more="-")
)
IPV4_PREFILTER = (
    _boundary_before(".")
    + r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"
    + _BOUNDARY_AFTER.format(more="")
)


def _start_ok(text: str, start: int, before: str) -> bool:
    """A number must not continue a word, a longer number, or one of ``before``."""
    prev = char_before(text, start)
    return not (is_word(prev) or (prev != "" and prev in before))


def _end_ok(text: str, end: int) -> bool:
    """A number must not run on into a word or a decimal part."""
    after = char_at(text, end)
    if is_word(after):
        return False
    return not (after in ".," and char_at(text, end + 1).isdigit())


def _edges_ok(text: str, start: int, end: int, before: str) -> bool:
    """A number must not continue a word or a longer number on either side."""
    return _start_ok(text, start, before) and _end_ok(text, end)


def _card_in(text: str, start: int, end: int) -> Finding | None:
    """The longest run of whole groups in ``text[start:end]`` that is a card number."""
    if not (is_word(char_before(text, start)) or is_word(char_at(text, end))):
        whole = validators.card_number(text[start:end])
        if whole is not None:
            if _edges_ok(text, start, end, ".+-") and not _inside_token(text, start):
                return Finding(start, end, "CARD", whole, 12)
            return None
    groups: list[tuple[int, int]] = []  # (start, end) of each digit group
    pos = start
    for sep in _GROUP_SEP.finditer(text, start, end):
        groups.append((pos, sep.start()))
        pos = sep.end()
    groups.append((pos, end))
    # a group glued to a word belongs to that word's token (1Z999AA1 4111…, DE89 3704…)
    if is_word(char_before(text, start)):
        groups = groups[1:]
    if groups and is_word(char_at(text, end)):
        groups = groups[:-1]
    if not groups:
        return None
    digits = "".join(text[a:b] for a, b in groups)
    offsets = [0]
    for a, b in groups:
        offsets.append(offsets[-1] + b - a)
    # Sub-ranges of whole groups (a card then its CVV, an amount then a card). A
    # neighbouring group as long as the range's own edge group continues one longer
    # number (1234 5678 9012 3456 7890 holds no card), so such ranges are skipped.
    sizes = [b - a for a, b in groups]
    last = len(groups) - 1
    windows: list[tuple[int, int, int]] = []  # (digit count, first group, last group)
    for i in range(last + 1):
        if i > 0 and sizes[i - 1] == sizes[i]:
            continue
        for j in range(i, min(last + 1, i + 8)):
            count = offsets[j + 1] - offsets[i]
            if count > 19:
                break
            if count >= 13 and not (j < last and sizes[j + 1] == sizes[j]):
                windows.append((count, i, j))
    windows.sort(key=lambda window: (-window[0], window[1]))
    for _, i, j in windows:
        number = digits[offsets[i] : offsets[j + 1]]
        if not validators.card_number(number):
            continue
        sub_start, sub_end = groups[i][0], groups[j][1]
        if _edges_ok(text, sub_start, sub_end, ".+-") and not _inside_token(text, sub_start):
            return Finding(sub_start, sub_end, "CARD", number, 12)
    return None


def find_cards(context: ScanContext) -> list[Finding]:
    """Payment card numbers: 13-19 digits, optional separators, Luhn, known issuer prefix."""
    text = context.text
    found: list[Finding] = []
    pos = 0
    while (spans := CARD_LOCATOR.first(text, context.data, pos)) is not None:
        start, end = spans[0]
        finding = _card_in(text, start, end)
        if finding is not None:
            found.append(finding)
        # what follows a card inside one candidate may be another card: look again there
        pos = finding.end if finding is not None and finding.end < end else end
    return found


def find_phones(context: ScanContext) -> list[Finding]:
    """Phone numbers the numbering plans call valid, written the way their country writes them."""
    text = context.text
    bare_ok = "PHONE" in context.hints
    found: list[Finding] = []
    pos = 0
    while (spans := PHONE_LOCATOR.first(text, context.data, pos)) is not None:
        start, end = spans[0]
        finding = _phone(text, start, text[start:end], bare_ok=bare_ok)
        if finding is not None:
            found.append(finding)
        # a number trimmed from a longer candidate may be followed by another one
        pos = finding.end if finding is not None and finding.end < end else end
    return found


def _phone(text: str, start: int, candidate: str, *, bare_ok: bool) -> Finding | None:
    if candidate.endswith(")") and candidate.count(")") > candidate.count("("):
        candidate = candidate[:-1]  # "(+1 415 555 0132)": the bracket closes the prose
    international = candidate.startswith(("+", "00"))
    if not international and _SSN_LAYOUT.fullmatch(candidate):
        return None
    if not _start_ok(text, start, "+.=-" if international else "+/.=-"):
        return None
    # a trailing group may be a count or an extension: drop groups until valid
    while len(candidate.translate(_NOT_DIGITS)) >= 7:
        if candidate.count("(") == candidate.count(")") and not _DATE_LIKE.fullmatch(candidate):
            normal = validators.phone_e164(candidate, bare_ok=bare_ok)
            end = start + len(candidate)
            if normal and _end_ok(text, end):
                if not international and _inside_token(text, start):
                    return None
                return Finding(start, end, "PHONE", normal, 15)
        cut = _LAST_SEP.search(candidate)
        if cut is None:
            break
        candidate = candidate[: cut.start()]
    return None


def _inside_token(text: str, start: int) -> bool:
    """Whether digit groups at ``start`` continue a longer token (IBAN, tracking number).

    True when the short group before them, one space or dash away, mixes
    letters and digits (``AA1 01 2345``) or when they sit inside an IBAN-shaped
    run of groups.
    """
    if char_before(text, start) in (" ", "-"):
        begin = start - 1
        while (
            begin > 0
            and start - begin <= 8
            and text[begin - 1].isascii()
            and text[begin - 1].isalnum()
        ):
            begin -= 1
        token = text[begin : start - 1]
        if 0 < len(token) <= 6 and has_digit_and_letter(token):
            return True
    window = max(0, start - 40)
    if _COUNTRY_DIGITS.search(text, window, start) is None:
        return False  # no "DE89"-like start of an IBAN close enough before
    for shaped in _IBAN_SHAPE.finditer(text, window, min(len(text), start + 48)):
        if shaped.start() < start < shaped.end():
            return True
    return False


def find_ssns(context: ScanContext) -> list[Finding]:
    """US Social Security numbers; nine bare digits only where the context names an SSN."""
    text = context.text
    found: list[Finding] = []
    for spans in SSN_LOCATOR.spans(text, context.data):
        start, end = spans[0]
        candidate = text[start:end]
        separators = {c for c in candidate if not c.isdigit()}
        digits = "".join(c for c in candidate if c.isdigit())
        if len(separators) > 1 or (separators and len(candidate) != 11):
            continue  # 123-45 6789 mixes separators; 12345-6789 is a ZIP+4
        if not _edges_ok(text, start, end, "-") or char_at(text, end) == "-":
            continue
        if not separators and not (
            "SSN" in context.hints or mentions(text, start, _SSN_WORDS, window=24)
        ):
            continue
        normal = validators.ssn_digits(digits[:3], digits[3:5], digits[5:])
        if normal:
            found.append(Finding(start, end, "SSN", normal, 13))
    return found


def find_ipv4(context: ScanContext) -> list[Finding]:
    """IPv4 addresses that could identify someone (not documentation, loopback, versions)."""
    text = context.text
    found: list[Finding] = []
    if "VERSION" in context.hints:
        return found  # service.version: 4.18.2.0 is a version, not an address
    for spans in IPV4_LOCATOR.spans(text, context.data):
        start, end = spans[0]
        if not _edges_ok(text, start, end, "."):
            continue
        if char_at(text, end) == "." and char_at(text, end + 1).isdigit():
            continue  # an OID or a longer version number
        normal = validators.ipv4_address(text[start:end])
        if normal and not mentions(text, start, _VERSION_WORDS, window=16, last_only=True):
            found.append(Finding(start, end, "IP", normal, 14))
    return found
