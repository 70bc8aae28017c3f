"""The simulated systems behind the demo's tools: an orders table, calendars, an outbox.

Production tools talk to real services; the demo's talk to these, which keep
just enough state for the traces to be consistent (the refund you issue is
for the order you read) and let the traffic inject outages on purpose.
Everything is deterministic: calendars are seeded by day, ids are counters.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Mapping
from typing import Any

from ratchet.demo.agents.contract import ToolFailure
from ratchet.demo.agents.scheduling import SLOTS

#: Tools that change the world; replay must record them as intents instead of running them.
SIDE_EFFECT_TOOLS = frozenset(
    {"issue_refund", "send_customer_email", "create_event", "send_confirmation"}
)


class Backends:
    """In-memory stand-ins for the order service, the payment gateway, calendars and email.

    Args:
        seed: makes each calendar day's existing bookings the same on every run.
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.orders: dict[str, dict[str, Any]] = {}
        self.refunds: list[dict[str, Any]] = []
        self.refund_requests: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.emails: list[dict[str, Any]] = []
        self._failures: dict[str, deque[str]] = defaultdict(deque)
        self._counter = 0

    def add_order(self, order: Mapping[str, Any]) -> None:
        """Put an order in the table (``order_id``, ``amount``, ``delivered_at``…)."""
        self.orders[str(order["order_id"])] = dict(order)

    def fail_next(self, tool: str, message: str, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``tool`` fail with ``message`` (an outage)."""
        self._failures[tool].extend([message] * times)

    def clear_failures(self) -> None:
        """Forget injected outages that no call consumed."""
        self._failures.clear()

    def call(self, name: str, arguments: Mapping[str, Any]) -> Any:
        """Run a tool against the simulated systems.

        Raises:
            ToolFailure: an injected outage, an unknown tool, or a lookup that finds nothing.
        """
        pending = self._failures.get(name)
        if pending:
            raise ToolFailure(pending.popleft())
        handler = getattr(self, f"_tool_{name}", None)
        if handler is None:
            raise ToolFailure(f"unknown tool {name!r}")
        try:
            result: Any = handler(**arguments)
        except TypeError as exc:
            raise ToolFailure(f"invalid arguments for {name}: {exc}") from exc
        return result

    def busy_slots(self, calendar_id: str, day: str) -> list[str]:
        """The slots already booked on a day: seeded by the day, plus demo bookings."""
        rng = random.Random(f"{self.seed}:{calendar_id}:{day}")
        busy = set(rng.sample(SLOTS, rng.randint(0, len(SLOTS) // 2)))
        busy.update(
            str(e["start"])
            for e in self.events
            if e["calendar_id"] == calendar_id and e["date"] == day
        )
        return [slot for slot in SLOTS if slot in busy]

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}_{self._counter:05d}"

    # Tools, named after what the agents call.

    def _tool_read_order(self, order_id: str) -> dict[str, Any]:
        order = self.orders.get(order_id)
        if order is None:
            raise ToolFailure(f"order {order_id} not found")
        return dict(order)

    def _tool_issue_refund(self, order_id: str, amount: float, reason: str = "") -> dict[str, Any]:
        refund = {
            "refund_id": self._next_id("rf"),
            "order_id": order_id,
            "amount": amount,
            "status": "issued",
            "reason": reason,
        }
        self.refunds.append(refund)
        return dict(refund)

    def _tool_draft_refund_request(
        self, order_id: str, amount: float, reason: str = ""
    ) -> dict[str, Any]:
        request = {
            "request_id": self._next_id("rrq"),
            "order_id": order_id,
            "amount": amount,
            "status": "pending_approval",
            "reason": reason,
        }
        self.refund_requests.append(request)
        return dict(request)

    def _tool_send_customer_email(self, to: object, subject: str, body: str) -> dict[str, Any]:
        message_id = self._next_id("msg")
        self.emails.append({"message_id": message_id, "to": to, "subject": subject, "body": body})
        return {"message_id": message_id, "status": "queued"}

    def _tool_read_calendar(self, calendar_id: str, date: str) -> dict[str, Any]:
        return {
            "calendar_id": calendar_id,
            "date": date,
            "busy": self.busy_slots(calendar_id, date),
        }

    def _tool_create_event(
        self,
        calendar_id: str,
        date: str,
        start: str,
        duration_minutes: int = 30,
        title: str = "",
        attendee: object = None,
    ) -> dict[str, Any]:
        if start in self.busy_slots(calendar_id, date):
            raise ToolFailure(f"slot {date} {start} is already booked")
        event = {
            "event_id": self._next_id("evt"),
            "calendar_id": calendar_id,
            "date": date,
            "start": start,
            "duration_minutes": duration_minutes,
            "title": title,
            "attendee": attendee,
        }
        self.events.append(event)
        return {"event_id": event["event_id"], "date": date, "start": start, "status": "confirmed"}

    def _tool_send_confirmation(self, to: object, event_id: object, message: str) -> dict[str, Any]:
        message_id = self._next_id("msg")
        self.emails.append(
            {"message_id": message_id, "to": to, "event_id": event_id, "body": message}
        )
        return {"message_id": message_id, "status": "sent"}
