"""Fake payment cards, IBANs and SSNs, and look-alikes that break their checksums or ranges."""

from __future__ import annotations

import string
from random import Random

from value_basics import Maker, iban_mod97, luhn_digit, pick, rand_digits

# -------------------------------------------------------------------- cards

# (brand, prefixes, lengths, weight); prefixes are real issuer ranges, weights
# roughly follow how often each brand shows up in consumer traffic.
_CARD_BRANDS: list[tuple[str, list[str], list[int], int]] = [
    ("visa", ["4"], [16, 16, 16, 16, 13, 19], 34),
    ("mastercard", ["51", "52", "53", "54", "55", "2221", "2720", "2301"], [16], 28),
    ("amex", ["34", "37"], [15], 10),
    ("discover", ["6011", "65", "644", "649"], [16], 6),
    ("jcb", ["3528", "3530", "3566", "3589"], [16], 5),
    ("diners", ["36", "300", "305"], [14], 4),
    ("unionpay", ["62"], [16, 19], 7),
    ("maestro", ["6759", "5018", "5020"], [16, 19], 6),
]


def _card_groups(digits: str, brand: str) -> list[str]:
    if brand == "amex" and len(digits) == 15:
        return [digits[:4], digits[4:10], digits[10:]]
    if brand == "diners" and len(digits) == 14:
        return [digits[:4], digits[4:10], digits[10:]]
    if len(digits) == 13:
        return [digits[:4], digits[4:8], digits[8:]]
    return [digits[i : i + 4] for i in range(0, len(digits), 4)]


def _format_card(rng: Random, digits: str, brand: str) -> str:
    style = rng.choice(["space", "space", "compact", "dash"])
    if style == "compact":
        return digits
    return (" " if style == "space" else "-").join(_card_groups(digits, brand))


def _card_digits(rng: Random, brand: str | None, valid: bool) -> tuple[str, str]:
    if brand:
        name, prefixes, lengths, _ = next(b for b in _CARD_BRANDS if b[0] == brand)
    else:
        weights = [b[3] for b in _CARD_BRANDS]
        name, prefixes, lengths, _ = rng.choices(_CARD_BRANDS, weights=weights)[0]
    prefix = rng.choice(prefixes)
    length = rng.choice(lengths)
    body = prefix + rand_digits(rng, length - len(prefix) - 1)
    check = luhn_digit(body)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return body + check, name


def card(rng: Random) -> str:
    digits, brand = _card_digits(rng, None, valid=True)
    return _format_card(rng, digits, brand)


def card_compact(rng: Random) -> str:
    return _card_digits(rng, None, valid=True)[0]


def card_amex(rng: Random) -> str:
    digits, brand = _card_digits(rng, "amex", valid=True)
    return _format_card(rng, digits, brand)


def bad_card(rng: Random) -> str:
    """Card-shaped, issuer prefix and all, but the Luhn check fails."""
    digits, brand = _card_digits(rng, None, valid=False)
    return _format_card(rng, digits, brand)


def bad_card_compact(rng: Random) -> str:
    return _card_digits(rng, None, valid=False)[0]


def long_reference(rng: Random) -> str:
    """A 13-19 digit reference without an issuer prefix that also fails Luhn."""
    length = rng.randint(13, 19)
    body = rng.choice("1789") + rand_digits(rng, length - 2)
    return body + str((int(luhn_digit(body)) + rng.randint(1, 9)) % 10)


# -------------------------------------------------------------------- IBANs

# country -> BBAN layout: n = digits, a = upper letters, c = upper alnum.
IBAN_LAYOUTS: dict[str, str] = {
    "DE": "18n",
    "GB": "4a,14n",
    "FR": "10n,11c,2n",
    "NL": "4a,10n",
    "ES": "20n",
    "IT": "1a,10n,12c",
    "CH": "5n,12c",
    "BE": "12n",
    "AT": "16n",
    "PL": "24n",
    "IE": "4a,14n",
    "PT": "21n",
    "SE": "20n",
    "NO": "11n",
    "LU": "3n,13c",
    "DK": "14n",
}

