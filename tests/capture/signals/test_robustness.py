"""Built-in detectors never raise, whatever shape the captured data takes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratchet.capture.signals import run_detectors
from ratchet.core.spans import Span, SpanStatus, SpanType, ToolCall
from ratchet.core.traces import Trace

from .build import T0

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["user", "assistant", "Hello?? THIS IS USELESS", "ord_1 and ord_2"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "role",
                    "content",
                    "text",
                    "user_message",
                    "output",
                    "messages",
                    "parts",
                    "type",
                    "thread",
                    "finish_reason",
                    "answer",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def traces(draw: st.DrawFn, number: int) -> Trace:
    count = draw(st.integers(0, 8))
    spans = []
    for i in range(count):
        kind = draw(st.sampled_from(list(SpanType)))
        start = T0 + timedelta(milliseconds=draw(st.integers(0, 10_000)))
        spans.append(
            Span(
                trace_id=f"{number:032x}",
                span_id=f"{number:08x}{i:08x}",
                parent_span_id=draw(st.none() | st.just(f"{number:08x}{0:08x}")),
                type=kind,
                name=draw(st.sampled_from(["read_order", "plan", "x", ""])),
                status=draw(st.sampled_from(list(SpanStatus))),
                start=start,
                end=draw(st.none() | st.just(start + timedelta(milliseconds=50))),
                input=draw(json_values),
                output=draw(json_values),
                attributes=draw(
                    st.dictionaries(
                        st.sampled_from(
                            [
                                "ratchet.tool.side_effect",
                                "http.request.resend_count",
                                "gen_ai.response.finish_reasons",
                            ]
                        ),
                        json_values,
                        max_size=2,
                    )
                ),
                cost=draw(st.none() | st.floats(0, 10)),
                tool=ToolCall(name="read_order", arguments=draw(json_values))
                if kind is SpanType.TOOL
                else None,
            )
        )
    return Trace(
        trace_id=f"{number:032x}",
        session_id=draw(st.sampled_from([None, "s1", "s2"])),
        final_status=draw(st.sampled_from([None, "resolved", "failed", "partial", "weird"])),
        stop_reason=draw(st.sampled_from([None, "max_tokens", "completed"])),
        spans=spans,
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(1, 10_000), min_size=1, max_size=4, unique=True).flatmap(
        lambda numbers: st.tuples(*(traces(n) for n in numbers))
    )
)
def test_detection_never_fails_and_strengths_stay_in_range(batch: tuple[Trace, ...]) -> None:
    result = run_detectors(batch)

    assert result.problems == []
    for found in result.detected:
        assert 0.0 <= found.strength <= 1.0
        assert found.trace_id in {t.trace_id for t in batch}
