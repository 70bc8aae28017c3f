"""OTLP/JSON ``KeyValue``/``AnyValue`` objects turned into plain Python values.

OTLP/JSON follows the protobuf JSON mapping: 64-bit integers may arrive as
strings or numbers, doubles may be ``"NaN"``/``"Infinity"``, bytes are base64
(standard or URL-safe, padding optional), keys are lowerCamelCase but the
original snake_case names are accepted too, and unknown keys are ignored.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ratchet.capture.otlp.limits import (
    Limits,
    ValueRefused,
    check_bytes,
    check_text,
    show,
    too_deep,
    too_many,
)

#: Reads a JSON ``attributes`` list into a dict; raises :class:`ValueRefused` like
#: :data:`ratchet.capture.otlp.values.AttributeReader`.
JsonAttributeReader = Callable[[Any], dict[str, Any]]

_STRING, _BOOL, _INT, _DOUBLE, _BYTES, _ARRAY, _KVLIST = range(7)
_KINDS = {
    "stringValue": _STRING,
    "string_value": _STRING,
    "boolValue": _BOOL,
    "bool_value": _BOOL,
    "intValue": _INT,
    "int_value": _INT,
    "doubleValue": _DOUBLE,
    "double_value": _DOUBLE,
    "bytesValue": _BYTES,
    "bytes_value": _BYTES,
    "arrayValue": _ARRAY,
    "array_value": _ARRAY,
    "kvlistValue": _KVLIST,
    "kvlist_value": _KVLIST,
}
_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")


def json_type(value: Any) -> str:
    """Name a JSON value's type the way a sender would, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def parse_int(value: Any) -> int:
    """An int64/uint64 field: a JSON number or a decimal string. Raises ValueError."""
    if type(value) is int:
        return value
    if type(value) is str:
        return int(value)
    if type(value) is float and value.is_integer():
        return int(value)
    raise ValueError(value)


def _parse_double(value: Any) -> float:
    if type(value) is float or type(value) is int:
        return float(value)
    if type(value) is str:
        # Also covers the mapping's "NaN", "Infinity" and "-Infinity".
        return float(value)
    raise ValueError(value)


def decode_base64(text: str) -> bytes:
    """Standard or URL-safe base64, padding optional. Raises binascii.Error."""
    text = text.translate(_URLSAFE_TO_STANDARD)
    return b64decode(text + "=" * (-len(text) % 4), validate=True)


