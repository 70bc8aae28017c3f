"""Detectors register like plugins; a broken plugin or detector is reported, never fatal."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ratchet.capture.signals import (
    REGISTRY,
    Detected,
    Scope,
    SessionView,
    TraceView,
    detect,
    plugins,
    run_detectors,
    session_detector,
    trace_detector,
)
from ratchet.core.signals import SignalKind

from .build import found, tool, trace_id, turn

PLUGIN_MODULE = "ratchet_test_detector_plugin"
BUILTINS = {
    "abandonment",
    "corrective_follow_up",
    "cost_outlier",
    "frustration",
    "latency_outlier",
    "partial_completion",
    "policy_denial",
    "rephrasing",
    "retry",
    "tool_error",
    "tool_loop",
}


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Detectors registered by a test vanish after it; plugins are read afresh."""
    monkeypatch.setattr(REGISTRY, "_detectors", dict(REGISTRY._detectors))
    plugins.reset_plugins()
    yield
    plugins.reset_plugins()
    sys.modules.pop(PLUGIN_MODULE, None)


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, *entries: tuple[str, str]) -> None:
    """Make ``importlib.metadata`` list these (name, value) pairs as ``ratchet.detectors``."""
    listed = [importlib.metadata.EntryPoint(name, value, plugins.GROUP) for name, value in entries]

    def entry_points(**selection: Any) -> list[importlib.metadata.EntryPoint]:
        assert selection == {"group": plugins.GROUP}
        return listed

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def test_every_built_in_detector_is_registered_with_its_summary() -> None:
    assert set(REGISTRY.names()) >= BUILTINS
    for name in BUILTINS:
        registered = REGISTRY.get(name)
        assert registered is not None
        assert registered.doc, name
    assert REGISTRY.get("rephrasing").scope is Scope.SESSION  # type: ignore[union-attr]
    assert REGISTRY.get("tool_loop").scope is Scope.TRACE  # type: ignore[union-attr]


def test_a_plugin_detector_loads_from_its_entry_point_and_runs(
    registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / f"{PLUGIN_MODULE}.py").write_text(
        textwrap.dedent(
            """
            from ratchet.capture.signals import Detected, trace_detector
            from ratchet.core.signals import SignalKind

            @trace_detector("refund_without_read")
            def refund_without_read(view):
                '''A refund issued without reading the order first.'''
                names = [s.name for s in view.tool_spans]
                if "issue_refund" in names and "read_order" not in names:
                    yield Detected(SignalKind.TOOL_ERROR, 0.8, view.trace_id, view.session_id,
                                   "refund_without_read", {"tools": names})
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    fake_entry_points(monkeypatch, ("refunds", PLUGIN_MODULE))
    traces = [turn(1, "Refund ord_1", "Done.", steps=[tool("issue_refund", order_id="ord_1")])]

    [signal] = detect(traces, only=["refund_without_read"])

    assert signal.detector == "refund_without_read"
    assert signal.evidence == {"tools": ["issue_refund"]}
    assert REGISTRY.get("refund_without_read").doc == (  # type: ignore[union-attr]
        "A refund issued without reading the order first."
    )


def test_a_broken_plugin_is_reported_and_the_others_still_run(
    registry: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake_entry_points(monkeypatch, ("gone", "ratchet_no_such_module_anywhere"))
    traces = [turn(1, "This is useless!!", "Sorry.")]

    result = run_detectors(traces)
    logged = detect(traces)

    assert [s.kind for s in result.detected] == [SignalKind.FRUSTRATION]
    [problem] = result.problems
    assert problem.startswith("detector plugin 'gone' (ratchet_no_such_module_anywhere) failed")
    assert "ModuleNotFoundError" in problem
    assert [s.kind for s in logged] == [SignalKind.FRUSTRATION]
    assert "detector plugin 'gone'" in caplog.text


def test_a_detector_that_raises_or_misbehaves_is_reported_once_with_a_count(
    registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_entry_points(monkeypatch)

    @trace_detector("explodes")
    def explodes(view: TraceView) -> list[Detected]:
        raise KeyError("missing")

    @session_detector("says_hello")
    def says_hello(session: SessionView) -> list[Any]:
        return ["hello"]

    traces = [turn(n, "Where is my parcel?", "On its way.", session=f"s{n}") for n in (1, 2)]

    result = run_detectors(traces, only=["explodes", "says_hello", "frustration"])

    assert result.detected == []
    assert result.problems == [
        "detector 'explodes' failed 2 times; first: raised KeyError: 'missing'",
        "detector 'says_hello' failed 2 times; first: yielded str, not Detected",
    ]


def test_a_strength_outside_0_to_1_is_clamped(
    registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_entry_points(monkeypatch)

    @trace_detector("overeager")
    def overeager(view: TraceView) -> list[Detected]:
        return [Detected(SignalKind.REPORT, 7.0, view.trace_id, None, "overeager")]

    [signal] = found([turn(1, "hi", "hello")], "overeager")

    assert signal.strength == 1.0


def test_registering_a_taken_name_is_refused(registry: None) -> None:
    with pytest.raises(ValueError, match="a detector named 'tool_loop' is already registered"):

        @trace_detector("tool_loop")
        def another(view: TraceView) -> list[Detected]:
            return []


def test_unknown_names_in_only_are_refused_with_the_known_ones(
    registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_entry_points(monkeypatch)

    with pytest.raises(ValueError, match=r"unknown detector\(s\): tool_lop; known: abandonment"):
        detect([], only=["tool_lop"])


def test_a_finding_becomes_a_stored_signal_naming_its_detector() -> None:
    traces = [turn(1, "Can I speak to a human?", "Connecting you.", session="sess_9")]
    [finding] = found(traces, "frustration")
    at = datetime(2026, 4, 20, 10, 0, tzinfo=UTC)

    signal = finding.to_signal("sig_000000000001", at)

    assert signal.id == "sig_000000000001"
    assert signal.kind is SignalKind.FRUSTRATION
    assert signal.trace_id == trace_id(1)
    assert signal.session_id == "sess_9"
    assert signal.strength == finding.strength
    assert signal.created_by == "detector:frustration"
    assert signal.created_at == at
    assert signal.evidence["detector"] == "frustration"
    assert signal.evidence["cues"] == finding.evidence["cues"]
    assert finding.key == ("frustration", "frustration", trace_id(1), "sess_9")


def test_detection_is_deterministic_and_the_same_batch_gives_the_same_keys() -> None:
    traces = [
        turn(
            1,
            "Book Tuesday",
            "Sorry, I couldn't.",
            final_status="failed",
            steps=[tool("read_calendar", "error", date="d")] * 2,
        ),
        turn(
            2,
            "Trying again: book Tuesday please",
            "Still failing.",
            final_status="failed",
            at_minutes=3,
        ),
    ]

    first = detect(traces)
    second = detect(list(reversed(traces)))

    assert sorted(d.key for d in first) == sorted(d.key for d in second)
    assert {d.detector for d in first} >= {"abandonment", "rephrasing", "tool_error", "retry"}
