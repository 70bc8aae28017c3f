"""Fake phone numbers, e-mail addresses and IP addresses.

Phone numbers use leading digits that the numbering plans assign, so each is
a valid number of its country; IPs avoid the documentation, loopback and
unspecified blocks, which the spec keeps.
"""

from __future__ import annotations

import ipaddress
from random import Random

from value_basics import HEX, pick, rand_digits

# ------------------------------------------------------------------- phones

_US_AREAS = [
    "212",
    "213",
    "305",
    "312",
    "415",
    "503",
    "512",
    "617",
    "646",
    "702",
    "720",
    "773",
    "206",
    "404",
    "619",
    "818",
    "917",
    "303",
    "214",
    "971",
]


def _us_parts(rng: Random) -> tuple[str, str, str]:
    area = rng.choice(_US_AREAS)
    if rng.random() < 0.25:
        return area, "555", f"01{rng.randint(0, 99):02d}"
    exchange = rng.choice([e for e in range(201, 1000) if e % 100 != 11 and e != 555])
    return area, str(exchange), rand_digits(rng, 4)


def phone_us(rng: Random) -> str:
    a, e, line = _us_parts(rng)
    return rng.choice(
        [
            f"({a}) {e}-{line}",
            f"{a}-{e}-{line}",
            f"{a}.{e}.{line}",
            f"+1 {a} {e} {line}",
            f"+1 ({a}) {e}-{line}",
            f"+1-{a}-{e}-{line}",
            f"+1{a}{e}{line}",
        ]
    )


def phone_us_e164(rng: Random) -> str:
    a, e, line = _us_parts(rng)
    return f"+1{a}{e}{line}"


# Leading digits that numbering plans actually assign, so every number is valid.
_UK_MOBILE = ["7123", "7234", "7356", "7401", "7469", "7588", "7723", "7812", "7946", "7957"]


def phone_uk_mobile(rng: Random) -> str:
    sub, rest = rng.choice(_UK_MOBILE), rand_digits(rng, 6)
    return rng.choice([f"0{sub} {rest}", f"+44 {sub} {rest}", f"+44{sub}{rest}"])


def phone_uk_landline(rng: Random) -> str:
    sub = rng.choice(["3", "7", "8"]) + rand_digits(rng, 3)
    return rng.choice(
        [
            f"020 {sub} {rand_digits(rng, 4)}",
            f"+44 20 {sub} {rand_digits(rng, 4)}",
            f"+44 (0)20 {sub} {rand_digits(rng, 4)}",
            f"0161 {rng.randint(200, 999)} {rand_digits(rng, 4)}",
        ]
    )


def phone_uk(rng: Random) -> str:
    return phone_uk_mobile(rng) if rng.random() < 0.6 else phone_uk_landline(rng)


def phone_de_mobile(rng: Random) -> str:
    pre = rng.choice(["151", "152", "160", "170", "171", "172", "176", "177", "179"])
    rest = rand_digits(rng, 7 if pre in ("160", "170", "171") else 8)
    return rng.choice(
        [
            f"0{pre} {rest}",
            f"+49 {pre} {rest}",
            f"+49 (0){pre} {rest}",
            f"0{pre}/{rest}",
            f"+49{pre}{rest}",
        ]
    )


def phone_de_land(rng: Random) -> str:
    area, n = rng.choice([("30", 8), ("89", 7), ("40", 8), ("221", 7), ("69", 8), ("711", 7)])
    rest = str(rng.randint(2, 9)) + rand_digits(rng, n - 1)
    return rng.choice(
        [f"0{area} {rest}", f"+49 {area} {rest}", f"0{area}/{rest}", f"0{area}-{rest}"]
    )


def phone_de(rng: Random) -> str:
    return phone_de_mobile(rng) if rng.random() < 0.5 else phone_de_land(rng)


def phone_fr(rng: Random) -> str:
    first = rng.choice(["6", "7", "1", "4"])
    lead = {"6": "1245678", "7": "345679"}.get(first, "123456789")
    pairs = [rng.choice(lead) + rand_digits(rng, 1)] + [f"{rng.randint(10, 99)}" for _ in range(3)]
    return rng.choice(
        [
            f"0{first} {' '.join(pairs)}",
            f"+33 {first} {' '.join(pairs)}",
            f"0{first}.{'.'.join(pairs)}",
            f"+33 (0){first} {' '.join(pairs)}",
            f"+33{first}{''.join(pairs)}",
        ]
    )


def phone_in(rng: Random) -> str:
    lead = rng.choice(["98", "97", "99", "91", "88", "70", "63", "81"])
    a, b = lead + rand_digits(rng, 3), rand_digits(rng, 5)
    return rng.choice([f"+91 {a} {b}", f"+91-{a}-{b}", f"+91{a}{b}", f"0{a} {b}"])