@lru_cache(maxsize=16)
def json_attribute_reader(limits: Limits, *, quick: bool = True) -> JsonAttributeReader:
    """The attribute reader for these limits.

    ``quick=False`` gives the reference reader, which checks every pair in
    order; the quick one must always answer exactly as it does (tests compare).
    """
    max_attributes = limits.max_attributes
    max_bytes = limits.max_value_bytes
    max_depth = limits.max_depth
    quick_chars = max_bytes // 4

    def scalar(kind: int, x: Any) -> Any:
        if kind == _INT:
            try:
                return parse_int(x)
            except ValueError:
                raise ValueRefused(
                    f"has intValue {show(str(x))}, which is not an integer"
                ) from None
        if kind == _BOOL:
            if type(x) is not bool:
                raise ValueRefused(f"has boolValue that is {json_type(x)}, not true/false")
            return x
        if kind == _DOUBLE:
            try:
                return _parse_double(x)
            except ValueError:
                raise ValueRefused(
                    f"has doubleValue {show(str(x))}, which is not a number"
                ) from None
        if type(x) is not str:
            raise ValueRefused(f"has bytesValue that is {json_type(x)}, not a base64 string")
        if len(x) > (max_bytes + 2) // 3 * 4 + 4:
            # Certainly too large: say so without decoding it.
            size = len(x.rstrip("=")) * 3 // 4
            raise ValueRefused(f"is {size} bytes; the limit is {max_bytes} bytes")
        try:
            data = decode_base64(x)
        except (binascii.Error, ValueError):
            raise ValueRefused("has bytesValue that is not valid base64") from None
        check_bytes(data, max_bytes)
        return data

    def entries(x: Any, field: str) -> list[Any]:
        if x is None:
            return []
        values = x.get("values") if type(x) is dict else None
        if values is None and type(x) is dict:
            return []
        if type(values) is not list:
            raise ValueRefused(f"has {field} that is not an object with a 'values' list")
        return values

    def value(v: Any, depth: int) -> Any:
        if v is None:
            return None
        if type(v) is not dict:
            raise ValueRefused(f"has a value that is {json_type(v)}, not an AnyValue object")
        for name, x in v.items():
            kind = _KINDS.get(name)
            if kind is None or x is None:
                continue  # unknown field, or an explicit null meaning "not set"
            if kind == _STRING:
                if type(x) is not str:
                    raise ValueRefused(f"has stringValue that is {json_type(x)}, not a string")
                if len(x) > quick_chars:
                    check_text(x, max_bytes)
                return x
            if kind == _ARRAY:
                if depth >= max_depth:
                    raise too_deep(max_depth)
                return [value(item, depth + 1) for item in entries(x, "arrayValue")]
            if kind == _KVLIST:
                if depth >= max_depth:
                    raise too_deep(max_depth)
                out: dict[str, Any] = {}
                for pair in entries(x, "kvlistValue"):
                    if type(pair) is not dict:
                        raise ValueRefused("has a kvlistValue entry that is not an object")
                    out[_key(pair)] = value(pair.get("value"), depth + 1)
                return out
            return scalar(kind, x)
        return None  # an empty AnyValue, which OTLP allows

    def careful(items: Any) -> dict[str, Any]:
        # The reference reader: every check in order, so refusals name the first problem.
        if items is None:
            return {}
        if type(items) is not list:
            raise ValueRefused(f" has attributes that are {json_type(items)}, not a list")
        if len(items) > max_attributes:
            raise ValueRefused(" " + too_many("attributes", len(items), max_attributes))
        out: dict[str, Any] = {}
        key = ""
        try:
            for position, pair in enumerate(items):
                if type(pair) is not dict:
                    key = f"#{position}"
                    raise ValueRefused(f"is {json_type(pair)}, not a KeyValue object")
                raw_key = pair.get("key")
                if type(raw_key) is not str:
                    key = f"#{position}"
                    raw_key = _key(pair)
                key = raw_key
                out[key] = value(pair.get("value"), 0)
        except ValueRefused as exc:
            raise ValueRefused(f": attribute {show(key)} {exc}") from None
        return out

    if not quick:
        return careful

    def read(items: Any) -> dict[str, Any]:
        # Nearly every attribute is a {"key": str, "value": {one scalar}} pair:
        # read those inline, send other values through value(), and hand the
        # whole list to careful() at the first thing out of the ordinary (its
        # result, or its refusal, is then the answer).
        if type(items) is not list or len(items) > max_attributes:
            return careful(items)
        out: dict[str, Any] = {}
        try:
            for pair in items:
                key = pair["key"]  # KeyError/TypeError when absent or not an object
                v = pair["value"]
                if type(key) is not str:
                    return careful(items)
                if type(v) is dict and len(v) == 1:
                    if "stringValue" in v:
                        x = v["stringValue"]
                        if type(x) is str and len(x) <= quick_chars:
                            out[key] = x
                            continue
                    elif "intValue" in v:
                        x = v["intValue"]
                        if type(x) is str:
                            out[key] = int(x)  # ValueError when not an integer
                            continue
                        if type(x) is int:
                            out[key] = x
                            continue
                    elif "boolValue" in v:
                        x = v["boolValue"]
                        if type(x) is bool:
                            out[key] = x
                            continue
                    elif "doubleValue" in v:
                        x = v["doubleValue"]
                        if type(x) is float:
                            out[key] = x
                            continue
                out[key] = value(v, 0)
        except (KeyError, TypeError, ValueError, ValueRefused):
            return careful(items)
        return out

    return read


def _key(pair: dict[str, Any]) -> str:
    key = pair.get("key")
    if type(key) is str:
        return key
    if key is None:
        return ""
    raise ValueRefused(f"has a key that is {json_type(key)}, not a string")
