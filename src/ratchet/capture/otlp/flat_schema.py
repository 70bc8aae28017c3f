"""A copy of the OTLP trace schema in which every ``attributes`` field stays undecoded bytes.

Walking attributes through the protobuf runtime's Python objects costs about
three wrapper objects and a oneof lookup per attribute, which made attributes
most of the decoding time. Parsing the request with this schema leaves each
``KeyValue`` as its serialized bytes, which
:mod:`ratchet.capture.otlp.values` reads directly (falling back to the real
``KeyValue`` class for anything unusual). A side effect matters as much: the
runtime no longer recurses into attribute values, so a value nested past its
recursion limit (~100 message levels, ~30 kvlist levels) refuses one span
instead of making the whole request unreadable.

The schema is derived at run time from the installed ``opentelemetry-proto``
descriptors, so it always matches the real one except for those fields; the
wire format of a repeated message field and of a repeated bytes field is the
same, so any valid request parses identically.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

_KEY_VALUE = ".opentelemetry.proto.common.v1.KeyValue"
_REQUEST = "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"


def _files_in_dependency_order() -> list[Any]:
    ordered: list[Any] = []

    def visit(file: Any) -> None:
        for dependency in file.dependencies:
            visit(dependency)
        if file not in ordered:
            ordered.append(file)

    visit(trace_service_pb2.DESCRIPTOR)
    return ordered


def _flatten(message: descriptor_pb2.DescriptorProto) -> None:
    for field in message.field:
        if field.type_name == _KEY_VALUE:
            field.type = descriptor_pb2.FieldDescriptorProto.TYPE_BYTES
            field.ClearField("type_name")
    for nested in message.nested_type:
        _flatten(nested)


@cache
def flat_request_class() -> Any:
    """The ExportTraceServiceRequest class whose ``attributes`` are lists of KeyValue bytes."""
    pool = descriptor_pool.DescriptorPool()
    for file in _files_in_dependency_order():
        proto = descriptor_pb2.FileDescriptorProto()
        file.CopyToProto(proto)
        proto.ClearField("service")
        for message in proto.message_type:
            _flatten(message)
        pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(_REQUEST))
