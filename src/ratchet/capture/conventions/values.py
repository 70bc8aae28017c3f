"""Small value coercions shared by the convention readers.

Instrumentations disagree on how they send the same thing: a payload may be a
JSON string or a structured value, a token count an int or a numeric string.
These helpers turn what arrives into what the store keeps, cheaply: they run
for every attribute of every ingested span, so they branch on exact types and
avoid regular expressions.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson

_SCALARS = (str, int, float, bool, type(None))


def json_safe(value: Any) -> Any:
    """``value`` with bytes turned into base64 text, so the record serialises as JSON."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is bytes or kind is bytearray:
        return base64.b64encode(value).decode("ascii")
    if kind is list or kind is tuple:
        return [json_safe(v) for v in value]
    if kind is dict:
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return str(value)


def parse_json_text(text: str, *, declared_json: bool = False) -> Any:
    """Parse ``text`` as JSON when it is JSON; otherwise return it unchanged.

    Without a declared JSON mime type only an object or an array is parsed:
    a plain answer such as ``42`` or ``"yes"`` stays the string the
    application sent, since treating it as JSON would change its meaning.

    Args:
        text: the payload as sent.
        declared_json: the sender said the payload is ``application/json``.
    """
    stripped = text.lstrip()
    if not stripped:
        return text
    if not declared_json and stripped[0] not in "{[":
        return text
    try:
        return orjson.loads(stripped)
    except orjson.JSONDecodeError:
        return text


def parse_payload(value: Any, mime_type: Any = None) -> Any:
    """A payload attribute as a Python value: JSON text parsed, structured values kept."""
    if isinstance(value, str):
        declared = isinstance(mime_type, str) and mime_type.endswith("json")
        return parse_json_text(value, declared_json=declared)
    return json_safe(value)


def as_int(value: Any) -> int | None:
    """A count as an int, or None when it is missing or not a number."""
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is bool or value is None:
        return None
    if kind is float or kind is str:
        try:
            return int(float(value))
        except (ValueError, OverflowError):
            return None
    return None


def as_float(value: Any) -> float | None:
    """A cost as a float, or None when it is missing or not a number."""
    kind = type(value)
    if kind is float or kind is int:
        return float(value)
    if kind is str:
        try:
            return float(value)
        except ValueError:
            return None
    return None


def as_text(value: Any) -> str | None:
    """A name-like attribute as a non-empty string, or None."""
    if value is None:
        return None
    text = value if type(value) is str else str(value)
    return text or None
