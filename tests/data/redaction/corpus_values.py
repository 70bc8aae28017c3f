"""Fake sensitive values and their look-alikes, for the redaction corpus generator.

Every maker takes the generator's seeded ``random.Random`` so the corpus is the
same on every run. Values are realistic in shape and checksum (Luhn, mod-97,
SSN ranges, decodable JWTs) but invented; look-alikes break exactly one rule of
the spec in README.md so that a correct engine must keep them.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import string
from collections.abc import Callable
from random import Random

Maker = Callable[[Random], str]

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
HEX = "0123456789abcdef"


def _pick(rng: Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _digits(rng: Random, n: int) -> str:
    return _pick(rng, string.digits, n)


# ---------------------------------------------------------------- checksums


def luhn_ok(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (the last digit is the check digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_digit(body: str) -> str:
    """The check digit that makes ``body + digit`` pass Luhn."""
    for d in "0123456789":
        if luhn_ok(body + d):
            return d
    raise AssertionError("unreachable")


def iban_mod97(iban: str) -> int:
    """ISO 13616 remainder of an IBAN (spaces ignored); 1 means the checksum holds."""
    compact = iban.replace(" ", "").upper()
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97


# -------------------------------------------------------------------- cards

# (brand, prefixes, lengths); prefixes are real issuer ranges.
_CARD_BRANDS: list[tuple[str, list[str], list[int]]] = [
    ("visa", ["4"], [16, 16, 16, 13, 19]),
    ("mastercard", ["51", "52", "53", "54", "55", "2221", "2720", "2301"], [16]),
    ("amex", ["34", "37"], [15]),
    ("discover", ["6011", "65", "644", "649"], [16]),
    ("jcb", ["3528", "3530", "3566", "3589"], [16]),
    ("diners", ["36", "300", "305"], [14]),
    ("unionpay", ["62"], [16, 17, 18, 19]),
    ("maestro", ["6759", "5018", "5020"], [16, 19]),
]


def _card_groups(digits: str, brand: str) -> list[str]:
    if brand == "amex" and len(digits) == 15:
        return [digits[:4], digits[4:10], digits[10:]]
    if brand == "diners" and len(digits) == 14:
        return [digits[:4], digits[4:10], digits[10:]]
    if len(digits) == 13:
        return [digits[:4], digits[4:8], digits[8:]]
    if len(digits) in (17, 18):
        return [digits[:6], digits[6:]]
    return [digits[i : i + 4] for i in range(0, len(digits), 4)]


def _format_card(rng: Random, digits: str, brand: str) -> str:
    style = rng.choice(["space", "space", "compact", "dash"])
    if style == "compact":
        return digits
    return (" " if style == "space" else "-").join(_card_groups(digits, brand))


def _card_digits(rng: Random, brand: str | None, valid: bool) -> tuple[str, str]:
    name, prefixes, lengths = (
        next(b for b in _CARD_BRANDS if b[0] == brand) if brand else rng.choice(_CARD_BRANDS)
    )
    prefix = rng.choice(prefixes)
    length = rng.choice(lengths)
    body = prefix + _digits(rng, length - len(prefix) - 1)
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
    body = rng.choice("1789") + _digits(rng, length - 2)
    return body + str((int(luhn_digit(body)) + rng.randint(1, 9)) % 10)


# -------------------------------------------------------------------- IBANs

# country -> BBAN layout: n = digits, a = upper letters, c = upper alnum.
_IBAN_LAYOUTS: dict[str, str] = {
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
    for part in _IBAN_LAYOUTS[country].split(","):
        n, kind = int(part[:-1]), part[-1]
        if kind == "n":
            out.append(_digits(rng, n))
        elif kind == "a":
            if n == 4 and country in ("GB", "NL", "IE"):
                banks = {"GB": _GB_BANKS, "NL": _NL_BANKS, "IE": _IE_BANKS}[country]
                out.append(rng.choice(banks))
            else:
                out.append(_pick(rng, string.ascii_uppercase, n))
        else:
            # Account parts allowed to hold letters are mostly digits in practice.
            out.append(_pick(rng, string.digits * 4 + string.ascii_uppercase, n))
    return "".join(out)


def _with_check(country: str, bban: str) -> str:
    check = 98 - iban_mod97(country + "00" + bban)
    return f"{country}{check:02d}{bban}"


def _format_iban(rng: Random, compact: str) -> str:
    if rng.random() < 0.6:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


def iban(rng: Random) -> str:
    country = rng.choice(list(_IBAN_LAYOUTS))
    return _format_iban(rng, _with_check(country, _bban(rng, country)))


def iban_of(country: str) -> Maker:
    def make(rng: Random) -> str:
        return _format_iban(rng, _with_check(country, _bban(rng, country)))

    return make


def bad_iban(rng: Random) -> str:
    """A well-formed IBAN whose check digits are wrong, or with one mistyped digit."""
    country = rng.choice(list(_IBAN_LAYOUTS))
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
        country = rng.choice(list(_IBAN_LAYOUTS))
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


# ------------------------------------------------------------------- phones

_US_AREAS = ["212", "213", "305", "312", "415", "503", "512", "617", "646", "702", "720",
             "773", "206", "404", "619", "818", "917", "303", "214", "971"]


def _us_parts(rng: Random) -> tuple[str, str, str]:
    area = rng.choice(_US_AREAS)
    if rng.random() < 0.25:
        return area, "555", f"01{rng.randint(0, 99):02d}"
    exchange = rng.choice([e for e in range(201, 1000) if e % 100 != 11 and e != 555])
    return area, str(exchange), _digits(rng, 4)


def phone_us(rng: Random) -> str:
    a, e, line = _us_parts(rng)
    return rng.choice([
        f"({a}) {e}-{line}", f"{a}-{e}-{line}", f"{a}.{e}.{line}", f"+1 {a} {e} {line}",
        f"+1 ({a}) {e}-{line}", f"+1-{a}-{e}-{line}", f"+1{a}{e}{line}",
    ])


def phone_us_e164(rng: Random) -> str:
    a, e, line = _us_parts(rng)
    return f"+1{a}{e}{line}"


# Leading digits that numbering plans actually assign, so every number is valid.
_UK_MOBILE = ["7123", "7234", "7356", "7401", "7469", "7588", "7723", "7812", "7946", "7957"]


def phone_uk_mobile(rng: Random) -> str:
    sub, rest = rng.choice(_UK_MOBILE), _digits(rng, 6)
    return rng.choice([f"0{sub} {rest}", f"+44 {sub} {rest}", f"+44{sub}{rest}"])


def phone_uk_landline(rng: Random) -> str:
    sub = rng.choice(["3", "7", "8"]) + _digits(rng, 3)
    return rng.choice([
        f"020 {sub} {_digits(rng, 4)}", f"+44 20 {sub} {_digits(rng, 4)}",
        f"+44 (0)20 {sub} {_digits(rng, 4)}", f"0161 {rng.randint(200, 999)} {_digits(rng, 4)}",
    ])


def phone_uk(rng: Random) -> str:
    return phone_uk_mobile(rng) if rng.random() < 0.6 else phone_uk_landline(rng)


def phone_de_mobile(rng: Random) -> str:
    pre = rng.choice(["151", "152", "160", "170", "171", "172", "176", "177", "179"])
    rest = _digits(rng, 7 if pre in ("160", "170", "171") else 8)
    return rng.choice([f"0{pre} {rest}", f"+49 {pre} {rest}", f"+49 (0){pre} {rest}",
                       f"0{pre}/{rest}", f"+49{pre}{rest}"])


def phone_de_land(rng: Random) -> str:
    area, n = rng.choice([("30", 8), ("89", 7), ("40", 8), ("221", 7), ("69", 8), ("711", 7)])
    rest = str(rng.randint(2, 9)) + _digits(rng, n - 1)
    return rng.choice([f"0{area} {rest}", f"+49 {area} {rest}", f"0{area}/{rest}", f"0{area}-{rest}"])


def phone_de(rng: Random) -> str:
    return phone_de_mobile(rng) if rng.random() < 0.5 else phone_de_land(rng)


def phone_fr(rng: Random) -> str:
    first = rng.choice(["6", "7", "1", "4"])
    lead = {"6": "1245678", "7": "345679"}.get(first, "123456789")
    pairs = [rng.choice(lead) + _digits(rng, 1)] + [f"{rng.randint(10, 99)}" for _ in range(3)]
    return rng.choice([
        f"0{first} {' '.join(pairs)}", f"+33 {first} {' '.join(pairs)}",
        f"0{first}.{'.'.join(pairs)}", f"+33 (0){first} {' '.join(pairs)}", f"+33{first}{''.join(pairs)}",
    ])


def phone_in(rng: Random) -> str:
    lead = rng.choice(["98", "97", "99", "91", "88", "70", "63", "81"])
    a, b = lead + _digits(rng, 3), _digits(rng, 5)
    return rng.choice([f"+91 {a} {b}", f"+91-{a}-{b}", f"+91{a}{b}", f"0{a} {b}"])


def phone_es(rng: Random) -> str:
    n = rng.choice(["6", "6", "71", "72", "73"])
    n += _digits(rng, 9 - len(n))
    return rng.choice([f"+34 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", f"{n[:3]} {n[3:6]} {n[6:]}"])


def phone_it(rng: Random) -> str:
    n = "3" + rng.choice(["12", "33", "47", "39", "20"]) + _digits(rng, 7)
    return rng.choice([f"+39 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:]}"])


def phone_nl(rng: Random) -> str:
    n = rng.choice("1234568") + _digits(rng, 7)
    return rng.choice([f"+31 6 {n}", f"06-{n}", f"06 {n[:2]} {n[2:4]} {n[4:6]} {n[6:]}"])


def phone_br(rng: Random) -> str:
    area = rng.choice(["11", "21", "31", "41", "51"])
    a, b = "9" + _digits(rng, 4), _digits(rng, 4)
    return rng.choice([f"+55 {area} {a}-{b}", f"({area}) {a}-{b}"])


def phone_jp(rng: Random) -> str:
    pre = rng.choice(["90", "80", "70"])
    a, b = str(rng.randint(1, 9)) + _digits(rng, 3), _digits(rng, 4)
    return rng.choice([f"+81 {pre}-{a}-{b}", f"0{pre}-{a}-{b}"])


def phone_au(rng: Random) -> str:
    n = "4" + rng.choice("01236") + _digits(rng, 7)
    return rng.choice([f"+61 {n[:3]} {n[3:6]} {n[6:]}", f"0{n[:3]} {n[3:6]} {n[6:]}"])


def phone_intl(rng: Random) -> str:
    """An international-format number from one of several countries."""
    maker = rng.choice([phone_es, phone_it, phone_nl, phone_br, phone_jp, phone_au, phone_in])
    for _ in range(20):
        value = maker(rng)
        if value.startswith("+"):
            return value
    return "+34 612 34 56 78"


def phone(rng: Random) -> str:
    return rng.choice([phone_us, phone_us, phone_uk, phone_de, phone_fr, phone_in, phone_intl])(rng)


# ----------------------------------------------------------------- e-mails

_FIRST = ["maria", "jan", "priya", "tomasz", "chidi", "lucia", "sven", "aiko", "fatima", "noah",
          "elena", "kwame", "ines", "oliver", "mei", "rahul", "camille", "diego", "hanna", "omar"]
_LAST = ["schneider", "kowalski", "okafor", "nakamura", "garcia", "dubois", "jansen", "rossi",
         "haddad", "fernandes", "lindqvist", "oconnor", "patel", "moreau", "weber", "silva"]
_DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "web.de", "gmx.de", "orange.fr",
            "free.fr", "proton.me", "icloud.com", "hotmail.es", "libero.it", "northwind-traders.com",
            "acme-logistics.de", "contoso.co.uk", "mail.uni-heidelberg.de", "student.kuleuven.be",
            "fabrikam.io", "tailspin.dev", "bradesco-seguros.com.br", "kinderzorg.nl"]


def email(rng: Random) -> str:
    f, last = rng.choice(_FIRST), rng.choice(_LAST)
    local = rng.choice([
        f"{f}.{last}", f"{f[0]}{last}", f"{f}_{last}", f"{f}+{rng.choice(['orders', 'news', 'work'])}",
        f"{f}{last}{rng.randint(1, 99)}", f"{f[0]}.{last}-{rng.choice(['ext', 'ops'])}", f"{last}.{f}",
    ])
    address = f"{local}@{rng.choice(_DOMAINS)}"
    if rng.random() < 0.1:
        address = address[0].upper() + address[1:].replace(f, f.capitalize(), 1)
    return address


# ---------------------------------------------------------------------- IPs

_PUBLIC_V4_FIRST = [23, 31, 37, 41, 46, 62, 66, 73, 77, 81, 84, 89, 91, 94, 98, 104, 109, 141,
                    151, 176, 178, 185, 188, 195, 212, 213, 217]
_PUBLIC_V6_PREFIX = ["2a02:8108", "2a01:cb00", "2001:16b8", "2003:e2", "2600:1700", "2601:647",
                     "2a00:23c7", "2409:8a00", "2a0d:5600", "2605:a601"]


def ipv4(rng: Random) -> str:
    first = rng.choice(_PUBLIC_V4_FIRST)
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv4_private(rng: Random) -> str:
    return rng.choice([
        f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
        f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
        f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
    ])


def ipv6(rng: Random) -> str:
    prefix = rng.choice(_PUBLIC_V6_PREFIX)
    groups = prefix.split(":")
    while len(groups) < 8:
        groups.append(_pick(rng, HEX, rng.randint(1, 4)) if rng.random() < 0.8 else "0")
    if rng.random() < 0.4:
        groups[4:7] = ["0", "0", "0"]
    address = ipaddress.IPv6Address(":".join(groups))
    return address.exploded if rng.random() < 0.15 else address.compressed


def ip(rng: Random) -> str:
    return ipv6(rng) if rng.random() < 0.35 else ipv4(rng)


# --------------------------------------------------------------------- JWTs


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64json(obj: object) -> str:
    return _b64url(json.dumps(obj, separators=(",", ":")).encode())


def jwt(rng: Random) -> str:
    alg, sig_len = rng.choice([("HS256", 32), ("RS256", 256), ("ES256", 64), ("HS512", 64)])
    header: dict[str, str] = rng.choice([
        {"alg": alg, "typ": "JWT"}, {"typ": "JWT", "alg": alg},
        {"alg": alg, "kid": _pick(rng, ALNUM, 12), "typ": "JWT"}, {"alg": alg},
    ])
    iat = rng.randint(1_760_000_000, 1_780_000_000)
    payload: dict[str, object] = {
        "sub": rng.choice([f"usr_{_pick(rng, ALNUM, 14)}", str(rng.randint(10**6, 10**9))]),
        "iat": iat,
        "exp": iat + rng.choice([900, 3600, 86400]),
    }
    if rng.random() < 0.6:
        payload["iss"] = rng.choice(["https://auth.northwind.io/", "https://login.fabrikam.io",
                                     "acme-idp"])
        payload["aud"] = rng.choice(["billing-api", "web", "mobile-app"])
    if rng.random() < 0.4:
        payload["scope"] = rng.choice(["orders:read orders:write", "openid profile", "admin"])
    signature = bytes(rng.getrandbits(8) for _ in range(sig_len))
    return f"{_b64json(header)}.{_b64json(payload)}.{_b64url(signature)}"


def b64_triplet(rng: Random) -> str:
    """Three base64url segments joined by dots, none of which decodes to a JSON header."""
    while True:
        parts = [_b64url(bytes(rng.getrandbits(8) for _ in range(rng.randint(6, 24))))
                 for _ in range(3)]
        if not parts[0].startswith("eyJ"):
            return ".".join(parts)


# ----------------------------------------------------------- secret keys


def sk_legacy(rng: Random) -> str:
    return "sk-" + _pick(rng, ALNUM, 20) + "T3BlbkFJ" + _pick(rng, ALNUM, 20)


def sk_proj(rng: Random) -> str:
    return "sk-proj-" + _pick(rng, URLSAFE, 74) + "T3BlbkFJ" + _pick(rng, URLSAFE, 74)


def sk_ant(rng: Random) -> str:
    return "sk-ant-api03-" + _pick(rng, URLSAFE, 93) + "AA"


def ghp(rng: Random) -> str:
    return rng.choice(["ghp_", "ghp_", "gho_", "ghs_", "ghu_"]) + _pick(rng, ALNUM, 36)


def github_pat(rng: Random) -> str:
    return "github_pat_" + _pick(rng, string.ascii_uppercase + string.digits, 22) + "_" + _pick(
        rng, ALNUM, 59
    )


def akia(rng: Random) -> str:
    return rng.choice(["AKIA", "AKIA", "ASIA"]) + _pick(rng, string.ascii_uppercase + "234567", 16)


def xoxb(rng: Random) -> str:
    return f"xoxb-{_digits(rng, 12)}-{_digits(rng, 13)}-{_pick(rng, ALNUM, 24)}"


def xoxp(rng: Random) -> str:
    return f"xoxp-{_digits(rng, 12)}-{_digits(rng, 12)}-{_digits(rng, 13)}-{_pick(rng, HEX, 32)}"


def stripe_sk(rng: Random) -> str:
    return rng.choice(["sk_live_", "sk_live_", "sk_test_"]) + "51" + _pick(rng, ALNUM, 97)


def stripe_rk(rng: Random) -> str:
    return "rk_live_" + "51" + _pick(rng, ALNUM, 97)


def aiza(rng: Random) -> str:
    return "AIza" + _pick(rng, URLSAFE, 35)


def glpat(rng: Random) -> str:
    return "glpat-" + _pick(rng, URLSAFE, 20)


def secret_key(rng: Random) -> str:
    maker = rng.choice([sk_legacy, sk_proj, sk_ant, ghp, github_pat, akia, xoxb, xoxp,
                        stripe_sk, stripe_rk, aiza, glpat])
    return maker(rng)


# ------------------------------------------------------------- neutral ids


def trace_id(rng: Random) -> str:
    return _pick(rng, HEX, 32)


def span_id(rng: Random) -> str:
    return _pick(rng, HEX, 16)


def uuid4(rng: Random) -> str:
    h = _pick(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def git_sha(rng: Random) -> str:
    return _pick(rng, HEX, 40)


_ALL: list[Maker] = [
    card, card_compact, card_amex, bad_card, bad_card_compact, long_reference,
    iban, bad_iban, iban_wrong_length, ssn, ssn_spaced, ssn_plain, bad_ssn,
    phone, phone_us, phone_us_e164, phone_uk, phone_uk_mobile, phone_uk_landline,
    phone_de, phone_de_mobile, phone_de_land, phone_fr, phone_in, phone_es, phone_it,
    phone_nl, phone_br, phone_jp, phone_au, phone_intl,
    email, ip, ipv4, ipv4_private, ipv6, jwt, b64_triplet,
    secret_key, sk_legacy, sk_proj, sk_ant, ghp, github_pat, akia, xoxb, xoxp,
    stripe_sk, stripe_rk, aiza, glpat,
    trace_id, span_id, uuid4, git_sha,
]

#: Every maker by the name templates use for it.
MAKERS: dict[str, Maker] = {fn.__name__: fn for fn in _ALL}
MAKERS.update({f"iban_{c.lower()}": iban_of(c) for c in _IBAN_LAYOUTS})

#: The maker a template uses when it names none.
DEFAULT_MAKER = {
    "email": "email", "phone": "phone", "card": "card", "iban": "iban", "ip": "ip",
    "ssn": "ssn", "jwt": "jwt", "secret_key": "secret_key",
}
