"""A span over a limit is refused on its own, with a message naming it; its siblings stay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ratchet.capture.otlp import DEFAULT_LIMITS, Limits, decode_json, decode_protobuf
from ratchet.capture.rawspan import DecodeResult, RawSpan
from tests.capture.otlp_samples import (
    json_body,
    json_request,
    nested_array,
    nested_kvlist,
    span,
    to_json,
    to_protobuf,
    with_raw_attribute,
)

Decode = Callable[[list[RawSpan], Limits], DecodeResult]


def _via_protobuf(spans: list[RawSpan], limits: Limits) -> DecodeResult:
    return decode_protobuf(to_protobuf(spans), limits)


def _via_json(spans: list[RawSpan], limits: Limits) -> DecodeResult:
    return decode_json(to_json(spans), limits)


#: A resource with no attributes, for tests of limits small enough to trip on the default one.
_BARE: dict[str, Any] = {}

both_formats = pytest.mark.parametrize("decode", [_via_protobuf, _via_json], ids=["pb", "json"])


def _nested_kvlist_value(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


@both_formats
def test_a_span_with_10000_attributes_is_refused_and_its_sibling_kept(decode: Decode) -> None:
    crowded = span("search", index=1, attributes={f"attr.{i}": i for i in range(10_000)})
    sibling = span("answer", index=2, attributes={"ok": True})

    result = decode([crowded, sibling], DEFAULT_LIMITS)

    assert result.spans == [sibling]
    assert result.rejected == 1
    assert result.errors == ["span 0 ('search') has 10000 attributes; the limit is 1024"]


@both_formats
def test_a_2_mib_string_is_refused_naming_the_attribute(decode: Decode) -> None:
    big = span("llm", index=1, attributes={"model": "gpt", "input.value": "x" * (2 * 1024 * 1024)})
    sibling = span("tool", index=2)

    result = decode([big, sibling], DEFAULT_LIMITS)

    assert result.spans == [sibling]
    assert result.errors == [
        "span 0 ('llm'): attribute 'input.value' is 2097152 bytes; the limit is 1048576 bytes"
    ]


@both_formats
@pytest.mark.parametrize(
    "value",
    ["ééééé!", b"12345678901", ["ok", "ééééé!"], {"inner": b"12345678901"}],
    ids=["utf8-string", "bytes", "in-array", "in-kvlist"],
)
def test_the_value_size_limit_counts_utf8_bytes_at_any_depth(decode: Decode, value: Any) -> None:
    limits = Limits(max_value_bytes=10)
    fits = span("fits", index=2, attributes={"a": "é" * 5, "b": b"1234567890"}, resource=_BARE)
    big = span("big", index=1, attributes={"payload": value}, resource=_BARE)

    result = decode([big, fits], limits)

    assert result.spans == [fits]
    assert result.errors[0].startswith("span 0 ('big'): attribute 'payload' is 11 bytes")


@both_formats
@pytest.mark.parametrize("depth", [17, 31, 32, 40, 60])
def test_values_nested_too_deep_refuse_only_their_span(decode: Decode, depth: int) -> None:
    deep = span("deep", index=1, attributes={"args": _nested_kvlist_value(depth)})
    sibling = span("shallow", index=2, attributes={"args": _nested_kvlist_value(16)})

    result = decode([deep, sibling], DEFAULT_LIMITS)

    assert result.spans == [sibling]
    assert result.errors == [
        "span 0 ('deep'): attribute 'args' nests arrays/kvlists more than 16 levels deep; "
        "the limit is 16"
    ]


@pytest.mark.parametrize("depth", [40, 60, 500])
@pytest.mark.parametrize("builder", [nested_kvlist, nested_array], ids=["kvlist", "array"])
def test_protobuf_nesting_past_the_runtime_recursion_limit_refuses_one_span(
    depth: int, builder: Callable[[int], bytes]
) -> None:
    # The protobuf classes refuse to build such values, so this one is written by hand.
    body = with_raw_attribute([span("kept")], b"args", builder(depth))

    result = decode_protobuf(body)

    assert [raw.name for raw in result.spans] == ["kept"]
    assert result.errors == [
        "span 1 ('deep'): attribute 'args' nests arrays/kvlists more than 16 levels deep; "
        "the limit is 16"
    ]


def test_json_nesting_40_deep_refuses_one_span() -> None:
    request = json_request([span("kept", index=1), span("deep", index=2)])
    value: dict[str, Any] = {"stringValue": "leaf"}
    for _ in range(40):
        value = {"kvlistValue": {"values": [{"key": "k", "value": value}]}}
    request["resourceSpans"][0]["scopeSpans"][0]["spans"][1]["attributes"] = [
        {"key": "args", "value": value}
    ]

    result = decode_json(json_body(request))

    assert [raw.name for raw in result.spans] == ["kept"]
    assert "span 1 ('deep'): attribute 'args' nests arrays/kvlists more than 16" in result.errors[0]


@both_formats
def test_too_many_events_refuse_the_span(decode: Decode) -> None:
    events = [{"name": f"step {i}", "time_ns": i, "attributes": {}} for i in range(3)]
    noisy, quiet = span("loop", index=1, events=events), span("quiet", index=2, events=events[:2])

    result = decode([noisy, quiet], Limits(max_events=2))

    assert result.spans == [quiet]
    assert result.errors == ["span 0 ('loop') has 3 events; the limit is 2"]


@both_formats
def test_an_event_over_a_limit_refuses_its_span(decode: Decode) -> None:
    event = {"name": "exception", "time_ns": 1, "attributes": {"a": 1, "b": 2, "c": 3}}
    noisy, quiet = span("tool", index=1, events=[event]), span("quiet", index=2)

    result = decode([noisy, quiet], Limits(max_attributes=2))

    assert result.spans == [quiet]
    assert result.errors == [
        "span 0 ('tool'): event 0 ('exception') has 3 attributes; the limit is 2"
    ]


@both_formats
def test_a_resource_over_a_limit_refuses_all_its_spans_and_no_others(decode: Decode) -> None:
    crowded = {f"host.label.{i}": "x" for i in range(5)}
    normal = {"service.name": "agent"}
    spans = [
        span("a", index=1, resource=crowded),
        span("b", index=2, resource=crowded, scope="other"),
        span("c", index=3, resource=normal),
    ]

    result = decode(spans, Limits(max_attributes=4))

    assert [raw.name for raw in result.spans] == ["c"]
    assert result.rejected == 2
    assert result.errors == [
        "resource 0 has 5 attributes; the limit is 4 (its 2 spans were refused)"
    ]


@both_formats
def test_values_at_the_limits_are_kept(decode: Decode) -> None:
    limits = Limits(max_attributes=3, max_value_bytes=4, max_depth=2, max_events=1)
    at_limit = span(
        "edge",
        attributes={"s": "a€", "b": b"1234", "nest": [["x"]]},
        events=[{"name": "e", "time_ns": 1, "attributes": {"x": 1, "y": 2, "z": 3}}],
        resource=_BARE,
    )

    result = decode([at_limit], limits)

    assert result.spans == [at_limit]


def test_long_names_are_shortened_in_messages() -> None:
    name = "n" * 5000

    long_named = span(name, attributes={"a": "x" * 20}, resource=_BARE)

    result = _via_json([long_named], Limits(max_value_bytes=10))

    assert len(result.errors[0]) < 200
    assert result.errors[0].startswith("span 0 ('nnnn")
