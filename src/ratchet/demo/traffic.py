"""Simulated production: a week of both example agents' runs, sent like a real app sends them.

The demo needs production data with the two stories in it (the scheduling
date bug, the refund approval bypass) among ordinary successes, tool outages,
policy denials and rephrasings. This module produces it through the real
OpenTelemetry SDK and OTLP/HTTP exporter, to a Ratchet server's
``/v1/traces``, then posts the feedback people gave through the SDK, so the
demo exercises exactly the path a user's application takes. Everything is
deterministic for a seed and a start time: ids, timestamps, texts, feedback.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from ratchet.core import RatchetError, VersionManifest
from ratchet.demo.agents import refunds, scheduling
from ratchet.demo.agents.backends import Backends
from ratchet.demo.agents.people import make_customer
from ratchet.demo.agents.reactions import RunRecord, post_feedback
from ratchet.demo.agents.sessions import (
    Observed,
    SessionScript,
    Turn,
    refund_session,
    scheduling_session,
)
from ratchet.demo.agents.telemetry import AppTelemetry
from ratchet.demo.agents.toolbox import Agent, ProductionToolbox, RunInfo, RunOutcome

SCHEDULING_SERVICE = "scheduling-assistant"
REFUND_SERVICE = "refund-assistant"
WEEK = timedelta(days=7)


@dataclass
class TrafficReport:
    """What the simulation sent.

    Attributes:
        traces: runs sent (one trace each).
        sessions: conversations those runs belong to.
        failures: runs that went wrong (see ``failure_modes``).
        feedback_posted: feedback signals posted (trace- and session-level).
        trace_ids_with_feedback: traces that received trace-level feedback, in posting order.
        spans: spans the server acknowledged.
        trace_ids: every trace sent, in order.
        failure_modes: trace id → ``wrong-date-anchor`` | ``skipped-approval`` | ``tool-error``.
        services: runs per ``service.name``.
        policy_denials: runs a refund policy declined (correct behaviour).
        sessions_with_feedback: sessions that received session-level feedback.
    """

    traces: int
    sessions: int
    failures: int
    feedback_posted: int
    trace_ids_with_feedback: list[str]
    spans: int = 0
    trace_ids: list[str] = field(default_factory=list)
    failure_modes: dict[str, str] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)
    policy_denials: int = 0
    sessions_with_feedback: list[str] = field(default_factory=list)


@dataclass
class _Service:
    """One instrumented application: its own TracerProvider, exporter and backends."""

    name: str
    telemetry: AppTelemetry
    backends: Backends
    agent: Agent


def simulate_production(
    endpoint: str,
    api_key: str,
    *,
    traces: int = 300,
    seed: int = 7,
    start: datetime,
    feedback: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> TrafficReport:
    """Send a week of production runs of both demo agents (their buggy versions) to a server.

    Args:
        endpoint: the Ratchet server's base URL (``http://127.0.0.1:4318``); spans go
            to ``{endpoint}/v1/traces``, feedback to ``{endpoint}/api/v1/feedback``.
        api_key: the project's key, sent as a bearer token.
        traces: how many runs to send.
        seed: the same seed and start give the same traces, ids and feedback.
        start: the simulated "now": runs are spread over the week before it
            (a naive datetime is taken as UTC).
        feedback: also post the feedback users and support staff gave.
        progress: called with (runs sent, traces) after each run.

    Returns:
        What was sent, including which traces failed and how.

    Raises:
        RatchetError: the server refused the spans or could not be reached
            (``FeedbackError``, its subclass, when posting feedback failed).
    """
    if traces < 0:
        raise RatchetError(f"traces must be zero or more, got {traces}")
    base = endpoint.rstrip("/")
    begin = (start if start.tzinfo is not None else start.replace(tzinfo=UTC)) - WEEK
    rng = random.Random(f"ratchet-demo:{seed}")
    apps = (
        (SCHEDULING_SERVICE, scheduling.run_buggy, scheduling.PRODUCTION_VERSIONS),
        (REFUND_SERVICE, refunds.run_buggy, refunds.PRODUCTION_VERSIONS),
    )
    services = [
        _service(name, agent, versions, base, api_key, seed=seed, traces=traces)
        for name, agent, versions in apps
    ]
    report = TrafficReport(
        traces=0, sessions=0, failures=0, feedback_posted=0, trace_ids_with_feedback=[]
    )
    records: list[RunRecord] = []
    try:
        _send_sessions(services, rng, begin, traces, report, records, progress)
    finally:
        for service in services:
            service.telemetry.close()
    lost = sum(service.telemetry.lost for service in services)
    if lost:
        raise _undelivered(f"{base}/v1/traces", lost)
    report.spans = sum(service.telemetry.exported for service in services)
    report.failures = len(report.failure_modes)
    if feedback:
        with httpx.Client(timeout=10.0) as client:
            posted = post_feedback(records, base, api_key, client, seed=seed)
        report.feedback_posted = posted.count
        report.trace_ids_with_feedback = posted.trace_ids
        report.sessions_with_feedback = posted.session_ids
    return report


def _send_sessions(
    services: list[_Service],
    rng: random.Random,
    begin: datetime,
    traces: int,
    report: TrafficReport,
    records: list[RunRecord],
    progress: Callable[[int, int], None] | None,
) -> None:
    """Play sessions in time order until ``traces`` runs are sent; follow-ups count too."""
    scheduler, refunder = services
    offsets = sorted(rng.uniform(0, WEEK.total_seconds() - 3600) for _ in range(traces))
    order_number = 10400
    for offset in offsets:
        if report.traces >= traces:
            return
        moment = begin + timedelta(seconds=offset)
        customer = make_customer(rng)
        session_id = f"sess_{rng.getrandbits(48):012x}"
        if rng.random() < 0.5:
            service, script = scheduler, scheduling_session(rng, customer, moment.date())
        else:
            order_number += rng.randint(1, 40)
            order, script = refund_session(rng, customer, moment.date(), order_number)
            service = refunder
            service.backends.add_order(order)
        report.sessions += 1
        remaining = traces - report.traces
        played = _play(script, service, rng, moment, customer.user_id, session_id, remaining)
        for turn, outcome, failure in played:
            report.traces += 1
            report.trace_ids.append(outcome.trace_id)
            report.services[service.name] = report.services.get(service.name, 0) + 1
            if failure is not None:
                report.failure_modes[outcome.trace_id] = failure
            if outcome.final_status == "declined":
                report.policy_denials += 1
            records.append(RunRecord(service.name, session_id, turn, outcome, failure))
            if progress is not None:
                progress(report.traces, traces)
        # Stop early rather than simulate a week into the void when the server is gone.
        lost = sum(s.telemetry.lost for s in services)
        if lost:
            raise _undelivered(services[0].telemetry.endpoint, lost)


def _play(
    script: SessionScript,
    service: _Service,
    rng: random.Random,
    moment: datetime,
    user_id: str,
    session_id: str,
    remaining: int,
) -> list[tuple[Turn, RunOutcome, str | None]]:
    """Run a session's turns, feeding each outcome back to the script for the next."""
    played: list[tuple[Turn, RunOutcome, str | None]] = []
    turn: Turn | None = next(script)
    while turn is not None and len(played) < remaining:
        moment += timedelta(minutes=turn.delay_minutes)
        for tool, message, times in turn.outages:
            service.backends.fail_next(tool, message, times=times)
        refunds_before = len(service.backends.refunds)
        events_before = len(service.backends.events)
        toolbox = ProductionToolbox(
            service.telemetry.tracer, service.backends, start=moment, rng=rng
        )
        info = RunInfo(service.name.replace("-", "_"), session_id, user_id, turn.surface)
        outcome = toolbox.run(service.agent, turn.case, info)
        service.backends.clear_failures()
        failure = _failure_mode(service, turn, outcome, refunds_before, events_before)
        played.append((turn, outcome, failure))
        moment = outcome.end
        try:
            turn = script.send(Observed(outcome.output, outcome.final_status, failure))
        except StopIteration:
            turn = None
    script.close()
    return played