_GB_BANKS = ["NWBK", "BARC", "LOYD", "HBUK", "MIDL", "BUKB"]
_NL_BANKS = ["ABNA", "RABO", "INGB", "TRIO", "SNSB"]
_IE_BANKS = ["AIBK", "BOFI"]


def _bban(rng: Random, country: str) -> str:
    out = []
    for part in IBAN_LAYOUTS[country].split(","):
        n, kind = int(part[:-1]), part[-1]
        if kind == "n":
            out.append(rand_digits(rng, n))
        elif kind == "a":
            if n == 4 and country in ("GB", "NL", "IE"):
                banks = {"GB": _GB_BANKS, "NL": _NL_BANKS, "IE": _IE_BANKS}[country]
                out.append(rng.choice(banks))
            else:
                out.append(pick(rng, string.ascii_uppercase, n))
        else:
            # Account parts that may hold letters are digits in practice, bar the odd one.
            part = rand_digits(rng, n)
            if rng.random() < 0.15:
                i = rng.randrange(n)
                part = part[:i] + rng.choice(string.ascii_uppercase) + part[i + 1 :]
            out.append(part)
    return "".join(out)


def _with_check(country: str, bban: str) -> str:
    check = 98 - iban_mod97(country + "00" + bban)
    return f"{country}{check:02d}{bban}"


def _format_iban(rng: Random, compact: str) -> str:
    if rng.random() < 0.6:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


def iban(rng: Random) -> str:
    country = rng.choice(list(IBAN_LAYOUTS))
    return _format_iban(rng, _with_check(country, _bban(rng, country)))


def iban_of(country: str) -> Maker:
    def make(rng: Random) -> str:
        return _format_iban(rng, _with_check(country, _bban(rng, country)))

    return make


def bad_iban(rng: Random) -> str:
    """A well-formed IBAN whose check digits are wrong, or with one mistyped digit."""
    country = rng.choice(list(IBAN_LAYOUTS))
    good = _with_check(country, _bban(rng, country))
    while True:
        if rng.random() < 0.5:
            candidate = good[:2] + f"{rng.randint(2, 98):02d}" + good[4:]
        else:
            i = rng.choice([i for i, ch in enumerate(good) if i >= 4 and ch.isdigit()])
            candidate = good[:i] + str((int(good[i]) + rng.randint(1, 9)) % 10) + good[i + 1 :]
        if iban_mod97(candidate) != 1:
            return _format_iban(rng, candidate)


def iban_wrong_length(rng: Random) -> str:
    """A real-looking IBAN two characters short of its country's length (checksum broken too)."""
    while True:
        country = rng.choice(list(IBAN_LAYOUTS))
        candidate = _with_check(country, _bban(rng, country))[:-2]
        if iban_mod97(candidate) != 1:
            return _format_iban(rng, candidate)


# --------------------------------------------------------------------- SSNs


def _ssn_parts(rng: Random) -> tuple[str, str, str]:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"


def ssn(rng: Random) -> str:
    return "-".join(_ssn_parts(rng))


def ssn_spaced(rng: Random) -> str:
    return " ".join(_ssn_parts(rng))


def ssn_plain(rng: Random) -> str:
    return "".join(_ssn_parts(rng))


def bad_ssn(rng: Random) -> str:
    """SSN-shaped, but in a range the SSA never issues (and not an ITIN either)."""
    area, group, serial = _ssn_parts(rng)
    flaw = rng.choice(["area000", "area666", "area9xx", "group00", "serial0000"])
    if flaw == "area000":
        area = "000"
    elif flaw == "area666":
        area = "666"
    elif flaw == "area9xx":
        area, group = f"9{rng.randint(0, 99):02d}", f"{rng.randint(1, 49):02d}"
    elif flaw == "group00":
        group = "00"
    else:
        serial = "0000"
    return f"{area}-{group}-{serial}"
