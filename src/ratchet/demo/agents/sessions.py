"""Scripts of the conversations the demo's production traffic is made of.

A session script is a generator: it yields the next turn (a case, the
surface, the outages to inject) and is sent back what the user saw, so a user
who got the wrong day can rephrase and one who got no answer can try again.
These follow-ups are what implicit-signal detection (rephrasing, frustration,
abandonment) finds in the demo data.
"""

from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ratchet.demo.agents.contract import Case
from ratchet.demo.agents.dates import describe, find_date_request
from ratchet.demo.agents.people import ITEMS, Customer
from ratchet.demo.agents.refunds import DEFAULT_POLICY

#: One calendar per coach; each client books with theirs.
CALENDARS = ("cal_coach_amara", "cal_coach_benedikt", "cal_coach_chiara", "cal_coach_diego")
RELATIVE_PHRASES = (
    "two weeks from now",
    "two weeks from now",
    "in two weeks",
    "end of next week",
    "next Tuesday",
    "next Thursday",
    "in 10 days",
    "a week from today",
    "tomorrow",
)
SCHEDULING_OPENERS = (
    "Thanks, that was really helpful. Can we check in again {phrase}? Text me at {phone} if"
    " anything moves.",
    "Could you book my next session {phrase}? Mornings are best.",
    "Let's do a follow-up {phrase}. My new email is {email}.",
    "Hi, it's {first}. Can we schedule another session {phrase}?",
    "Please set up the next check-in {phrase}, the coach said that would be good timing.",
)
EARLIER_MESSAGES = (
    ("user", "Thanks for the session, the breathing exercise really helped."),
    ("assistant", "Glad it helped! Your notes from today are in your inbox."),
    ("user", "Quick one: can the coach call me on {phone} instead of video next time?"),
    ("assistant", "Noted, I've added your number to your profile."),
)
REFUND_OPENERS = (
    "Hi, I'd like a refund for order {order_id}. The {item} arrived damaged. You can reach me"
    " at {phone}.",
    "Please refund {order_id}, the {item} doesn't fit. Put it back on the card I paid with,"
    " {card}.",
    "I want my money back for {order_id}. The {item} stopped working after two days!!",
    "Refund this order and tell me when it's done: {order_id}. My email is {email}.",
)


@dataclass(frozen=True)
class Turn:
    """One run to send: the case, where it came from, and what should break during it.

    Attributes:
        outages: ``(tool, message, times)``: the backend fails that many calls.
        delay_minutes: how long after the previous turn ended the user wrote.
        expected_day: for scheduling, the day a correct assistant books.
    """

    case: Case
    surface: str
    outages: tuple[tuple[str, str, int], ...] = ()
    delay_minutes: float = 0.0
    expected_day: date | None = None


@dataclass(frozen=True)
class Observed:
    """What the user saw after a turn, which decides whether they write again."""

    output: str
    final_status: str | None
    failure_mode: str | None
    details: dict[str, Any] = field(default_factory=dict)


SessionScript = Generator[Turn, Observed, None]


def scheduling_session(rng: random.Random, customer: Customer, today: date) -> SessionScript:
    """A client asking the coaching practice's assistant for a follow-up."""
    context = {
        "today": today.isoformat(),
        "user_name": customer.first_name,
        "user_email": customer.email,
        "calendar_id": rng.choice(CALENDARS),
        "timezone": "America/Chicago",
    }
    thread = _earlier_thread(rng, customer, today) if rng.random() < 0.65 else []
    roll = rng.random()
    if roll < 0.78:
        phrase = rng.choice(RELATIVE_PHRASES)
        message = rng.choice(SCHEDULING_OPENERS).format(
            phrase=phrase, phone=customer.phone, email=customer.email, first=customer.first_name
        )
    elif roll < 0.92:
        day = today + timedelta(days=rng.randint(5, 30))
        phrase = "on " + describe(day).split(", ")[1]
        message = f"Can we book the next session {phrase}? Any time after 10 works."
    else:
        phrase = "two weeks from now"
        message = rng.choice(("Can we talk again soon?", "I'd like another session, when's good?"))
    outages: tuple[tuple[str, str, int], ...] = ()
    outage = rng.random()
    if outage < 0.06:
        outages = (("read_calendar", "calendar service timed out after 5s", 2),)
    elif outage < 0.11:
        outages = (("read_calendar", "calendar service returned 502", 1),)

    seen = yield Turn(
        Case({"user_message": message, "thread": thread}, context),
        "web",
        outages,
        expected_day=_expected(message, today),
    )
    history = [*thread, _msg("user", today, message), _msg("assistant", today, seen.output)]
    correct = _expected(message, today)
    if seen.failure_mode == "wrong-date-anchor" and correct is not None and rng.random() < 0.55:
        again = f"That's not right. I said {phrase}, counting from today, so {describe(correct)}."
        yield Turn(
            Case({"user_message": again, "thread": history}, context),
            "web",
            delay_minutes=rng.uniform(1, 6),
            expected_day=correct,
        )
    elif seen.final_status == "failed" and rng.random() < 0.5:
        again = f"Trying again: I'd like a follow-up {phrase}, please."
        yield Turn(
            Case({"user_message": again, "thread": history}, context),
            "web",
            delay_minutes=rng.uniform(2, 15),
            expected_day=_expected(again, today),
        )
    elif seen.final_status == "needs_user":
        answer = f"{rng.choice(RELATIVE_PHRASES)} works for me."
        yield Turn(
            Case({"user_message": answer, "thread": history}, context),
            "web",
            delay_minutes=rng.uniform(1, 10),
            expected_day=_expected(answer, today),
        )


