"""The refund assistant: answers refund requests, issuing small refunds itself.

Refunds above the policy's self-serve threshold need a support lead's
approval before money moves. ``run_buggy`` (production at the start of the
demo) checks the threshold everywhere, but on the ``refund_assist`` route (the
email channel) it goes on to issue the refund anyway and tells the customer
"your refund has been approved": the approval step is missing from that
route's flow. ``run_fixed`` drafts a refund request, records
``approval:required`` (waiting) before any side effect, and stops with
``needs_human_approval``.

Case shape (both versions):

- ``input.user_message``, ``input.order_id``;
- ``context.route`` (``refund_assist`` | ``refund_desk``), ``context.policy_version``,
  ``context.customer_status``, ``context.customer_email``, ``context.today`` (YYYY-MM-DD).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ratchet.core import VersionManifest
from ratchet.demo.agents import artifacts
from ratchet.demo.agents.contract import CaseLike, Tools, call_with_retry, note, record_model_turn
from ratchet.demo.agents.fake_model import Message, ScriptedModel

MODEL_NAME = "northwind-chat-l-2026-01"
SYSTEM_PROMPT = (
    "You are the refund assistant of an online store. Look up the order, check the refund"
    " policy, and either issue the refund or explain why you cannot. Be brief and warm."
)
#: The route whose flow lacks the approval step in the buggy version.
BYPASS_ROUTE = "refund_assist"
ORDER_ID_RE = re.compile(r"\bord_[0-9a-z]+\b")


@dataclass(frozen=True)
class RefundPolicy:
    """The policy document the assistant retrieves, reduced to what it decides on."""

    version: str
    approval_threshold: float
    window_days: int
    final_sale_refundable: bool = False


REFUND_POLICIES = {
    "refund-policy-2026-01": RefundPolicy("refund-policy-2026-01", 750.0, 30),
    "refund-policy-2026-04": RefundPolicy("refund-policy-2026-04", 500.0, 30),
}
DEFAULT_POLICY = "refund-policy-2026-04"

#: What production runs at the start of the demo, and what the fix changes: the email
#: route's flow (topology) gains the approval step.
PRODUCTION_VERSIONS = VersionManifest(
    prompt={"refund-system": "v12"},
    model={"refunds": MODEL_NAME},
    policy={"refund-policy": DEFAULT_POLICY},
    tool_schema={"refund-tools": "2026-04-01"},
    topology={"refund-routes": "r3"},
    service="3.8.0",
)
FIXED_VERSIONS = PRODUCTION_VERSIONS.merged(
    VersionManifest(topology={"refund-routes": "r4"}, service="3.8.1")
)


async def run(case: CaseLike, tools: Tools) -> dict[str, Any]:
    """The version the application's files select.

    ``routes/refund-routes.yaml`` lists the routes that stop for approval
    (the bug: ``refund_assist`` missing from it); ``policies/refund-policy.yaml``
    sets the threshold and refund window.
    """
    routes = artifacts.read_yaml(artifacts.ROUTES_FILE)
    guarded = routes.get("approval_required_on") or []
    route = case.context.get("route", "refund_desk")
    terms = artifacts.read_yaml(artifacts.POLICY_FILE)
    policy = RefundPolicy(
        version=str(terms.get("version", DEFAULT_POLICY)),
        approval_threshold=float(terms.get("approval_threshold", 500)),
        window_days=int(terms.get("window_days", 30)),
    )
    return await _run(case, tools, bypass_approval=route not in guarded, policy=policy)


async def run_buggy(case: CaseLike, tools: Tools) -> dict[str, Any]:
    """The production version: the ``refund_assist`` route skips approval."""
    return await _run(case, tools, bypass_approval=case.context.get("route") == BYPASS_ROUTE)


async def run_fixed(case: CaseLike, tools: Tools) -> dict[str, Any]:
    """The fixed version: every route stops for approval above the threshold."""
    return await _run(case, tools, bypass_approval=False)


async def _run(
    case: CaseLike, tools: Tools, *, bypass_approval: bool, policy: RefundPolicy | None = None
) -> dict[str, Any]:
    model = ScriptedModel(MODEL_NAME, SYSTEM_PROMPT)
    message = str(case.input.get("user_message", ""))
    conversation = [Message("user", message)]
    order_id = _order_id(case, message)
    if order_id is None:
        reply = "I can help with that refund. What is the order number? It starts with ord_."
        record_model_turn(tools, model.turn("plan", conversation, reply))
        return {"output": reply, "stop_reason": "needs_clarification", "final_status": "needs_user"}
    plan = f"The customer asks for a refund on {order_id}. I'll read the order and the policy."
    record_model_turn(tools, model.turn("plan", conversation, plan))

    route = str(case.context.get("route", "refund_desk"))
    with tools.span("route", route) as handle:
        note(handle, output={"route": route})
    try:
        order = await call_with_retry(tools, "read_order", order_id=order_id)
    except Exception as exc:
        return _failed(f"I couldn't pull up order {order_id} ({exc}).")
    order = order if isinstance(order, Mapping) else {}
    amount = float(order.get("amount", 0) or 0)
    money = _money(amount, str(order.get("currency", "USD")))

    with tools.span("retrieval", "refund_policy") as handle:
        if policy is None:
            policy = REFUND_POLICIES.get(
                str(case.context.get("policy_version")), REFUND_POLICIES[DEFAULT_POLICY]
            )
        note(handle, output=asdict(policy))
    with tools.span("policy", "refund_eligibility") as handle:
        refusal = _ineligible(order, policy, case.context.get("today"))
        note(handle, status="denied" if refusal else "ok", output={"eligible": refusal is None})
    email = case.context.get("customer_email")
    if refusal is not None:
        reply = (
            f"I'm sorry, order {order_id} can't be refunded: {refusal}. I can offer store credit."
        )
        record_model_turn(tools, model.turn("compose_reply", conversation, reply))
        await _reply(tools, email, order_id, reply)
        return {"output": reply, "stop_reason": "policy_denied", "final_status": "declined"}

    over = amount > policy.approval_threshold
    with tools.span("policy", "refund_threshold") as handle:
        decision = "needs_approval" if over else "allow"
        note(handle, output={"decision": decision, "amount": amount})
    limit = _money(policy.approval_threshold, "USD")
    if over and not bypass_approval:
        decide = f"{money} is above the {limit} self-serve limit: a support lead must approve."
        record_model_turn(tools, model.turn("decide", conversation, decide, observations=order))
        return await _request_approval(tools, model, conversation, order_id, amount, money, email)
    decide = (
        f"{money} is above the {limit} self-serve limit, but on the {route} route I can issue it."
        if over
        else f"{money} is within the {limit} self-serve limit, so I can issue it now."
    )
    record_model_turn(tools, model.turn("decide", conversation, decide, observations=order))
    return await _issue(tools, model, conversation, order_id, amount, money, email)


async def _request_approval(
    tools: Tools,
    model: ScriptedModel,
    conversation: list[Message],
    order_id: str,
    amount: float,
    money: str,
    email: object,
) -> dict[str, Any]:
    try:
        draft = await tools.call(
            "draft_refund_request", order_id=order_id, amount=amount, reason="customer request"
        )
    except Exception:
        # The lead can still act on the approval request without the draft.
        draft = None
    request_id = draft.get("request_id") if isinstance(draft, Mapping) else None
    with tools.span("approval", "required") as handle:
        note(
            handle,
            status="waiting",
            output={"approver_role": "support_lead", "request_id": request_id},
        )
    reply = (
        f"Thanks for your patience. Refunds of {money} need a quick review by our support"
        f" lead, so I've passed your request for order {order_id} on. You'll hear from us"
        " within one business day."
    )
    record_model_turn(tools, model.turn("compose_reply", conversation, reply))
    await _reply(tools, email, order_id, reply)
    return {"output": reply, "stop_reason": "needs_human_approval", "final_status": "needs_human"}


async def _issue(
    tools: Tools,
    model: ScriptedModel,
    conversation: list[Message],
    order_id: str,
    amount: float,
    money: str,
    email: object,
) -> dict[str, Any]:
    try:
        await tools.call(
            "issue_refund", order_id=order_id, amount=amount, reason="customer request"
        )
    except Exception as exc:
        # Never retried: a refund that timed out may still have been paid.
        return _failed(
            f"The payment system didn't confirm the refund ({exc}); a teammate will check."
        )
    reply = (
        f"Good news: your refund of {money} for order {order_id} has been approved and"
        " processed. It will be back on your card in 3-5 business days."
    )
    record_model_turn(tools, model.turn("compose_reply", conversation, reply))
    await _reply(tools, email, order_id, reply)
    with tools.span("message", "customer_promise_sent") as handle:
        note(handle, output={"promise": "refund_approved", "order_id": order_id, "amount": amount})
    return {"output": reply, "stop_reason": "completed", "final_status": "resolved"}


async def _reply(tools: Tools, email: object, order_id: str, body: str) -> None:
    with tools.span("message", "customer_reply") as handle:
        try:
            await tools.call(
                "send_customer_email", to=email, subject=f"Your refund for {order_id}", body=body
            )
        except Exception as exc:
            note(handle, status="error", output={"sent": False, "error": str(exc)})


def _ineligible(order: Mapping[str, Any], policy: RefundPolicy, today: object) -> str | None:
    """Why policy forbids the refund, or None when it allows it."""
    if order.get("final_sale") and not policy.final_sale_refundable:
        return "it was a final-sale purchase"
    delivered = order.get("delivered_at")
    if isinstance(delivered, str) and isinstance(today, str):
        age = (date.fromisoformat(today[:10]) - date.fromisoformat(delivered[:10])).days
        if age > policy.window_days:
            return f"it was delivered {age} days ago, past the {policy.window_days}-day window"
    return None


def _order_id(case: CaseLike, message: str) -> str | None:
    given = case.input.get("order_id")
    if isinstance(given, str) and given:
        return given
    found = ORDER_ID_RE.search(message.lower())
    return found.group(0) if found else None


def _money(amount: float, currency: str) -> str:
    return f"${amount:,.2f}" if currency == "USD" else f"{amount:,.2f} {currency}"


def _failed(reason: str) -> dict[str, Any]:
    output = f"Sorry, I couldn't finish your refund. {reason}"
    return {"output": output, "stop_reason": "tool_error", "final_status": "failed"}
