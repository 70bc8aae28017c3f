"""Replaying one fixture against a candidate: the call, its trace, and how it ended.

``replay`` calls the agent once with the fixture's case and a toolbox of
mocks (DESIGN.md §3, agent adapter), under the fixture's timeout, and turns
what happened into a Trace (``source: replay``) rooted at an
``agent:<fixture id>`` span. It never raises for the agent's faults: an
exception, a hang, a return value outside the contract or a runaway number
of spans is an ``error`` on the outcome, in one line, which the runner
reports as an ERROR result.
"""

from __future__ import annotations

import asyncio
import inspect
import types
from collections.abc import Callable, Coroutine, Generator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from ratchet.core.clock import Clock, SystemClock
from ratchet.core.ids import IdSource, RandomIds
from ratchet.core.spans import SpanStatus, SpanType
from ratchet.core.traces import Trace, TraceSource, VersionManifest
from ratchet.evaluate.checks.registry import Run
from ratchet.evaluate.replay import agents
from ratchet.evaluate.replay.case import ReplayCase
from ratchet.evaluate.replay.construct import builder
from ratchet.evaluate.replay.recording import CURRENT, DEFAULT_MAX_SPANS, Recording, make_span
from ratchet.evaluate.replay.steps import one_line
from ratchet.evaluate.replay.threads import WORKERS
from ratchet.evaluate.replay.toolbox import SyncTools, Toolbox
from ratchet.evaluate.results import Finding
from ratchet.fixtures.model import Fixture

#: Seconds an agent gets per fixture when neither the fixture nor the caller says.
DEFAULT_TIMEOUT_S = 30.0
_EXPECTED = "expected a string or a mapping with `output`"
_build_trace = builder(Trace, dict(Trace(trace_id="0" * 32)))


@dataclass(slots=True)
class ReplayOutcome:
    """How one replay went.

    Attributes:
        trace: every span recorded (``source: replay``), even when the run failed.
        output: the agent's final output as text (structured output as JSON).
        error: why the run counts as an ERROR, in one line; None when it completed.
        findings: what is wrong with the fixture rather than with the agent.
        duration_ms: wall time of the call, by the replay's clock.
    """

    trace: Trace
    output: str | None
    error: str | None
    findings: list[Finding]
    duration_ms: float

    @property
    def stop_reason(self) -> str | None:
        return self.trace.stop_reason

    @property
    def final_status(self) -> str | None:
        return self.trace.final_status

    @property
    def run(self) -> Run:
        """What checks read."""
        return Run(self.trace, self.output)


async def replay(
    fixture: Fixture,
    agent: agents.Agent,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    strict_mocks: bool = False,
    clock: Clock | None = None,
    ids: IdSource | None = None,
    versions: VersionManifest | None = None,
    max_spans: int = DEFAULT_MAX_SPANS,
    is_async: bool | None = None,
) -> ReplayOutcome:
    """Run ``agent`` once on ``fixture`` with mocked tools and record what it did.

    Args:
        fixture: the case, its tool mocks and its own ``timeout_s``, if any.
        agent: ``agent(case, tools)``; async agents run in this event loop,
            sync ones on a worker thread with :class:`SyncTools`.
        timeout_s: seconds allowed when the fixture does not say.
        strict_mocks: a call no mock answers makes the run an error in itself;
            otherwise it is only a finding and the expectations judge the run.
        clock, ids: where times and ids come from (fixed ones make traces comparable).
        versions: the candidate's manifest, stamped on the trace.
        max_spans: spans kept besides the root; emitting more is an error.
        is_async: whether ``agent`` is a coroutine function; found out when None.
    """
    clock = clock or SystemClock()
    rec = Recording(clock=clock, ids=ids or RandomIds(), max_spans=max_spans)
    prepare()
    box = Toolbox(fixture, rec)
    case = ReplayCase(fixture)
    limit = fixture.timeout_s or timeout_s
    run_async = agents.is_async(agent) if is_async is None else is_async
    began = clock.monotonic()
    start = clock.now()
    token = CURRENT.set((rec, rec.root_id))
    try:
        value, error = await _call(agent, case, box, limit, run_async)
    finally:
        CURRENT.reset(token)
        rec.closed = True
        if rec.otel_open:
            from ratchet.evaluate.replay.otel_capture import PROCESSOR

            PROCESSOR.forget(rec)
    end = clock.now()
    duration_ms = (clock.monotonic() - began) * 1000
    output = stop_reason = final_status = None
    if error is None:
        output, stop_reason, final_status, error = _interpret(value)
    if error is None and rec.overflowed:
        error = (
            f"emitted more than {rec.max_spans} spans; the trace keeps the first {rec.max_spans}"
        )
    if error is None and strict_mocks and box.unanswered:
        called = ", ".join(repr(name) for name in box.unanswered)
        error = f"called {called} with no mock to answer (strict mocks)"
    stop_reason = stop_reason or rec.stop_reason
    final_status = final_status or rec.final_status

    attributes: dict[str, Any] = {}
    if stop_reason is not None:
        attributes["ratchet.stop_reason"] = stop_reason
    if final_status is not None:
        attributes["ratchet.final_status"] = final_status
    root = make_span(
        rec,
        rec.root_id,
        None,
        SpanType.AGENT,
        fixture.id,
        SpanStatus.ERROR if error else SpanStatus.OK,
        start,
        end,
        status_message=error,
        input=fixture.input,
        output=output,
        attributes=attributes,
    )
    spans = [root, *rec.spans]
    # A fresh empty manifest (1.7 µs) rather than a shared one someone could change.
    manifest = versions if versions is not None else VersionManifest()
    if rec.versions:  # what an instrumented agent stamped; the candidate's manifest wins
        manifest = VersionManifest.model_validate(rec.versions).merged(manifest)
    trace = _build_trace(
        {
            "trace_id": rec.trace_id,
            "name": fixture.id,
            "root_span_id": rec.root_id,
            "session_id": None,
            "user_id": None,
            "service": None,
            "surface": None,
            "versions": manifest,
            "source": TraceSource.REPLAY,
            "stop_reason": stop_reason,
            "final_status": final_status,
            "start": start,
            "end": end,
            "span_count": len(spans),
            "error_count": sum(1 for s in spans if s.status is SpanStatus.ERROR),
            "signal_count": 0,
            "spans": spans,
        }
    )
    return ReplayOutcome(trace, output, error, box.findings, duration_ms)


