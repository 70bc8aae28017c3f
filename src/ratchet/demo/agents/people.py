"""Fake customers for the demo's traffic, with the personal data real users type.

People paste phone numbers, email addresses and even card numbers into chat
boxes; a trace store that cannot cope with that is not ready for production.
Everything here is fictional: names are invented, email domains are the
reserved ``example.*`` ones, phone numbers use the 555-01xx fiction range,
and card numbers are the well-known test numbers no bank issues.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Dana", "Priya", "Marcus", "Elena", "Tomasz", "Aisha", "Jonah", "Mei", "Rafael", "Ingrid",
    "Kwame", "Sofia", "Liam", "Noor", "Hiroshi", "Camila", "Owen", "Zara", "Mateo", "Freya",
)  # fmt: skip
LAST_NAMES = (
    "Whitfield", "Raman", "Okafor", "Novak", "Lindqvist", "Haddad", "Brennan", "Tanaka",
    "Moreau", "Castillo", "Adeyemi", "Kowalski", "Fischer", "Duarte", "Sato", "Byrne",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
#: Standard test card numbers, written the different ways people type them.
TEST_CARDS = (
    "4111 1111 1111 1111",
    "5555-5555-5555-4444",
    "4242424242424242",
    "3782 822463 10005",
)
ITEMS = (
    "standing desk",
    "noise-cancelling headphones",
    "espresso machine",
    "rain jacket",
    "robot vacuum",
    "office chair",
    "hiking boots",
    "smart watch",
)


@dataclass(frozen=True)
class Customer:
    """One fake person: a pseudonymous id for traces, and the details they type."""

    user_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    card: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def make_customer(rng: random.Random) -> Customer:
    """A new fake customer drawn from ``rng``."""
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    separator = rng.choice((".", "_", ""))
    email = f"{first.lower()}{separator}{last.lower()}@{rng.choice(EMAIL_DOMAINS)}"
    area = rng.choice(("415", "312", "646", "206", "617"))
    line = f"01{rng.randint(0, 99):02d}"
    phone = rng.choice((f"({area}) 555-{line}", f"+1 {area} 555 {line}", f"{area}-555-{line}"))
    return Customer(
        user_id=f"u_{rng.randint(1000, 9999)}",
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        card=rng.choice(TEST_CARDS),
    )
