"""Dates people write when they book ("two weeks from now", "next Tuesday", "April 28").

Relative dates only mean something against an anchor, the day they are read
from. That anchor is exactly what the buggy scheduling assistant gets wrong,
so resolution takes it as an argument and never guesses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
NUMBER_WORDS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "ten": 10,
    "a couple of": 2,
}

_NUMBER = r"(\d{1,2}|a couple of|a|one|two|three|four|five|six|seven|ten)"
_WEEKDAY = "(" + "|".join(WEEKDAYS) + ")"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("absolute", re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b")),
    ("end_of_next_week", re.compile(r"\bend of next week\b")),
    ("weeks", re.compile(rf"\b{_NUMBER} weeks? from (?:now|today)\b")),
    ("weeks", re.compile(rf"\bin {_NUMBER} weeks?\b")),
    ("days", re.compile(rf"\bin {_NUMBER} days?\b")),
    ("days", re.compile(rf"\b{_NUMBER} days? from (?:now|today)\b")),
    ("tomorrow", re.compile(r"\btomorrow\b")),
    ("next_weekday", re.compile(rf"\bnext {_WEEKDAY}\b")),
    ("coming_weekday", re.compile(rf"\b(?:this|on) {_WEEKDAY}\b")),
)


@dataclass(frozen=True)
class DateRequest:
    """A date expression found in a message, not yet tied to a day.

    Attributes:
        phrase: the words as written (lowercased), for messages and traces.
        kind: which rule matched (``weeks``, ``next_weekday``, ``absolute``…).
        amount: the number of days or weeks, the weekday index, or the month.
        day: the day of the month, for absolute dates.
    """

    phrase: str
    kind: str
    amount: int = 0
    day: int = 0

    @property
    def is_relative(self) -> bool:
        """True when the day depends on the anchor, not only its year."""
        return self.kind != "absolute"

    def resolve(self, anchor: date) -> date:
        """The day this expression names when read on ``anchor``.

        "next Tuesday" is the Tuesday of the week after the anchor's (weeks
        start on Monday); "end of next week" is that week's Friday; an
        absolute date without a year is the next such date on or after the anchor.
        """
        if self.kind == "absolute":
            candidate = date(anchor.year, self.amount, self.day)
            return (
                candidate if candidate >= anchor else date(anchor.year + 1, self.amount, self.day)
            )
        if self.kind == "weeks":
            return anchor + timedelta(weeks=self.amount)
        if self.kind == "days":
            return anchor + timedelta(days=self.amount)
        if self.kind == "tomorrow":
            return anchor + timedelta(days=1)
        next_monday = anchor + timedelta(days=7 - anchor.weekday())
        if self.kind == "end_of_next_week":
            return next_monday + timedelta(days=4)
        if self.kind == "next_weekday":
            return next_monday + timedelta(days=self.amount)
        ahead = (self.amount - anchor.weekday() - 1) % 7 + 1
        return anchor + timedelta(days=ahead)


def find_date_request(text: str) -> DateRequest | None:
    """The first date expression in ``text`` the assistant understands, most specific first."""
    lowered = text.lower()
    for kind, pattern in _PATTERNS:
        match = pattern.search(lowered)
        if match is None:
            continue
        phrase = match.group(0)
        if kind == "absolute":
            month = MONTHS.index(match.group(1)) + 1
            day = int(match.group(2))
            if not _valid_day(month, day):
                continue
            return DateRequest(phrase, kind, amount=month, day=day)
        if kind in ("next_weekday", "coming_weekday"):
            return DateRequest(phrase, kind, amount=WEEKDAYS.index(match.group(1)))
        if kind in ("weeks", "days"):
            return DateRequest(phrase, kind, amount=_number(match.group(1)))
        return DateRequest(phrase, kind)
    return None


def describe(day: date) -> str:
    """A day the way the assistant writes it to people: "Tuesday, April 28"."""
    return f"{WEEKDAYS[day.weekday()].title()}, {MONTHS[day.month - 1].title()} {day.day}"


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _valid_day(month: int, day: int) -> bool:
    try:
        date(2028, month, day)  # a leap year, so February 29 counts
    except ValueError:
        return False
    return True