def phone_es(rng: Random) -> str:
    n = rng.choice(["6", "6", "71", "72", "73"])
    n += rand_digits(rng, 9 - len(n))
    return rng.choice([f"+34 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", f"{n[:3]} {n[3:6]} {n[6:]}"])


def phone_it(rng: Random) -> str:
    n = "3" + rng.choice(["12", "33", "47", "39", "20"]) + rand_digits(rng, 7)
    return rng.choice([f"+39 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:]}"])


def phone_nl(rng: Random) -> str:
    n = rng.choice("1234568") + rand_digits(rng, 7)
    return rng.choice([f"+31 6 {n}", f"06-{n}", f"06 {n[:2]} {n[2:4]} {n[4:6]} {n[6:]}"])


def phone_br(rng: Random) -> str:
    area = rng.choice(["11", "21", "31", "41", "51"])
    a, b = "9" + rand_digits(rng, 4), rand_digits(rng, 4)
    return rng.choice([f"+55 {area} {a}-{b}", f"({area}) {a}-{b}"])


def phone_jp(rng: Random) -> str:
    pre = rng.choice(["90", "80", "70"])
    a, b = str(rng.randint(1, 9)) + rand_digits(rng, 3), rand_digits(rng, 4)
    return rng.choice([f"+81 {pre}-{a}-{b}", f"0{pre}-{a}-{b}"])


def phone_au(rng: Random) -> str:
    n = "4" + rng.choice("01236") + rand_digits(rng, 7)
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

_FIRST = [
    "maria",
    "jan",
    "priya",
    "tomasz",
    "chidi",
    "lucia",
    "sven",
    "aiko",
    "fatima",
    "noah",
    "elena",
    "kwame",
    "ines",
    "oliver",
    "mei",
    "rahul",
    "camille",
    "diego",
    "hanna",
    "omar",
]
_LAST = [
    "schneider",
    "kowalski",
    "okafor",
    "nakamura",
    "garcia",
    "dubois",
    "jansen",
    "rossi",
    "haddad",
    "fernandes",
    "lindqvist",
    "oconnor",
    "patel",
    "moreau",
    "weber",
    "silva",
]
_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "web.de",
    "gmx.de",
    "orange.fr",
    "free.fr",
    "proton.me",
    "icloud.com",
    "hotmail.es",
    "libero.it",
    "northwind-traders.com",
    "acme-logistics.de",
    "contoso.co.uk",
    "mail.uni-heidelberg.de",
    "student.kuleuven.be",
    "fabrikam.io",
    "tailspin.dev",
    "bradesco-seguros.com.br",
    "kinderzorg.nl",
]


def email(rng: Random) -> str:
    f, last = rng.choice(_FIRST), rng.choice(_LAST)
    local = rng.choice(
        [
            f"{f}.{last}",
            f"{f[0]}{last}",
            f"{f}_{last}",
            f"{f}+{rng.choice(['orders', 'news', 'work'])}",
            f"{f}{last}{rng.randint(1, 99)}",
            f"{f[0]}.{last}-{rng.choice(['ext', 'ops'])}",
            f"{last}.{f}",
        ]
    )
    address = f"{local}@{rng.choice(_DOMAINS)}"
    if rng.random() < 0.1:
        address = address[0].upper() + address[1:].replace(f, f.capitalize(), 1)
    return address


# ---------------------------------------------------------------------- IPs

_PUBLIC_V4_FIRST = [
    int(n)
    for n in [
        "23",
        "31",
        "37",
        "41",
        "46",
        "62",
        "66",
        "73",
        "77",
        "81",
        "84",
        "89",
        "91",
        "94",
        "98",
        "104",
        "109",
        "141",
        "151",
        "176",
        "178",
        "185",
        "188",
        "195",
        "212",
        "213",
        "217",
    ]
]
_PUBLIC_V6_PREFIX = [
    "2a02:8108",
    "2a01:cb00",
    "2001:16b8",
    "2003:e2",
    "2600:1700",
    "2601:647",
    "2a00:23c7",
    "2409:8a00",
    "2a0d:5600",
    "2605:a601",
]


def ipv4(rng: Random) -> str:
    first = rng.choice(_PUBLIC_V4_FIRST)
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv4_private(rng: Random) -> str:
    return rng.choice(
        [
            f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
            f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
            f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
        ]
    )


def ipv6(rng: Random) -> str:
    prefix = rng.choice(_PUBLIC_V6_PREFIX)
    groups = prefix.split(":")
    while len(groups) < 8:
        groups.append(pick(rng, HEX, rng.randint(1, 4)) if rng.random() < 0.8 else "0")
    if rng.random() < 0.4:
        groups[4:7] = ["0", "0", "0"]
    address = ipaddress.IPv6Address(":".join(groups))
    return address.exploded if rng.random() < 0.15 else address.compressed


def ip(rng: Random) -> str:
    return ipv6(rng) if rng.random() < 0.35 else ipv4(rng)
