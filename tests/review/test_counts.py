"""Failure-mode counts: Wilson intervals, the summary line, and breakdowns by group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ratchet.core.review import FailureMode, FailureModeStatus
from ratchet.review.counts import (
    ReviewedTrace,
    Share,
    count_modes,
    format_share,
    iso_week,
    wilson_interval,
)

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # ISO week 2026-W10


# Published 95% Wilson intervals (Newcombe, Statistics in Medicine 1998, table I).
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
    ],
)
def test_wilson_matches_published_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_31_of_100_is_about_23_to_41_percent() -> None:
    low, high = wilson_interval(31, 100)
    assert round(low * 100, 1) == 22.8
    assert round(high * 100, 1) == 40.6


def test_the_ends_are_exact_at_none_and_all() -> None:
    assert wilson_interval(0, 7)[0] == 0.0
    assert wilson_interval(7, 7)[1] == 1.0


def test_nothing_reviewed_has_an_empty_interval() -> None:
    assert wilson_interval(0, 0) == (0.0, 0.0)


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5), (0, -1)])
def test_impossible_counts_are_refused(k: int, n: int) -> None:
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(k, n)


def test_a_non_positive_z_is_refused() -> None:
    with pytest.raises(ValueError, match=r"1\.96"):
        wilson_interval(1, 2, z=0)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_interval_lies_in_0_1_and_holds_the_observed_share(kn: tuple[int, int]) -> None:
    k, n = kn
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirror_low, mirror_high = wilson_interval(n - k, n)
    assert low == pytest.approx(1 - mirror_high, abs=1e-12)
    assert high == pytest.approx(1 - mirror_low, abs=1e-12)


def test_the_summary_line_reads_like_the_issue() -> None:
    assert format_share("date-handling", Share.of(31, 100)) == "date-handling: 31 of 100, 23–41%"
    assert format_share("loops", Share.of(0, 20)) == "loops: 0 of 20, 0–16%"
    assert format_share("loops", Share.of(0, 0)) == "loops: 0 of 0, nothing reviewed yet"


def mode(
    mode_id: str, name: str, status: FailureModeStatus = FailureModeStatus.ACTIVE
) -> FailureMode:
    return FailureMode(id=mode_id, name=name, status=status, created_at=MONDAY, added_in=1)


def reviewed(n: int, **kw: object) -> list[ReviewedTrace]:
    return [ReviewedTrace(f"t{i:03d}", **kw) for i in range(n)]  # type: ignore[arg-type]


MODES = [
    mode("m-date", "date-handling"),
    mode("m-loop", "tool-loop"),
    mode("m-tone", "tone"),
    mode("m-old", "old-mode", FailureModeStatus.RETIRED),
]


def test_each_active_mode_gets_its_count_share_and_interval() -> None:
    traces = reviewed(100, reviewed_at=MONDAY)
    codes: dict[str, set[str]] = {f"t{i:03d}": {"m-date"} for i in range(31)}
    codes["t050"] = {"m-loop", "m-old"}
    table = count_modes(traces, codes, MODES)

    assert table.reviewed == 100
    assert table.lines() == [
        "date-handling: 31 of 100, 23–41%",
        "tool-loop: 1 of 100, 0–5%",
        "tone: 0 of 100, 0–4%",
    ]
    top = table.modes[0]
    assert (top.mode_id, top.overall.count, top.overall.n) == ("m-date", 31, 100)
    assert top.overall.share == 0.31


def test_codes_of_traces_nobody_reviewed_do_not_count() -> None:
    table = count_modes(reviewed(10, reviewed_at=MONDAY), {"elsewhere": {"m-date"}}, MODES)
    assert table.modes[0].overall.count == 0
    assert table.modes[0].overall.n == 10


def test_a_trace_reviewed_twice_counts_once() -> None:
    traces = reviewed(3, reviewed_at=MONDAY) + reviewed(3, reviewed_at=MONDAY)
    table = count_modes(traces, {"t000": ["m-date", "m-date"]}, MODES)
    assert (table.reviewed, table.modes[0].overall.count) == (3, 1)


def test_breakdowns_give_every_group_its_own_n() -> None:
    traces = [
        ReviewedTrace("a1", MONDAY, surface="chat", version="v1"),
        ReviewedTrace("a2", MONDAY, surface="chat", version="v2"),
        ReviewedTrace("a3", MONDAY + timedelta(days=7), surface="email", version="v2"),
        ReviewedTrace("a4", MONDAY + timedelta(days=7), surface=None, version=None),
    ]
    table = count_modes(traces, {"a1": {"m-date"}, "a3": {"m-date"}}, MODES)
    date = table.modes[0]
    assert {k: (s.count, s.n) for k, s in date.by_surface.items()} == {
        "(none)": (0, 1),
        "chat": (1, 2),
        "email": (1, 1),
    }
    assert {k: (s.count, s.n) for k, s in date.by_version.items()} == {
        "(none)": (0, 1),
        "v1": (1, 1),
        "v2": (1, 2),
    }
    assert {k: (s.count, s.n) for k, s in date.by_week.items()} == {
        "2026-W10": (1, 2),
        "2026-W11": (1, 2),
    }
    assert date.by_week["2026-W10"] == Share.of(1, 2)
    assert format_share("chat", date.by_surface["chat"]) == "chat: 1 of 2, 9–91%"


def test_only_the_breakdowns_asked_for_are_computed() -> None:
    traces = [ReviewedTrace("a1", MONDAY, surface="chat")]
    table = count_modes(traces, {"a1": {"m-date"}}, MODES, by="week")
    date = table.modes[0]
    assert list(date.by_week) == ["2026-W10"]
    assert date.by_surface == {} and date.by_version == {}
    both = count_modes(traces, {}, MODES, by=["surface", "version"]).modes[0]
    assert list(both.by_surface) == ["chat"] and both.by_week == {}


def test_an_unknown_breakdown_says_which_ones_exist() -> None:
    with pytest.raises(ValueError, match=r"'service'.*'surface', 'version' and 'week'"):
        count_modes([], {}, MODES, by="service")


def test_weeks_are_iso_weeks_in_utc() -> None:
    assert iso_week(datetime(2026, 1, 1, 12, tzinfo=UTC)) == "2026-W01"
    assert iso_week(datetime(2027, 1, 1, 12, tzinfo=UTC)) == "2026-W53"
    # Sunday evening in New York is already Monday in UTC: the next week.
    late_sunday = datetime(2026, 3, 8, 21, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert iso_week(late_sunday) == "2026-W11"


def test_nothing_reviewed_still_lists_the_modes() -> None:
    table = count_modes([], {}, MODES)
    assert table.reviewed == 0
    assert table.lines() == [
        "date-handling: 0 of 0, nothing reviewed yet",
        "tone: 0 of 0, nothing reviewed yet",
        "tool-loop: 0 of 0, nothing reviewed yet",
    ]
