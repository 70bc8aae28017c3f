"""Finding keys: two findings of one detector on one run stay two, and keys do not drift."""

from __future__ import annotations

from ratchet.capture.signals import Detected
from ratchet.core.signals import SignalKind

from .build import Step, found, tool, trace_id, turn

ASK = "Can we book the next session on Tuesday?"


def test_two_loops_in_one_run_have_two_keys_the_same_on_every_run() -> None:
    steps = [tool("read_calendar", date="2026-04-21")] * 3 + [tool("search_slots", day="tue")] * 3
    run = [turn(1, ASK, "Booked.", steps=steps)]

    loops = found(run, "tool_loop")

    assert sorted(d.evidence["tool"] for d in loops) == ["read_calendar", "search_slots"]
    assert len({d.key for d in loops}) == 2
    assert [d.key for d in found(run, "tool_loop")] == [d.key for d in loops]


def test_one_tool_looping_on_two_argument_sets_is_two_findings() -> None:
    steps = [tool("read_order", order_id="ord_1")] * 3 + [tool("read_order", order_id="ord_2")] * 3

    loops = found([turn(1, ASK, "Done.", steps=steps)], "tool_loop")

    assert len({d.key for d in loops}) == 2


def test_a_loop_key_ignores_how_the_arguments_were_ordered_and_what_the_evidence_says() -> None:
    ordered = [Step("tool:search", args={"q": "refunds", "k": 5})] * 3
    shuffled = [Step("tool:search", args={"k": 5, "q": "refunds"})] * 4

    [short] = found([turn(1, ASK, "Here.", steps=ordered)], "tool_loop")
    [longer] = found([turn(1, ASK, "Here.", steps=shuffled)], "tool_loop")

    assert short.evidence["calls"] != longer.evidence["calls"]
    assert short.key == longer.key


def test_a_finding_without_a_discriminator_keeps_the_key_it_always_had() -> None:
    finding = Detected(SignalKind.FRUSTRATION, 0.5, trace_id(1), "sess_1", "frustration")

    assert finding.key == ("frustration", "frustration", trace_id(1), "sess_1")
