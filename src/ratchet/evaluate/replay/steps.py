"""Step spans (``with tools.span(type, name)``) and model turns, as a replay records them."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import Token
from types import TracebackType
from typing import Any

from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage
from ratchet.evaluate.replay.recording import CURRENT, Recording, make_span

SPAN_TYPES: dict[str, SpanType] = {t.value: t for t in SpanType}
SPAN_STATUSES: dict[str, SpanStatus] = {s.value: s for s in SpanStatus}


def span_type(value: object) -> SpanType:
    found = SPAN_TYPES.get(str(value))
    if found is None:
        raise ValueError(f"unknown span type {value!r}: use one of {', '.join(SPAN_TYPES)}")
    return found


def span_status(value: object) -> SpanStatus:
    found = SPAN_STATUSES.get(str(value))
    if found is None:
        raise ValueError(f"unknown span status {value!r}: use one of {', '.join(SPAN_STATUSES)}")
    return found


def one_line(exc: BaseException) -> str:
    """``Type: message`` on one line, as reports show it."""
    message = " ".join(str(exc).split())
    if len(message) > 500:
        message = message[:497] + "..."
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class StepSpan:
    """The span around a ``with tools.span(type, name) as step:`` block.

    Ends ``ok``, or ``error`` when the block raises; ``step.note(status=…)``
    says otherwise (``denied``, ``waiting``…), ``output=`` and ``attributes=``
    add what the step produced. Spans recorded inside the block nest under it.
    """

    __slots__ = ("_name", "_rec", "_span", "_status", "_token", "_type")

    def __init__(self, rec: Recording, span_type: SpanType, name: str) -> None:
        self._rec = rec
        self._type = span_type
        self._name = name
        self._span: Span | None = None
        self._token: Token[tuple[Recording, str] | None] | None = None
        self._status: SpanStatus | None = None

    def __enter__(self) -> StepSpan:
        rec = self._rec
        if rec.admit():
            now = rec.clock.now()
            span_id = rec.ids.hex(8)
            span = make_span(
                rec, span_id, rec.parent_id(), self._type, self._name, SpanStatus.UNSET, now, None
            )
            rec.spans.append(span)
            self._span = span
            self._token = CURRENT.set((rec, span_id))
        return self

    def note(
        self,
        *,
        status: str | None = None,
        output: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        """Say how the step ended and what it produced."""
        if status is not None:
            self._status = span_status(status)
        span = self._span
        if span is None:
            return
        if output is not None:
            span.output = output
        if attributes:
            span.attributes.update(attributes)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        span = self._span
        if span is None:
            return
        self._span = None
        if self._token is not None:
            try:  # noqa: SIM105 (a plain try costs nothing when nothing is raised)
                CURRENT.reset(self._token)
            except ValueError:  # exited in another context than entered: nothing to undo
                pass
            self._token = None
        span.end = self._rec.clock.now()
        if exc is not None:
            span.status = SpanStatus.ERROR
            span.status_message = one_line(exc)
        else:
            span.status = self._status or SpanStatus.OK


def record_step(
    rec: Recording,
    span_type: SpanType,
    name: str,
    *,
    status: SpanStatus = SpanStatus.OK,
    output: Any = None,
    attributes: dict[str, Any] | None = None,
) -> None:
    """A step that has already happened (the HTTP adapter's ``/spans``): one instant span."""
    if not rec.admit():
        return
    now = rec.clock.now()
    rec.spans.append(
        make_span(
            rec,
            rec.ids.hex(8),
            rec.parent_id(),
            span_type,
            name,
            status,
            now,
            now,
            output=output,
            attributes=attributes,
        )
    )


def record_model_turn(rec: Recording, turn: object) -> None:
    """A model span for one model call, read from whatever the turn object offers.

    Duck-typed so agents need not import Ratchet: ``name`` (or ``step``),
    ``model``, ``input`` (or ``messages``), ``output``, and ``tokens`` (or
    ``prompt_tokens`` / ``completion_tokens`` / ``total_tokens``).
    """
    if not rec.admit():
        return
    now = rec.clock.now()
    name = _text(getattr(turn, "name", None)) or _text(getattr(turn, "step", None)) or "model"
    given = getattr(turn, "input", None)
    messages = getattr(turn, "messages", None) if given is None else None
    rec.spans.append(
        make_span(
            rec,
            rec.ids.hex(8),
            rec.parent_id(),
            SpanType.MODEL,
            name,
            SpanStatus.OK,
            now,
            now,
            input=given if messages is None else [_message(m) for m in messages],
            output=getattr(turn, "output", None),
            model=_text(getattr(turn, "model", None)),
            tokens=_tokens(turn),
        )
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _message(message: object) -> Any:
    if isinstance(message, Mapping):
        return dict(message)
    return {"role": getattr(message, "role", None), "content": getattr(message, "content", None)}


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _tokens(turn: object) -> TokenUsage | None:
    given = getattr(turn, "tokens", None)
    if isinstance(given, TokenUsage):
        return given
    if isinstance(given, Mapping):
        prompt = _count(given.get("input", given.get("prompt")))
        completion = _count(given.get("output", given.get("completion")))
        total = _count(given.get("total"))
    else:
        prompt = _count(getattr(turn, "prompt_tokens", None))
        completion = _count(getattr(turn, "completion_tokens", None))
        total = _count(getattr(turn, "total_tokens", None))
    if prompt is None and completion is None and total is None:
        return None
    if total is None:
        total = (prompt or 0) + (completion or 0)
    return TokenUsage.model_construct(input=prompt, output=completion, total=total)
