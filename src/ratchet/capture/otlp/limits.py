"""How much one span may carry, and the messages that say which span broke which limit.

Limits protect the store and every later stage from a single runaway span (an
agent that dumps a whole document into an attribute, a loop that adds an
attribute per step). A span over a limit is refused on its own; its siblings
in the same request are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024

#: Longest name or key quoted in a message, so a huge value cannot bloat the error reply.
_SHOWN_CHARS = 80


@dataclass(frozen=True)
class Limits:
    """Per-span limits applied while decoding.

    Attributes:
        max_attributes: attributes per span; also per resource and per event.
        max_value_bytes: UTF-8 bytes of one string value, or length of one bytes
            value, at any nesting level.
        max_depth: how many arrays/kvlists may nest inside one attribute value
            (an array of strings is depth 1).
        max_events: events per span.
    """

    max_attributes: int = 1024
    max_value_bytes: int = 1 * MiB
    max_depth: int = 16
    max_events: int = 1024


DEFAULT_LIMITS = Limits()


class ValueRefused(Exception):
    """An attribute value breaks a limit or is malformed; the text finishes a sentence.

    The text starts after the attribute's name, e.g. ``is 2097152 bytes; the
    limit is 1048576 bytes``, so callers can prefix where the value sits.
    """


class SpanRefused(Exception):
    """A span (or all spans of a resource) cannot be kept; the text is the user's message."""


def show(text: str) -> str:
    """Quote a name or key for a message, shortened so the message stays one short line."""
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 1] + "…"
    return repr(text)


def check_text(text: str, max_bytes: int) -> None:
    """Refuse a string whose UTF-8 encoding is longer than ``max_bytes``.

    Callers only reach here when ``len(text) * 4`` could exceed the limit, so
    ordinary values never pay for an encode.
    """
    if len(text) > max_bytes:
        size = len(text.encode("utf-8", "surrogatepass"))
    elif len(text) * 4 <= max_bytes:
        return
    else:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size <= max_bytes:
            return
    raise ValueRefused(f"is {size} bytes; the limit is {max_bytes} bytes")


def check_bytes(data: bytes, max_bytes: int) -> None:
    """Refuse a bytes value longer than ``max_bytes``."""
    if len(data) > max_bytes:
        raise ValueRefused(f"is {len(data)} bytes; the limit is {max_bytes} bytes")


def too_deep(max_depth: int) -> ValueRefused:
    """The refusal for a value whose arrays/kvlists nest deeper than allowed."""
    return ValueRefused(
        f"nests arrays/kvlists more than {max_depth} levels deep; the limit is {max_depth}"
    )


def too_many(what: str, count: int, limit: int) -> str:
    """The tail of a message for a count over its limit, e.g. ``has 10000 attributes; …``."""
    return f"has {count} {what}; the limit is {limit}"


def resource_refusal(index: int, reason: str, spans: int) -> str:
    """The message for a resource over a limit, which takes all its spans with it."""
    refused = "its span was refused" if spans == 1 else f"its {spans} spans were refused"
    return f"resource {index}{reason} ({refused})"


def span_label(index: int, name: str) -> str:
    """How messages name a span: its position in the request (from 0) and its name."""
    return f"span {index} ({show(name)})"