async def _call(
    agent: agents.Agent, case: ReplayCase, box: Toolbox, limit: float, run_async: bool
) -> tuple[Any, str | None]:
    """The agent's return value, or why there is none."""
    timeout: asyncio.Timeout | None = None
    try:
        if not run_async:
            timeout = asyncio.timeout(limit)
            async with timeout:
                tools = SyncTools(box)
                value = await WORKERS.run(lambda: agent(case, tools))
            if inspect.isawaitable(value):
                if inspect.iscoroutine(value):
                    value.close()
                return None, (
                    "agent is not a coroutine function but returned an awaitable; declare"
                    " it `async def` (a decorator must keep it one, e.g. functools.wraps)"
                )
            return value, None
        deadline = asyncio.get_running_loop().time() + limit
        value = agent(case, box)
        if inspect.iscoroutine(value):
            # Mocked tools never suspend, so most agents finish in their first step:
            # the timer (a few µs) is armed only when the agent actually waits.
            try:
                suspended = value.send(None)
            except StopIteration as done:
                return done.value, None
            timeout = asyncio.timeout_at(deadline)
            async with timeout:
                value = await _resume(value, suspended)
        elif inspect.isawaitable(value):
            timeout = asyncio.timeout_at(deadline)
            async with timeout:
                value = await value
        return value, None
    except TimeoutError as exc:
        if timeout is not None and timeout.expired():
            return None, f"timed out after {limit:g} s"
        return None, f"agent raised {one_line(exc)}"
    except (Exception, SystemExit) as exc:
        return None, f"agent raised {one_line(exc)}"


@types.coroutine
def _resume(coro: Coroutine[Any, Any, Any], suspended: Any) -> Generator[Any, Any, Any]:
    """The rest of ``coro`` after its first suspension, delegated as ``yield from`` does."""
    while True:
        try:
            sent = yield suspended
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:
            try:
                suspended = coro.throw(exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                suspended = coro.send(sent)
            except StopIteration as done:
                return done.value


def _interpret(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    """(output, stop_reason, final_status, error) from what the agent returned."""
    if isinstance(value, str):
        return value, None, None, None
    if isinstance(value, Mapping):
        if "output" not in value:
            keys = ", ".join(sorted(str(k) for k in value)) or "none"
            return None, None, None, f"agent returned a mapping without `output` (keys: {keys})"
        output = value["output"]
        if output is None:
            return None, None, None, "agent returned `output: None`; expected the final output"
        text = output if isinstance(output, str) else _json_text(output)
        return text, _text(value.get("stop_reason")), _text(value.get("final_status")), None
    returned = "None" if value is None else type(value).__name__
    return None, None, None, f"agent returned {returned}; {_EXPECTED}"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _json_text(value: Any) -> str:
    try:
        return orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return str(value)


_install: list[Callable[[], bool]] = []


def prepare() -> None:
    """Make ready what every replay needs: the capture of spans the agent emits through OTel.

    Done by the first replay if nobody did it before; a runner calls it up
    front, so its first wave of replays does not wait behind the import.
    """
    # Imported on first use, not with the package: the OTel SDK takes tens of
    # milliseconds to import, which commands that never replay should not pay.
    # Kept once imported: an import statement per replay costs a microsecond.
    if not _install:
        from ratchet.evaluate.replay.otel_capture import install

        _install.append(install)
    _install[0]()