def refund_session(
    rng: random.Random, customer: Customer, today: date, order_number: int
) -> tuple[dict[str, Any], SessionScript]:
    """A customer asking for a refund: the order to put in the table, and the script."""
    order_id = f"ord_{order_number}"
    over = rng.random() < 0.35
    amount = round(rng.uniform(520, 1900) if over else rng.uniform(12, 480), 2)
    age = rng.randint(1, 25) if rng.random() < 0.9 else rng.randint(35, 60)
    order = {
        "order_id": order_id,
        "amount": amount,
        "currency": "USD",
        "item": rng.choice(ITEMS),
        "delivered_at": (today - timedelta(days=age)).isoformat(),
        "final_sale": rng.random() < 0.05,
        "customer_email": customer.email,
    }
    return order, _refund_script(rng, customer, today, order)


def _refund_script(
    rng: random.Random, customer: Customer, today: date, order: dict[str, Any]
) -> SessionScript:
    surface = "email" if rng.random() < 0.45 else "web"
    context = {
        "route": "refund_assist" if surface == "email" else "refund_desk",
        "policy_version": DEFAULT_POLICY,
        "customer_status": "vip" if rng.random() < 0.15 else "standard",
        "customer_email": customer.email,
        "today": today.isoformat(),
    }
    order_id = str(order["order_id"])
    message = rng.choice(REFUND_OPENERS).format(
        order_id=order_id,
        item=order["item"],
        phone=customer.phone,
        card=customer.card,
        email=customer.email,
    )
    given = {"user_message": message, "order_id": order_id}
    if rng.random() < 0.05:
        given = {"user_message": f"I need a refund for the {order['item']} I bought."}
    outages: tuple[tuple[str, str, int], ...] = ()
    outage = rng.random()
    if outage < 0.04:
        outages = (("read_order", "order service unavailable (503)", 2),)
    elif outage < 0.09:
        outages = (("read_order", "order service timed out", 1),)
    elif outage < 0.12:
        outages = (("issue_refund", "payment gateway timed out after 10s", 1),)

    seen = yield Turn(Case(given, context), surface, outages)
    follow_up = None
    if seen.final_status == "failed" and rng.random() < 0.6:
        follow_up = f"Hello?? I still need my refund for {order_id}."
    elif seen.final_status == "declined" and rng.random() < 0.35:
        follow_up = f"That's ridiculous, I've been a customer for years. Just refund {order_id}."
    elif seen.final_status == "needs_user":
        follow_up = f"Sorry, it's {order_id}."
    elif seen.final_status == "needs_human" and rng.random() < 0.15:
        follow_up = f"Any update on my refund for {order_id}?"
    if follow_up is not None:
        case = Case({"user_message": follow_up, "order_id": order_id}, context)
        yield Turn(case, surface, delay_minutes=rng.uniform(3, 40))


def _expected(message: str, today: date) -> date | None:
    request = find_date_request(message)
    return request.resolve(today) if request is not None else None


def _earlier_thread(rng: random.Random, customer: Customer, today: date) -> list[dict[str, str]]:
    sent = today - timedelta(days=rng.randint(2, 12))
    count = rng.choice((1, 2, 2, 4))
    return [
        _msg(role, sent, text.format(phone=customer.phone))
        for role, text in EARLIER_MESSAGES[:count]
    ]


def _msg(role: str, sent: date, text: str) -> dict[str, str]:
    return {"role": role, "sent_at": sent.isoformat(), "text": text}
