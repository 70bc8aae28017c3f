"""The JSON decoder's quick paths answer exactly as its careful paths, whatever is sent.

The quick paths read the usual shapes inline and hand anything unusual to
the careful code, which alone words refusals. These tests send common,
unusual and broken forms of every field and compare the two answers: same
values (types included, via repr), same refusal messages.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ratchet.capture.otlp import DEFAULT_LIMITS, Limits, UndecodableBody, decode_json
from ratchet.capture.otlp.json_decode import _quick_span, _span
from ratchet.capture.otlp.json_values import json_attribute_reader
from ratchet.capture.otlp.limits import SpanRefused, ValueRefused
from tests.capture.otlp_samples import json_body

#: Small enough that every limit is reachable by the generated values.
SMALL = Limits(max_attributes=4, max_value_bytes=16, max_depth=2, max_events=2)
_MISSING = object()

_values = st.sampled_from(
    [
        {"stringValue": "short"},
        {"stringValue": "a longer text, past the small limit"},
        {"stringValue": "é" * 5},
        {"stringValue": 5},
        {"stringValue": None},
        {"intValue": "42"},
        {"intValue": "-9223372036854775808"},
        {"intValue": " 7 "},
        {"intValue": "1_000"},
        {"intValue": "4.5"},
        {"intValue": 12},
        {"intValue": 3.0},
        {"intValue": True},
        {"boolValue": True},
        {"boolValue": "true"},
        {"doubleValue": 0.25},
        {"doubleValue": 2},
        {"doubleValue": "NaN"},
        {"doubleValue": "-Infinity"},
        {"doubleValue": "x"},
        {"bytesValue": "AAEC/w=="},
        {"bytesValue": "not base64!"},
        {"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": "1"}]}},
        {"arrayValue": {"values": [{"arrayValue": {"values": [{"arrayValue": {}}]}}]}},
        {"kvlistValue": {"values": [{"key": "k", "value": {"boolValue": False}}]}},
        {"string_value": "snake"},
        {"intValue": "1", "stringValue": "two fields"},
        {"stringValue": "known", "unknown": 1},
        {"unknown": 1},
        {},
        None,
        "a string",
        ["stringValue"],
    ]
)
_keys = st.sampled_from(["model", "tokens", "model", "", None, 7, _MISSING])


@st.composite
def _pairs(draw: st.DrawFn) -> Any:
    form = draw(st.integers(0, 9))
    if form == 0:
        return draw(st.sampled_from([None, "pair", 3, ["key", "value"]]))
    pair: dict[str, Any] = {"ignored": 1} if form == 1 else {}
    key = draw(_keys)
    if key is not _MISSING:
        pair["key"] = key
    if form != 2:
        pair["value"] = draw(_values)
    return pair


_attributes = st.one_of(
    st.lists(_pairs(), max_size=6),
    st.sampled_from([None, "attributes", {"key": "k"}, 5]),
)
_hex32 = "5B8EFFF798038103D269B633813FC60C"
_trace_ids = st.sampled_from(
    [
        *(_hex32.lower(), _hex32, _hex32[:31], "0" * 32, "", None, 5, "g" * 32, "０" * 32),
        *("W47/95gDgQPSabYzgT/GDA==", " " + _hex32[1:], _MISSING),  # base64; a space
    ]
)
_span_ids = st.sampled_from(
    [
        *("eee19b7ec3c1b174", "EEE19B7EC3C1B174", "0" * 16, "", None, 16, "z" * 16),
        *("7uGbfsPBsXQ=", "eee19b7ec3c1b17", "eee19b7e c3c1b17", _MISSING),
    ]
)
_fields: dict[str, st.SearchStrategy[Any]] = {
    "name": st.sampled_from(["agent.run", "", None, 5, _MISSING]),
    "traceId": _trace_ids,
    "trace_id": st.sampled_from([_hex32, _MISSING, _MISSING]),
    "spanId": _span_ids,
    "parentSpanId": _span_ids,
    "parent_span_id": st.sampled_from(["eee19b7ec3c1b173", "bad", _MISSING, _MISSING]),
    "kind": st.sampled_from(
        [3, 0, 99, "SPAN_KIND_CLIENT", "server", "7", True, 2.0, None, _MISSING]
    ),
    "startTimeUnixNano": st.sampled_from(
        ["1760000000000000000", 1760000000000000000, 1.5e18, "1.5", " 12 ", True, None, _MISSING]
    ),
    "endTimeUnixNano": st.sampled_from(["1760000000500000000", 17, "x", _MISSING]),
    "status": st.sampled_from(
        [
            {},
            {"code": 2},
            {"code": 2, "message": "boom"},
            {"code": "STATUS_CODE_ERROR"},
            {"code": None},
            {"code": True},
            {"message": None},
            {"message": 5},
            None,
            [],
            "ok",
            _MISSING,
        ]
    ),
    "attributes": _attributes,
    "events": st.one_of(
        st.sampled_from([_MISSING, _MISSING, None, [], "events", [5]]),
        st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from(["retry", None, 3]), "attributes": _attributes},
                optional={"timeUnixNano": st.sampled_from(["5", 6, "x"])},
            ),
            max_size=3,
        ),
    ),
}


_USUAL: dict[str, Any] = {
    "name": "agent.run",
    "traceId": _hex32.lower(),
    "spanId": "eee19b7ec3c1b174",
    "parentSpanId": "eee19b7ec3c1b173",
    "kind": 3,
    "startTimeUnixNano": "1760000000000000000",
    "endTimeUnixNano": "1760000000500000000",
    "status": {"code": 1},
    "attributes": [
        {"key": "model", "value": {"stringValue": "gpt"}},
        {"key": "tokens", "value": {"intValue": "12"}},
    ],
}


@st.composite
def _spans(draw: st.DrawFn) -> Any:
    """A usual span with a few fields changed, dropped or added (or not an object at all)."""
    if draw(st.integers(0, 30)) == 0:
        return draw(st.sampled_from([None, "span", 5, []]))
    sent = dict(_USUAL)
    for name in draw(st.lists(st.sampled_from(sorted(_fields)), max_size=3)):
        value = draw(_fields[name])
        if value is _MISSING:
            sent.pop(name, None)
        else:
            sent[name] = value
    return sent


def _answer(call: Any) -> str:
    try:
        return repr(call())
    except (ValueRefused, SpanRefused) as exc:
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("limits", [DEFAULT_LIMITS, SMALL], ids=["default", "small"])
@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(items=_attributes)
def test_quick_attribute_reading_answers_as_the_careful_reader(limits: Limits, items: Any) -> None:
    quick = json_attribute_reader(limits)
    careful = json_attribute_reader(limits, quick=False)

    assert _answer(lambda: quick(items)) == _answer(lambda: careful(items))


@pytest.mark.parametrize("limits", [DEFAULT_LIMITS, SMALL], ids=["default", "small"])
@settings(max_examples=600, deadline=None, derandomize=True, database=None)
@given(sent=_spans())
def test_a_span_read_quickly_is_the_span_the_careful_path_reads(limits: Limits, sent: Any) -> None:
    read = json_attribute_reader(limits)
    resource = {"service.name": "agent"}
    quick = _quick_span(sent, read, limits, resource, "scope", {})

    careful = _answer(lambda: _span(sent, 0, read, limits, resource, "scope"))
    if quick is not None:  # None only says "ask the careful path"
        assert repr(quick) == careful


def test_usual_spans_take_the_quick_path() -> None:
    usual = {
        "traceId": _hex32,
        "spanId": "eee19b7ec3c1b174",
        "name": "agent.run",
        "kind": 1,
        "startTimeUnixNano": "1760000000000000000",
        "endTimeUnixNano": "1760000000500000000",
        "attributes": [
            {"key": "model", "value": {"stringValue": "gpt"}},
            {"key": "tokens", "value": {"intValue": "12"}},
            {"key": "cached", "value": {"boolValue": False}},
            {"key": "score", "value": {"doubleValue": 0.5}},
            {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}]}}},
        ],
    }
    read = json_attribute_reader(DEFAULT_LIMITS)
    for extra in ({}, {"parentSpanId": ""}, {"status": {}}, {"status": {"code": 2}}):
        quick = _quick_span({**usual, **extra}, read, DEFAULT_LIMITS, {}, "", {})

        assert quick is not None
        assert quick.trace_id == _hex32.lower()
        assert quick.attributes["tags"] == ["a"]


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(spans=st.lists(_spans(), min_size=1, max_size=4), resource=_attributes)
def test_whole_requests_decode_as_the_careful_path_decodes_them(
    spans: list[Any], resource: Any
) -> None:
    body = json_body(
        {
            "resourceSpans": [
                {"resource": {"attributes": resource}, "scopeSpans": [{"spans": spans}]}
            ]
        }
    )
    quick = repr(decode_json(body, SMALL))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("ratchet.capture.otlp.json_decode._quick_span", lambda *_: None)
        patch.setattr(
            "ratchet.capture.otlp.json_decode.json_attribute_reader",
            lambda limits: json_attribute_reader(limits, quick=False),
        )
        careful = repr(decode_json(body, SMALL))

    assert quick == careful


@pytest.mark.parametrize("enabled", [True, False])
def test_decoding_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        decode_json(json_body({"resourceSpans": [{"scopeSpans": [{"spans": [{}]}]}]}))
        assert gc.isenabled() is enabled
        with pytest.raises(UndecodableBody):
            decode_json(b"not json")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