def _failure_mode(
    service: _Service, turn: Turn, outcome: RunOutcome, refunds_before: int, events_before: int
) -> str | None:
    """What went wrong in a run, judged against the simulated world, or None."""
    if outcome.final_status == "failed":
        return "tool-error"
    backends = service.backends
    if service.name == REFUND_SERVICE:
        limit = refunds.REFUND_POLICIES[refunds.DEFAULT_POLICY].approval_threshold
        issued = backends.refunds[refunds_before:]
        return "skipped-approval" if any(r["amount"] > limit for r in issued) else None
    booked = backends.events[events_before:]
    # A correct booking can only land later than asked (a full day moves it forward).
    if (
        booked
        and turn.expected_day is not None
        and booked[-1]["date"] < turn.expected_day.isoformat()
    ):
        return "wrong-date-anchor"
    return None


def _service(
    name: str,
    agent: Agent,
    versions: VersionManifest,
    base: str,
    api_key: str,
    *,
    seed: int,
    traces: int,
) -> _Service:
    telemetry = AppTelemetry.connect(
        name,
        versions,
        endpoint=f"{base}/v1/traces",
        api_key=api_key,
        id_seed=f"ratchet-demo:{seed}:{name}",
        # A queue big enough for every span of the run, so none is dropped before flushing.
        max_queue_size=max(2048, traces * 40),
    )
    return _Service(name, telemetry, Backends(seed), agent)


def _undelivered(url: str, lost: int) -> RatchetError:
    return RatchetError(
        f"{lost} spans could not be delivered to {url}: is a Ratchet server listening there,"
        " and is the API key one it knows? (the OTLP exporter's log above says what it answered)",
        code="unavailable",
        status=503,
    )
