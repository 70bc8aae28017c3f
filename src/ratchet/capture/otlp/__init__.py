"""OTLP/HTTP trace bodies (protobuf and JSON, gzip) decoded into :class:`RawSpan` s."""

from ratchet.capture.otlp.body import decompress
from ratchet.capture.otlp.errors import (
    SUPPORTED_ENCODINGS,
    BodyTooLarge,
    UndecodableBody,
    UnsupportedEncoding,
)
from ratchet.capture.otlp.json_decode import decode_json
from ratchet.capture.otlp.limits import DEFAULT_LIMITS, Limits
from ratchet.capture.otlp.protobuf_decode import decode_protobuf

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_ENCODINGS",
    "BodyTooLarge",
    "Limits",
    "UndecodableBody",
    "UnsupportedEncoding",
    "decode_json",
    "decode_protobuf",
    "decompress",
]
