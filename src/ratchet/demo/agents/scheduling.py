"""The scheduling assistant: books a coaching follow-up from a chat message.

``run_buggy`` is the version in production at the start of the demo. Its
prompt (``scheduler-system`` v7) never tells the model today's date, so the
model anchors relative dates ("two weeks from now", "end of next week",
"next Tuesday") on the newest date it can see: the last earlier message of
the thread. Threads with no earlier message happen to come out right, which
is why the failure is intermittent and hides from a glance at transcripts.
``run_fixed`` (v8) states today's date and anchors on it.

Case shape (both versions):

- ``input.user_message``: what the person just wrote;
- ``input.thread``: earlier messages, ``[{role, sent_at (YYYY-MM-DD), text}]``;
- ``context.today`` (YYYY-MM-DD), ``context.user_name``, ``context.user_email``,
  ``context.calendar_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ratchet.core import VersionManifest
from ratchet.demo.agents import artifacts
from ratchet.demo.agents.contract import (
    CaseLike,
    Tools,
    call_with_retry,
    record_model_turn,
)
from ratchet.demo.agents.dates import DateRequest, describe, find_date_request
from ratchet.demo.agents.fake_model import Message, ScriptedModel

MODEL_NAME = "northwind-chat-m-2026-02"
#: Half-hour slots the practice offers, in order of preference.
SLOTS = tuple(
    f"{hour:02d}:{minute:02d}" for hour in (9, 10, 11, 13, 14, 15, 16) for minute in (0, 30)
)
#: Days to look ahead when the requested day is full.
SEARCH_DAYS = 3

BASE_PROMPT = (
    "You are the scheduling assistant of a coaching practice. Book 30-minute follow-up"
    " sessions on the coach's calendar when a client asks, using read_calendar,"
    " create_event and send_confirmation. Resolve relative dates such as 'two weeks from"
    " now' or 'next Tuesday' to a calendar day before booking."
)
#: What v8 adds: the anchor, stated, so the model stops inferring it from the thread.
ANCHOR_RULE = (
    " Today's date is {today}. Resolve every relative date against today's date, never"
    " against the dates of earlier messages."
)

#: What production runs at the start of the demo, and what the fix changes (the prompt).
PRODUCTION_VERSIONS = VersionManifest(
    prompt={"scheduler-system": "v7"},
    model={"scheduler": MODEL_NAME},
    policy={"booking-rules": "2026-02"},
    tool_schema={"calendar-tools": "2026-03-02"},
    service="2026.4.1",
)
FIXED_VERSIONS = PRODUCTION_VERSIONS.merged(
    VersionManifest(prompt={"scheduler-system": "v8"}, service="2026.4.2")
)


class CalendarFull(Exception):
    """Every slot of the requested day and the next few is taken."""


async def run(case: CaseLike, tools: Tools) -> dict[str, Any]:
    """The version the application's prompt file selects (``prompts/scheduler-system.txt``).

    A prompt that states today's date (a ``{today}`` placeholder) anchors
    relative dates on today; one that does not leaves the model to infer the
    anchor from the thread, which is the bug.
    """
    prompt = artifacts.read_text(artifacts.PROMPT_FILE)
    anchored = "{today}" in prompt
    system_prompt = prompt.replace("{today}", str(case.context.get("today", "")))
    return await _run(case, tools, system_prompt=system_prompt, anchor_today=anchored)


async def run_buggy(case: CaseLike, tools: Tools) -> dict[str, Any]:
    """The production version (prompt v7): relative dates anchored on the thread."""
    return await _run(case, tools, system_prompt=BASE_PROMPT, anchor_today=False)


async def run_fixed(case: CaseLike, tools: Tools) -> dict[str, Any]:
    """The fixed version (prompt v8): relative dates anchored on today."""
    today = case.context["today"]
    prompt = BASE_PROMPT + ANCHOR_RULE.format(today=today)
    return await _run(case, tools, system_prompt=prompt, anchor_today=True)


def resolution_anchor(case: CaseLike, *, anchor_today: bool) -> date:
    """The day relative dates are read from: today, or (the bug) the thread's last message."""
    today = date.fromisoformat(str(case.context["today"]))
    if anchor_today:
        return today
    for message in reversed(_thread(case)):
        sent = message.get("sent_at")
        if isinstance(sent, str):
            try:
                return date.fromisoformat(sent[:10])
            except ValueError:
                continue
    return today


