"""The user's message and the final answer are found whatever shape the trace carries them in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ratchet.capture.signals import TraceView
from ratchet.capture.signals.transcript import answer_text, user_turn
from ratchet.core.spans import Span, SpanStatus, SpanType
from ratchet.core.traces import Trace

from .build import T0, trace_id


def _span(
    span_id: str,
    kind: SpanType,
    *,
    parent: str | None = "root",
    at_ms: int = 0,
    input: Any = None,
    output: Any = None,
) -> Span:
    return Span(
        trace_id=trace_id(1),
        span_id=span_id,
        parent_span_id=parent,
        type=kind,
        name=span_id,
        status=SpanStatus.OK,
        start=T0 + timedelta(milliseconds=at_ms),
        end=T0 + timedelta(milliseconds=at_ms + 50),
        input=input,
        output=output,
    )


def _view(*spans: Span) -> TraceView:
    return TraceView(Trace(trace_id=trace_id(1), spans=list(spans)))


@pytest.mark.parametrize(
    ("given", "user"),
    [
        ("Where is my parcel?", "Where is my parcel?"),
        ({"user_message": "Book Tuesday", "order_id": "ord_1"}, "Book Tuesday"),
        ({"question": "What is the refund window?"}, "What is the refund window?"),
        ({"input": {"messages": [{"role": "user", "content": "hi there"}]}}, "hi there"),
        (
            [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "first"},
                {"role": "assistant", "content": "answer"},
                {"role": "user", "content": [{"type": "text", "text": "second"}]},
            ],
            "second",
        ),
        ({"role": "user", "parts": [{"type": "text", "content": "GenAI parts"}]}, "GenAI parts"),
        (["just", "strings"], "strings"),
    ],
)
def test_the_users_message_is_read_from_any_root_input_shape(given: Any, user: str) -> None:
    view = _view(_span("root", SpanType.AGENT, parent=None, input=given, output="ok"))

    assert view.transcript.user == user


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("Your parcel arrives Friday.", "Your parcel arrives Friday."),
        ({"output": "Booked for Tuesday.", "stop_reason": "completed"}, "Booked for Tuesday."),
        ({"answer": "Thirty days."}, "Thirty days."),
        ([{"role": "assistant", "content": "From a message list."}], "From a message list."),
        ({"choices": [{"message": {"role": "assistant", "content": "raw"}}]}, "raw"),
    ],
)
def test_the_answer_is_read_from_any_root_output_shape(given: Any, answer: str) -> None:
    view = _view(_span("root", SpanType.AGENT, parent=None, input="q", output=given))

    assert view.transcript.answer == answer


def test_model_spans_fill_in_when_the_root_carries_no_payloads() -> None:
    view = _view(
        _span("root", SpanType.AGENT, parent=None),
        _span(
            "llm1",
            SpanType.MODEL,
            at_ms=10,
            input=[
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Cancel my plan"},
                {"role": "assistant", "content": "Which plan?"},
                {"role": "user", "content": "The yearly one"},
            ],
            output=[{"role": "assistant", "content": "", "tool_calls": [{"name": "cancel"}]}],
        ),
        _span(
            "llm2",
            SpanType.MODEL,
            at_ms=100,
            output=[{"role": "assistant", "content": "Your yearly plan is cancelled."}],
        ),
    )

    transcript = view.transcript
    assert transcript.user == "The yearly one"
    assert transcript.earlier_user == "Cancel my plan"
    assert transcript.earlier_assistant == "Which plan?"
    # The last model call with text is the answer; a tool-call-only turn is not.
    assert transcript.answer == "Your yearly plan is cancelled."


def test_a_thread_in_the_root_input_gives_the_earlier_turn() -> None:
    thread = [
        {"role": "user", "sent_at": "2026-04-10", "text": "Can we meet Tuesday?"},
        {"role": "assistant", "sent_at": "2026-04-10", "text": "Booked Tuesday at 10."},
    ]
    view = _view(
        _span(
            "root",
            SpanType.AGENT,
            parent=None,
            input={"user_message": "No, I meant Thursday", "thread": thread},
            output="Moved to Thursday.",
        )
    )

    assert view.transcript.earlier_user == "Can we meet Tuesday?"
    assert view.transcript.earlier_assistant == "Booked Tuesday at 10."
    assert view.user_text == "no, i meant thursday"


def test_a_message_span_gives_the_answer_when_nothing_else_does() -> None:
    view = _view(
        _span("root", SpanType.WORKFLOW, parent=None, input="Reset my password"),
        _span("reply", SpanType.MESSAGE, at_ms=20, output={"body": "A reset link is on its way."}),
    )

    assert view.transcript.answer == "A reset link is on its way."


@pytest.mark.parametrize(
    "junk", [None, 42, 3.5, True, {}, [], {"role": 7}, [1, 2], {"x": {"y": 1}}]
)
def test_unexpected_shapes_give_nothing_and_never_raise(junk: Any) -> None:
    assert user_turn(junk).user is None
    assert answer_text(junk) is None
    view = _view(_span("root", SpanType.AGENT, parent=None, input=junk, output=junk))
    assert view.transcript.user is None
    assert view.transcript.answer is None


def test_an_empty_trace_has_no_root_and_no_transcript() -> None:
    view = TraceView(Trace(trace_id=trace_id(1)))

    assert view.root is None
    assert view.transcript.user is None
    assert view.duration_ms is None
    assert view.cost is None
