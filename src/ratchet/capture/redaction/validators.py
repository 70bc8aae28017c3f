"""Checks that turn a regex candidate into a confirmed entity, and its normal form.

Each function takes the candidate text and returns the normalised value (what
the pseudonym is computed from) or ``None`` when the candidate is not really
that entity. Checksums (Luhn, mod-97), registries (phone numbering plans,
SSN area rules) and parsers (``ipaddress``, JSON) do the deciding, so a
pattern can stay broad and cheap.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re

import phonenumbers

# Networks that identify nobody: documentation examples, loopback, unspecified.
_KEPT_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)

# The same, as (network, mask) integers, plus this-network (0/8), multicast and
# reserved (224/3: 224/4 multicast, 240/4 reserved and broadcast).
_KEPT_IPV4 = tuple(
    (int(net.network_address), int(net.netmask))
    for net in (
        *(n for n in _KEPT_NETWORKS if n.version == 4),
        ipaddress.ip_network("0.0.0.0/8"),
        ipaddress.ip_network("127.0.0.0/8"),
        ipaddress.ip_network("224.0.0.0/3"),
    )
)

# IBAN length per country (ISO 13616 registry).
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip

# ISO 13616: letters count as 10 (A) to 35 (Z) in the mod-97 check.
_IBAN_LETTERS = str.maketrans({chr(ord("A") + i): str(10 + i) for i in range(26)})
_PHONE_CACHE: dict[tuple[str, bool], str | None] = {}
_DIGIT_GROUPS = re.compile(r"[0-9]+")
# Where national numbers start with a trunk 0, and where they are written without one.
_TRUNK_REGIONS = ("GB", "DE", "FR", "AU", "NL", "IT", "JP", "IN", "BR")
_NO_TRUNK_REGIONS = ("US", "ES", "IT", "IN", "BR")
_PHONE_CACHE_LIMIT = 8_192
# a digit's byte to the value it adds when doubled: 2d, less 9 past 9
_LUHN_DOUBLED = bytes.maketrans(b"0123456789", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)))


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    if digits.isascii() and digits.isdigit():
        # every second digit from the right is doubled (less 9 past 9): summed in C
        data = digits.encode()
        kept = data[-1::-2]
        doubled = data[-2::-2].translate(_LUHN_DOUBLED)
        return (sum(kept) - 48 * len(kept) + sum(doubled)) % 10 == 0
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card_brand_ok(digits: str) -> bool:
    """Whether the number starts like an issued card of its length (IIN ranges)."""
    length = len(digits)
    if digits[0] == "4":  # Visa
        return length in (13, 16, 19)
    two, four = int(digits[:2]), int(digits[:4])
    if two in (34, 37):  # American Express
        return length == 15
    if 51 <= two <= 55 or 2221 <= four <= 2720 or 2200 <= four <= 2204:  # Mastercard, Mir
        return 16 <= length <= 19
    if two in (30, 36, 38, 39) or 3528 <= four <= 3589:  # Diners, JCB
        return 14 <= length <= 19
    if digits[0] == "6" or two in (50, 56, 57, 58, 81, 82):  # Discover, UnionPay, Maestro, RuPay
        return 12 < length <= 19
    return False


def card_number(candidate: str) -> str | None:
    """Digits of a payment card number (13-19 digits, Luhn, a real issuer prefix)."""
    digits = candidate if candidate.isdigit() else "".join(filter(str.isdigit, candidate))
    if not 13 <= len(digits) <= 19 or not _card_brand_ok(digits):
        return None
    if len(set(digits)) == 1 or not luhn_ok(digits):
        return None
    return digits


def iban_prefix(candidate: str) -> tuple[int, str] | None:
    """The IBAN at the start of ``candidate``: (characters consumed, compact IBAN).

    The candidate may run past the IBAN (a word after it); the country's
    registered length says where it ends, then mod-97 confirms it.
    """
    compact_chars: list[str] = []
    country = candidate[:2].upper()
    length = _IBAN_LENGTHS.get(country)
    if length is None:
        return None
    consumed = 0
    for char in candidate:
        if len(compact_chars) == length:
            break
        consumed += 1
        if char == " ":
            continue
        if not char.isascii() or not char.isalnum():
            return None
        compact_chars.append(char.upper())
    if len(compact_chars) != length:
        return None
    iban = "".join(compact_chars)
    if not iban[2:4].isdigit():
        return None
    rearranged = (iban[4:] + iban[:4]).translate(_IBAN_LETTERS)
    if int(rearranged) % 97 != 1:
        return None
    return consumed, iban


def ssn_digits(area: str, group: str, serial: str) -> str | None:
    """A US Social Security number that could be issued (area, group, serial rules)."""
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return None
    return area + group + serial


def jwt_ok(header_part: str) -> bool:
    """Whether the first part of a dotted token is a JOSE header (JSON object with ``alg``)."""
    padded = header_part + "=" * (-len(header_part) % 4)
    try:
        header = json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header


def basic_credentials_ok(encoded: str) -> bool:
    """Whether a ``Basic`` auth value decodes to ``user:password``."""
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded


def ip_address(candidate: str) -> str | None:
    """The canonical form of an IP address that could identify someone, else None.

    Documentation ranges, loopback, unspecified, multicast and (for IPv4)
    reserved addresses such as netmasks are kept as written.
    """
    text = candidate.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified or address.is_multicast:
        return None
    if address.version == 4 and address.is_reserved:
        return None
    if any(address in net for net in _KEPT_NETWORKS):
        return None
    return address.compressed


def ipv4_address(candidate: str) -> str | None:
    """A dotted-quad IPv4 address that could identify someone, else None.

    Written out rather than via ``ipaddress`` because it runs on every
    dotted number in every span; leading zeros are refused as ``ipaddress`` does.
    """
    value = 0
    parts = candidate.split(".")
    if len(parts) != 4:
        return None
    for part in parts:
        if not part.isdigit() or (len(part) > 1 and part[0] == "0") or int(part) > 255:
            return None
        value = value * 256 + int(part)
    if any(value & mask == network for network, mask in _KEPT_IPV4):
        return None
    return candidate


def email_address(candidate: str) -> str | None:
    """A syntactically sound e-mail address, lower-cased, else None."""
    local, _, domain = candidate.rpartition("@")
    if not local or local[0] == "." or local[-1] == "." or ".." in local:
        return None
    for label in domain.split("."):
        if not label or label[0] == "-" or label[-1] == "-":
            return None
    return candidate.lower()


def phone_e164(candidate: str, *, bare_ok: bool) -> str | None:
    """The E.164 form of a valid phone number written in ``candidate``, else None.

    A number with ``+`` or ``00`` is read internationally. One without is read
    nationally: with a trunk ``0`` in the countries that write one, else in
    the countries whose numbers are written without (US, ES, IT, IN, BR). A
    national number must be grouped as that country writes it (its first
    group is the area code or prefix the numbering plan formats), and a bare
    run of digits counts only where ``bare_ok`` says the key names a phone.
    """
    key = (candidate, bare_ok)
    if key in _PHONE_CACHE:
        return _PHONE_CACHE[key]
    result = _phone(candidate, bare_ok)
    if len(_PHONE_CACHE) >= _PHONE_CACHE_LIMIT:
        _PHONE_CACHE.clear()
    _PHONE_CACHE[key] = result
    return result


def _phone(candidate: str, bare_ok: bool) -> str | None:
    groups = _DIGIT_GROUPS.findall(candidate)
    digits = sum(len(group) for group in groups)
    if not 7 <= digits <= 15:
        return None
    if candidate.startswith(("+", "00")):
        text = candidate if candidate[0] == "+" else "+" + candidate[2:]
        number = _parse(text, None)
        return _e164(number) if number is not None else None
    if len(groups) == 1 and not bare_ok:
        return None  # a bare run of digits is an id or a timestamp as often as a phone
    regions = _TRUNK_REGIONS if groups[0].startswith("0") else _NO_TRUNK_REGIONS
    for region in regions:
        number = _parse(candidate, region)
        if number is None:
            continue
        if len(groups) > 1 and groups[0] not in _first_groups(number):
            continue  # grouped as no number of that country is (2026-004512)
        return _e164(number)
    return None


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _first_groups(number: phonenumbers.PhoneNumber) -> set[str]:
    """The first digit group as the country writes the number, nationally and internationally."""
    firsts = set()
    national = _DIGIT_GROUPS.findall(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    )
    international = _DIGIT_GROUPS.findall(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )
    if national:
        firsts.add(national[0])
    if len(international) > 1:
        firsts.add(international[1])
    return firsts


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
