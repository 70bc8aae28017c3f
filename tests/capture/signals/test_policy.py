"""Policy denials: a policy or an approver said no."""

from __future__ import annotations

from ratchet.core.signals import SignalKind

from .build import Step, found, tool, trace_id, turn

ASK = "Refund ord_10412, it arrived 45 days ago."


def test_a_denied_policy_check_fires_with_its_output() -> None:
    steps = [
        tool("read_order", order_id="ord_10412"),
        Step("policy:refund_eligibility", status="denied", output={"eligible": False}),
        tool("send_customer_email", side_effect=True, to="a@b.c"),
    ]
    traces = [turn(1, ASK, "Sorry, it's past the window.", final_status="declined", steps=steps)]

    [signal] = found(traces, "policy_denial")

    assert signal.kind is SignalKind.POLICY_DENIAL
    assert signal.trace_id == trace_id(1)
    assert signal.strength == 0.3
    [denial] = signal.evidence["denials"]
    assert denial["ref"] == "policy:refund_eligibility"
    assert denial["output"] == {"eligible": False}
    assert [s["ref"] for s in signal.evidence["side_effects_after"]] == ["tool:send_customer_email"]


def test_a_denied_approval_weighs_more() -> None:
    steps = [Step("policy:refund_threshold"), Step("approval:required", status="denied")]

    [signal] = found([turn(1, ASK, "Declined.", steps=steps)], "policy_denial")

    assert signal.strength == 0.4


def test_passed_and_waiting_checks_do_not_fire() -> None:
    steps = [Step("policy:refund_threshold"), Step("approval:required", status="waiting")]

    assert found([turn(1, ASK, "A lead will review it.", steps=steps)], "policy_denial") == []
