"""Shared pieces of the corpus value makers: alphabets, random picks, checksums."""

from __future__ import annotations

import string
from collections.abc import Callable
from random import Random

Maker = Callable[[Random], str]

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
HEX = "0123456789abcdef"


def pick(rng: Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def rand_digits(rng: Random, n: int) -> str:
    return pick(rng, string.digits, n)


# ---------------------------------------------------------------- checksums


def luhn_ok(number: str) -> bool:
    """Whether a digit string passes the Luhn check (the last digit is the check digit)."""
    total = 0
    for i, ch in enumerate(reversed(number)):
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
