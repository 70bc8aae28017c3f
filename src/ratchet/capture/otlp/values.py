"""Serialized OTLP ``KeyValue`` attributes turned into plain Python values.

Attributes are most of a span's decoding time, so the common shapes (a key
with a string, int, bool or double value, as every SDK serializes them) are
read straight from the wire bytes. Anything else — bytes, arrays, kvlists,
empty values, unusual field order, unknown fields, malformed data — goes
through the real ``KeyValue`` class, so the result is always what the
protobuf runtime itself would produce.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from google.protobuf.message import DecodeError
from opentelemetry.proto.common.v1.common_pb2 import KeyValue

from ratchet.capture.otlp.limits import (
    Limits,
    ValueRefused,
    check_bytes,
    check_text,
    show,
    too_deep,
    too_many,
)

#: Reads a repeated field of serialized ``KeyValue`` s into a dict, or raises
#: :class:`ValueRefused` whose text follows the owner's name
#: (`` has 2000 attributes; …`` or ``: attribute 'k' is … bytes; …``).
AttributeReader = Callable[[Sequence[bytes]], dict[str, Any]]

_unpack_double = struct.Struct("<d").unpack_from

#: Attributes serialized in at most this many bytes are remembered once decoded…
_REMEMBERED_BYTES = 128
#: …up to this many per reader (then forgotten all at once: about 1 MB at most).
_REMEMBERED_COUNT = 4096


def _varint(raw: bytes, pos: int) -> tuple[int, int]:
    """Read a varint at ``pos``; return (value, next position). IndexError if cut short."""
    value = shift = 0
    while True:
        byte = raw[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _name_of(raw: bytes, position: int) -> str:
    """Name an attribute that failed to parse: its key if that much is readable."""
    try:
        if raw[0] == 0x0A:
            length, start = _varint(raw, 1)
            if start + length <= len(raw):
                return show(raw[start : start + length].decode())
    except (IndexError, UnicodeDecodeError):
        pass
    return f"#{position}"


@lru_cache(maxsize=8)
def attribute_reader(limits: Limits) -> AttributeReader:
    """The attribute reader for these limits (built once; limits bound as local names)."""
    max_attributes = limits.max_attributes
    max_bytes = limits.max_value_bytes
    max_depth = limits.max_depth
    # A string of at most this many characters cannot exceed max_bytes in UTF-8.
    quick_chars = max_bytes // 4

    def value(v: Any, depth: int) -> Any:
        kind = v.WhichOneof("value")
        if kind == "string_value":
            s: str = v.string_value
            if len(s) > quick_chars:
                check_text(s, max_bytes)
            return s
        if kind == "int_value":
            return v.int_value
        if kind == "bool_value":
            return v.bool_value
        if kind == "double_value":
            return v.double_value
        if kind == "bytes_value":
            b: bytes = v.bytes_value
            check_bytes(b, max_bytes)
            return b
        if kind == "array_value":
            if depth >= max_depth:
                raise too_deep(max_depth)
            return [value(item, depth + 1) for item in v.array_value.values]
        if kind == "kvlist_value":
            if depth >= max_depth:
                raise too_deep(max_depth)
            return {pair.key: value(pair.value, depth + 1) for pair in v.kvlist_value.values}
        # An empty AnyValue (allowed by OTLP), or a kind newer than this reader.
        return None

    def general(raw: bytes, position: int) -> tuple[str, Any]:
        try:
            pair = KeyValue.FromString(raw)
        except DecodeError as exc:
            name = _name_of(raw, position)
            if "MaxDepth" in str(exc):
                # Past the runtime's recursion limit, which is far past ours.
                raise ValueRefused(f": attribute {name} {too_deep(max_depth)}") from None
            raise ValueRefused(
                f": attribute {name} is not a valid KeyValue (truncated, or text not UTF-8)"
            ) from None
        key: str = pair.key
        try:
            return key, value(pair.value, 0)
        except ValueRefused as exc:
            raise ValueRefused(f": attribute {show(key)} {exc}") from None

    # Most attributes repeat across spans verbatim (span kinds, model names,
    # mime types, roles): remember small ones already decoded. Only fast-path
    # results go in, so every entry is immutable and passed these limits.
    seen: dict[bytes, tuple[str, Any]] = {}
    recall = seen.get

    def read(items: Sequence[bytes]) -> dict[str, Any]:
        if len(items) > max_attributes:
            raise ValueRefused(" " + too_many("attributes", len(items), max_attributes))
        out: dict[str, Any] = {}
        for position, raw in enumerate(items):
            size = len(raw)
            if size <= _REMEMBERED_BYTES:
                known = recall(raw)
                if known is not None:
                    out[known[0]] = known[1]
                    continue
            # The fast path below handles `key (1-byte length), value (length < 16 KiB)`
            # holding one string/int/bool/double field and nothing else; every
            # other shape, and every error, takes the general path. Wire tags are
            # literals (field number << 3 | wire type) to spare global lookups:
            # KeyValue key 0x0A, value 0x12; AnyValue string 0x0A, bool 0x10,
            # int 0x18, double 0x21.
            try:
                p = raw[1] + 2
                if raw[0] != 0x0A or p > 129 or raw[p] != 0x12:
                    raise IndexError
                key = raw[2:p].decode()
                n = raw[p + 1]
                if n < 0x80:
                    p += 2
                elif raw[p + 2] < 0x80:
                    n = (n & 0x7F) | raw[p + 2] << 7
                    p += 3
                else:
                    raise IndexError
                if p + n != size:
                    raise IndexError
                tag = raw[p]
                if tag == 0x0A:
                    n = raw[p + 1]
                    if n < 0x80:
                        p += 2
                    elif raw[p + 2] < 0x80:
                        n = (n & 0x7F) | raw[p + 2] << 7
                        p += 3
                    else:
                        raise IndexError
                    if p + n != size:
                        raise IndexError
                    if n > max_bytes:
                        raise ValueRefused(
                            f": attribute {show(key)} is {n} bytes; the limit is {max_bytes} bytes"
                        )
                    parsed: Any = raw[p:].decode()
                elif tag == 0x18:
                    parsed, p = _varint(raw, p + 1)
                    if p != size or parsed >> 64:
                        raise IndexError
                    if parsed >> 63:  # int64 is sent as its 64-bit two's complement
                        parsed -= 1 << 64
                elif tag == 0x10 and p + 2 == size and raw[p + 1] < 0x80:
                    parsed = raw[p + 1] != 0
                elif tag == 0x21 and p + 9 == size:
                    parsed = _unpack_double(raw, p + 1)[0]
                else:
                    raise IndexError
            except (IndexError, UnicodeDecodeError):
                key, parsed = general(raw, position)
                out[key] = parsed
                continue
            out[key] = parsed
            if size <= _REMEMBERED_BYTES:
                if len(seen) >= _REMEMBERED_COUNT:
                    seen.clear()
                seen[raw] = (key, parsed)
        return out

    return read
