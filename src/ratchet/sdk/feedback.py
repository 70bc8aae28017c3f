"""Explicit feedback and incidents, posted by an application to a Ratchet server.

A thumbs-down from a user or an escalation from a support agent is the
loudest evidence a run went wrong; the application knows the trace or session
it happened in, so it sends that id along and the server joins the signal to
the trace. Everything is checked before sending so a typo fails at the call
site, not as a 400 in a log nobody reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ratchet.core import EXPLICIT_FEEDBACK_KINDS, IncidentSeverity, RatchetError
from ratchet.core.ids import is_trace_id

URL_ENV = "RATCHET_URL"
API_KEY_ENV = "RATCHET_API_KEY"

#: Kinds accepted by :func:`feedback`, in the order error messages list them.
FEEDBACK_KINDS: tuple[str, ...] = tuple(sorted(kind.value for kind in EXPLICIT_FEEDBACK_KINDS))
SEVERITIES: tuple[str, ...] = tuple(severity.value for severity in IncidentSeverity)


class FeedbackError(RatchetError):
    """Feedback or an incident could not be recorded: bad arguments, or the server said no.

    ``code`` and ``status`` carry the server's error code and HTTP status when
    it answered; an unreachable server is ``unavailable`` / 503.
    """


def feedback(
    kind: str,
    *,
    trace_id: str | None = None,
    session_id: str | None = None,
    comment: str | None = None,
    corrected_output: Any = None,
    url: str | None = None,
    api_key: str | None = None,
    client: httpx.Client | None = None,
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Record a person's verdict on a run (or a whole session).

    Args:
        kind: one of thumbs_down, thumbs_up, report, correction, override, escalation.
        trace_id: the run's OTel trace id, 32 hex characters.
        session_id: the ``session.id`` the runs were sent with; use it when the
            verdict is about a conversation rather than one run. At least one
            of ``trace_id`` and ``session_id`` is required.
        comment: what the person said went wrong (or right).
        corrected_output: for a correction, what the answer should have been.
        url: the server's base URL; defaults to ``$RATCHET_URL``.
        api_key: the project's key; defaults to ``$RATCHET_API_KEY``.
        client: an httpx client to reuse (its ``base_url`` is used when no URL is known).
        timeout: seconds to wait for the server.

    Returns:
        The signal the server created, as JSON.

    Raises:
        FeedbackError: invalid arguments, a refusal by the server, or no server reachable.
    """
    if kind not in FEEDBACK_KINDS:
        raise FeedbackError(
            f"unknown feedback kind {kind!r}: use one of {', '.join(FEEDBACK_KINDS)}",
            code="invalid_argument",
        )
    if trace_id is None and session_id is None:
        raise FeedbackError(
            "feedback needs trace_id= (one run) or session_id= (a conversation); got neither",
            code="invalid_argument",
        )
    body: dict[str, Any] = {"kind": kind}
    if trace_id is not None:
        body["trace_id"] = _checked_trace_id(trace_id)
    if session_id is not None:
        if not session_id.strip():
            raise FeedbackError("session_id is empty", code="invalid_argument")
        body["session_id"] = session_id
    if comment is not None:
        body["comment"] = comment
    if corrected_output is not None:
        body["corrected_output"] = corrected_output
    return _post("/api/v1/feedback", body, url, api_key, client, timeout)


def incident(
    severity: str,
    title: str,
    *,
    description: str | None = None,
    trace_ids: Iterable[str] = (),
    url: str | None = None,
    api_key: str | None = None,
    client: httpx.Client | None = None,
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Open an incident linked to the runs that show it.

    Args:
        severity: sev1 (worst) to sev4.
        title: one line naming what happened.
        description: what is known so far.
        trace_ids: OTel trace ids of runs that show the incident.
        url: the server's base URL; defaults to ``$RATCHET_URL``.
        api_key: the project's key; defaults to ``$RATCHET_API_KEY``.
        client: an httpx client to reuse.
        timeout: seconds to wait for the server.

    Returns:
        The incident the server created, as JSON.

    Raises:
        FeedbackError: invalid arguments, a refusal by the server, or no server reachable.
    """
    if severity not in SEVERITIES:
        raise FeedbackError(
            f"unknown incident severity {severity!r}: use one of {', '.join(SEVERITIES)}",
            code="invalid_argument",
        )
    if not title.strip():
        raise FeedbackError("an incident needs a title", code="invalid_argument")
    body: dict[str, Any] = {
        "severity": severity,
        "title": title,
        "trace_ids": [_checked_trace_id(trace_id) for trace_id in trace_ids],
    }
    if description is not None:
        body["description"] = description
    return _post("/api/v1/incidents", body, url, api_key, client, timeout)


def _checked_trace_id(trace_id: str) -> str:
    normalised = trace_id.strip().lower()
    if not is_trace_id(normalised):
        raise FeedbackError(
            f"trace_id {trace_id!r} is not an OTel trace id: expected 32 hex characters,"
            " e.g. format(span.get_span_context().trace_id, '032x')",
            code="invalid_argument",
        )
    return normalised


def _post(
    path: str,
    body: Mapping[str, Any],
    url: str | None,
    api_key: str | None,
    client: httpx.Client | None,
    timeout: float,
) -> dict[str, Any]:
    base = url if url is not None else os.environ.get(URL_ENV)
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if not key:
        raise FeedbackError(
            f"no Ratchet API key: pass api_key= or set {API_KEY_ENV}", code="unauthenticated"
        )
    if base:
        target = where = base.rstrip("/") + path
    elif client is not None and str(client.base_url):
        # A client built with base_url (a test client, say) already knows the server.
        target, where = path, str(client.base_url).rstrip("/") + path
    else:
        raise FeedbackError(
            f"no Ratchet server URL: pass url= or set {URL_ENV} (e.g. http://localhost:4318)",
            code="invalid_argument",
        )
    headers = {"Authorization": f"Bearer {key}"}
    try:
        if client is not None:
            response = client.post(target, json=dict(body), headers=headers, timeout=timeout)
        else:
            with httpx.Client(timeout=timeout) as own:
                response = own.post(target, json=dict(body), headers=headers)
    except httpx.HTTPError as exc:
        raise FeedbackError(
            f"cannot reach the Ratchet server at {where}: {exc or type(exc).__name__}."
            " Is `ratchet serve` running and the URL right?",
            code="unavailable",
            status=503,
        ) from exc
    if response.status_code >= 400:
        code, message = _server_error(response)
        raise FeedbackError(message, code=code, status=response.status_code)
    try:
        created = response.json()
    except ValueError as exc:
        raise FeedbackError(
            f"the Ratchet server answered {path} with something that is not JSON"
            f" (HTTP {response.status_code}); is {where} a Ratchet server?",
            code="unavailable",
            status=502,
        ) from exc
    if not isinstance(created, dict):
        raise FeedbackError(
            f"the Ratchet server answered {path} with {type(created).__name__}, not an object",
            code="unavailable",
            status=502,
        )
    return created


def _server_error(response: httpx.Response) -> tuple[str, str]:
    """The server's ``{"error": {"code", "message"}}``, or a description of what came instead."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        error = payload["error"]
        message = error.get("message")
        code = error.get("code")
        if isinstance(message, str) and message:
            return (code if isinstance(code, str) and code else "server_error", message)
    text = response.text.strip().replace("\n", " ")[:200]
    reason = response.reason_phrase or "error"
    detail = f": {text}" if text else ""
    message = f"the Ratchet server answered HTTP {response.status_code} {reason}{detail}"
    return ("server_error", message)
