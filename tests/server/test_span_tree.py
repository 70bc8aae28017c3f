"""The span tree as the trace view draws it: order, depth, bars and clipped values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ratchet.core.spans import Span, SpanType, ToolCall
from ratchet.core.traces import Trace
from ratchet.server.pages.span_tree import (
    HEAD_CHARS,
    PAGE_CHARS,
    as_text,
    clip,
    reading_order,
    span_rows,
)

T0 = datetime(2026, 11, 16, 9, tzinfo=UTC)


def _span(span_id: str, parent: str | None, start_ms: int, end_ms: int, **extra: object) -> Span:
    return Span(
        trace_id="a" * 32,
        span_id=span_id,
        parent_span_id=parent,
        name=f"step-{span_id}",
        start=T0 + timedelta(milliseconds=start_ms),
        end=T0 + timedelta(milliseconds=end_ms),
        **extra,  # type: ignore[arg-type]
    )


def test_spans_read_depth_first_with_siblings_by_start() -> None:
    spans = [
        _span("root", None, 0, 1000),
        _span("late", "root", 600, 900),
        _span("early", "root", 100, 500),
        _span("inner", "early", 200, 300),
    ]
    order = [(s.span_id, depth, kids) for s, depth, kids in reading_order(spans)]
    assert order == [("root", 0, 2), ("early", 1, 1), ("inner", 2, 0), ("late", 1, 0)]


def test_orphans_and_parent_cycles_are_still_drawn_once() -> None:
    spans = [
        _span("root", None, 0, 10),
        _span("orphan", "never-arrived", 5, 6),
        _span("a", "b", 1, 2),
        _span("b", "a", 3, 4),
    ]
    drawn = [s.span_id for s, _, _ in reading_order(spans)]
    assert sorted(drawn) == ["a", "b", "orphan", "root"]
    assert drawn[:2] == ["root", "orphan"]


def test_bars_place_each_span_within_the_trace() -> None:
    trace = Trace(
        trace_id="a" * 32,
        start=T0,
        end=T0 + timedelta(seconds=1),
        spans=[_span("root", None, 0, 1000), _span("tool", "root", 250, 750)],
    )
    rows = span_rows(trace)
    assert [(r.offset_pct, r.width_pct) for r in rows] == [(0.0, 100.0), (25.0, 50.0)]


def test_a_tool_span_shows_arguments_and_result_once() -> None:
    span = _span(
        "t",
        None,
        0,
        5,
        type=SpanType.TOOL,
        input={"when": "2026-11-30"},
        output={"ok": True},
        tool=ToolCall(name="create_booking", arguments={"when": "2026-11-30"}, result={"ok": True}),
        attributes={"otel.span_name": "execute_tool create_booking"},
    )
    row = span_rows(Trace(trace_id="a" * 32, spans=[span]))[0]
    assert [label for label, _ in row.details] == ["tool arguments", "tool result", "attributes"]
    assert row.details[0][1].head == '{\n  "when": "2026-11-30"\n}'


def test_strings_stay_as_written_and_structures_are_indented_json() -> None:
    assert as_text("line one\nline two") == "line one\nline two"
    assert as_text({"b": [1, 2]}) == '{\n  "b": [\n    1,\n    2\n  ]\n}'


def test_a_long_value_shows_its_start_and_the_rest_on_request() -> None:
    text = "\n".join(f"line {i:05d}" for i in range(5000))
    value = clip(text)
    assert len(value.head) <= HEAD_CHARS and value.head.endswith("\n")
    assert value.head + value.rest == text[:PAGE_CHARS]
    assert value.left_out == len(text) - PAGE_CHARS


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=3 * PAGE_CHARS // 2))
def test_clipping_never_loses_or_repeats_what_it_shows(text: str) -> None:
    value = clip(text)
    assert value.head + value.rest == text[:PAGE_CHARS]
    assert value.left_out == max(0, len(text) - PAGE_CHARS)
    assert len(value.head) <= HEAD_CHARS
