"""Cost and latency outliers against robust per-surface baselines."""

from __future__ import annotations

import random

import pytest

from ratchet.capture.signals import Baselines, Sample, detect
from ratchet.capture.signals.baselines import stats_of
from ratchet.core.signals import SignalKind
from ratchet.core.traces import Trace

from .build import found, trace_id, turn


def _traffic(count: int, *, surface: str = "web", seed: int = 3) -> list[Trace]:
    rng = random.Random(seed)
    return [
        turn(
            n,
            "Where is my parcel?",
            "On its way.",
            session=f"sess_{n}",
            at_minutes=n,
            surface=surface,
            cost=round(rng.uniform(0.002, 0.004), 6),
            duration_ms=rng.uniform(1500, 3000),
        )
        for n in range(1, count + 1)
    ]


def test_a_run_far_above_its_surface_is_a_cost_and_latency_outlier() -> None:
    traffic = _traffic(60)
    slow = turn(
        999, "Where is my parcel?", "On its way.", session="sess_x", cost=0.05, duration_ms=40_000
    )

    signals = detect([*traffic, slow], only=["cost_outlier", "latency_outlier"])

    assert {(s.kind, s.trace_id) for s in signals} == {
        (SignalKind.COST_OUTLIER, trace_id(999)),
        (SignalKind.LATENCY_OUTLIER, trace_id(999)),
    }
    cost = next(s for s in signals if s.kind is SignalKind.COST_OUTLIER)
    assert cost.evidence["value"] == 0.05
    assert cost.evidence["surface"] == "web"
    assert cost.evidence["baseline"]["count"] == 61
    assert cost.evidence["times_median"] > 10
    assert cost.strength == 1.0


def test_ordinary_variation_is_not_an_outlier() -> None:
    assert detect(_traffic(200), only=["cost_outlier", "latency_outlier"]) == []


def test_with_too_few_runs_on_a_surface_nothing_fires() -> None:
    traffic = _traffic(10)
    slow = turn(999, "Where is my parcel?", "On its way.", cost=0.5, duration_ms=90_000)

    assert detect([*traffic, slow], only=["cost_outlier", "latency_outlier"]) == []


def test_baselines_given_are_used_and_survive_a_round_trip() -> None:
    baselines = Baselines.from_traces(_traffic(80))
    kept = Baselines.from_dict(baselines.to_dict())
    slow = turn(999, "Where is my parcel?", "On its way.", duration_ms=60_000)

    [signal] = found([slow], "latency_outlier", baselines=kept)

    assert kept == baselines
    assert signal.evidence["baseline"]["count"] == 80


def test_a_surface_without_enough_runs_falls_back_to_its_service() -> None:
    baselines = Baselines.from_traces(_traffic(40, surface="web") + _traffic(5, surface="email"))
    slow = turn(999, "Where is my parcel?", "On its way.", surface="email", duration_ms=60_000)

    [signal] = found([slow], "latency_outlier", baselines=baselines)

    assert signal.evidence["baseline"]["count"] == 45


def test_runs_are_compared_with_their_own_service() -> None:
    cheap = _traffic(40)
    dear = [
        turn(
            500 + n,
            "Summarise the contract",
            "Summary…",
            service="contracts",
            cost=0.4,
            session=f"c{n}",
            duration_ms=30_000,
        )
        for n in range(40)
    ]

    assert detect(cheap + dear, only=["cost_outlier", "latency_outlier"]) == []


def test_a_rolled_up_cost_on_a_parent_is_not_counted_twice() -> None:
    run = turn(1, "Where is my parcel?", "On its way.", cost=0.003)
    run.spans[0].cost = 0.003  # the agent root repeats its model call's cost

    baselines = Baselines.build([Sample("support-bot", "web", 0.003, 2000.0)] * 40)

    assert found([run], "cost_outlier", baselines=baselines) == []


@pytest.mark.parametrize("value", [1.0, 5.0, 1000.0])
def test_when_all_runs_are_alike_the_bound_is_twice_the_median(value: float) -> None:
    stats = stats_of([value] * 50)

    assert stats is not None
    assert stats.median == value
    assert stats.bound == pytest.approx(2 * value)
    assert stats.strength(value * 1.9) == 0.0
    assert stats.strength(value * 2.01) == pytest.approx(0.5, abs=0.01)
    assert stats.strength(value * 8) == 1.0


def test_a_wide_spread_moves_the_bound_past_twice_the_median() -> None:
    rng = random.Random(5)
    skewed = [rng.lognormvariate(0, 0.6) for _ in range(500)]

    stats = stats_of(skewed)

    assert stats is not None
    assert stats.bound > 3 * stats.median
    assert stats.p95 < stats.bound