async def _run(
    case: CaseLike, tools: Tools, *, system_prompt: str, anchor_today: bool
) -> dict[str, Any]:
    model = ScriptedModel(MODEL_NAME, system_prompt)
    message = str(case.input.get("user_message", ""))
    conversation = _conversation(_thread(case), message)
    request = find_date_request(message)
    if request is None:
        reply = (
            "Happy to set up a follow-up. Which day works for you? For example"
            " next Tuesday, or two weeks from now."
        )
        record_model_turn(tools, model.turn("plan", conversation, reply))
        return {"output": reply, "stop_reason": "needs_clarification", "final_status": "needs_user"}

    day = request.resolve(resolution_anchor(case, anchor_today=anchor_today))
    record_model_turn(tools, model.turn("plan", conversation, _plan_text(request, day)))

    calendar_id = str(case.context.get("calendar_id", "primary"))
    try:
        day, slot = await _first_open_slot(tools, calendar_id, day)
    except CalendarFull as full:
        reply = f"Sorry, the coach's calendar is full then: {full}. Would another week work?"
        return {"output": reply, "stop_reason": "no_availability", "final_status": "needs_user"}
    except Exception as exc:
        return _failed(f"I couldn't open the calendar just now ({exc}).")

    name = str(case.context.get("user_name", "client"))
    email = case.context.get("user_email")
    try:
        event = await tools.call(
            "create_event",
            calendar_id=calendar_id,
            date=day.isoformat(),
            start=slot,
            duration_minutes=30,
            title=f"Follow-up with {name}",
            attendee=email,
        )
    except Exception as exc:
        return _failed(f"The calendar refused the booking ({exc}).")

    when = f"{describe(day)} at {slot}"
    confirmed = await _confirm(tools, email, event, when)
    reply = f"You're booked for a follow-up on {when}." + (
        " I've sent a confirmation to your email."
        if confirmed
        else " I couldn't send the confirmation email, so please note the time."
    )
    observations = {"event": event, "confirmation_sent": confirmed}
    record_model_turn(
        tools, model.turn("compose_reply", conversation, reply, observations=observations)
    )
    return {"output": reply, "stop_reason": "completed", "final_status": "resolved"}


async def _first_open_slot(tools: Tools, calendar_id: str, day: date) -> tuple[date, str]:
    """The requested day's first free slot, or the next days' when it is full."""
    for offset in range(SEARCH_DAYS):
        candidate = date.fromordinal(day.toordinal() + offset)
        result = await call_with_retry(
            tools, "read_calendar", calendar_id=calendar_id, date=candidate.isoformat()
        )
        busy = _busy(result)
        for slot in SLOTS:
            if slot not in busy:
                return candidate, slot
    raise CalendarFull(f"no open slot within {SEARCH_DAYS} days of {day.isoformat()}")


async def _confirm(tools: Tools, email: object, event: object, when: str) -> bool:
    event_id = event.get("event_id") if isinstance(event, Mapping) else None
    try:
        await tools.call(
            "send_confirmation",
            to=email,
            event_id=event_id,
            message=f"Your follow-up session is booked for {when}. Reply to reschedule.",
        )
    except Exception:
        return False
    return True


def _busy(result: object) -> set[str]:
    if isinstance(result, Mapping):
        busy = result.get("busy", [])
        if isinstance(busy, Sequence) and not isinstance(busy, str):
            return {str(slot) for slot in busy}
    return set()


def _plan_text(request: DateRequest, day: date) -> str:
    return (
        f'The client wants a follow-up "{request.phrase}". That is {describe(day)}'
        f" ({day.isoformat()}). I'll check the calendar for an open slot that day."
    )


def _failed(reason: str) -> dict[str, Any]:
    output = f"Sorry, I couldn't book your follow-up. {reason} Please try again in a few minutes."
    return {"output": output, "stop_reason": "tool_error", "final_status": "failed"}


def _thread(case: CaseLike) -> list[Mapping[str, Any]]:
    thread = case.input.get("thread") or []
    return [m for m in thread if isinstance(m, Mapping)]


def _conversation(thread: Sequence[Mapping[str, Any]], message: str) -> list[Message]:
    # Earlier messages carry their dates, which is what lets an unanchored model misread them.
    earlier = [
        Message(str(m.get("role", "user")), f"[{m.get('sent_at', '')}] {m.get('text', '')}")
        for m in thread
    ]
    return [*earlier, Message("user", message)]
