"""The saturation curve, its state and line, and the new modes each session found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ratchet.review.saturation import (
    Coding,
    ReviewedCoding,
    new_modes_per_session,
    saturation,
)


def history(
    n: int, found_at: dict[int, str], uncoded: frozenset[int] = frozenset()
) -> list[ReviewedCoding]:
    """``n`` reviewed traces; trace ``i`` (1-based) is coded to ``found_at[i]`` if listed.

    Every trace after the first of a mode is coded to the first mode again,
    so repeat findings are present without being new.
    """
    out = []
    for i in range(1, n + 1):
        modes = {found_at[i]} if i in found_at else ({"m1"} if found_at else set())
        out.append(ReviewedCoding(f"t{i:03d}", frozenset(modes), uncoded_notes=i in uncoded))
    return out


def test_nothing_reviewed_still_prints_a_line() -> None:
    state = saturation([])
    assert state.points == ((0, 0),)
    assert not state.saturated
    assert state.line == "not saturated: nothing reviewed yet"


def test_fewer_traces_than_the_window_cannot_be_saturated() -> None:
    state = saturation(history(12, {1: "m1", 2: "m2", 5: "m3"}))
    assert not state.saturated
    assert (
        state.line
        == "not saturated: 12 traces reviewed, fewer than the window of 20 (3 modes so far)"
    )
    assert saturation(history(1, {})).line == (
        "not saturated: 1 trace reviewed, fewer than the window of 20 (0 modes so far)"
    )


def test_the_curve_counts_distinct_modes_after_each_trace() -> None:
    state = saturation(history(6, {1: "m1", 3: "m2", 4: "m3"}))
    assert state.points == ((0, 0), (1, 1), (2, 1), (3, 2), (4, 3), (5, 3), (6, 3))
    assert state.first_seen == {"m1": 1, "m2": 3, "m3": 4}
    assert (state.reviewed, state.modes) == (6, 3)


def test_no_new_mode_in_the_last_20_is_saturated() -> None:
    found = {1: "m1", 10: "m2", 30: "m3", 55: "m4", 80: "m5", 100: "m6", 120: "m7"}
    state = saturation(history(140, found))
    assert state.saturated
    assert state.line == (
        "saturated: the last 20 reviewed traces added no new mode (7 modes after 140 traces)"
    )


def test_new_modes_in_the_window_keep_review_going() -> None:
    found = {1: "m1", 10: "m2", 30: "m3", 55: "m4", 80: "m5", 125: "m6", 140: "m7"}
    state = saturation(history(140, found))
    assert not state.saturated
    assert state.new_in_window == 2
    assert state.line == (
        "not saturated: the last 20 reviewed traces added 2 new modes (7 modes after 140 traces)"
    )
    one = saturation(history(140, {1: "m1", 121: "m2"}))
    assert one.line == (
        "not saturated: the last 20 reviewed traces added 1 new mode (2 modes after 140 traces)"
    )


def test_the_trace_just_outside_the_window_does_not_count_as_recent() -> None:
    assert saturation(history(140, {1: "m1", 120: "m2"})).saturated
    assert not saturation(history(140, {1: "m1", 121: "m2"})).saturated


def test_exactly_window_traces_with_a_mode_in_them_is_not_saturated() -> None:
    state = saturation(history(20, {1: "m1"}))
    assert not state.saturated
    assert state.new_in_window == 1


def test_notes_waiting_to_be_coded_in_the_window_hold_back_saturation() -> None:
    state = saturation(history(60, {1: "m1"}, uncoded=frozenset({45, 59})))
    assert not state.saturated
    assert state.line == (
        "not saturated: 2 of the last 20 reviewed traces have notes not yet coded"
        " (1 mode after 60 traces)"
    )
    older = saturation(history(60, {1: "m1"}, uncoded=frozenset({10})))
    assert older.saturated


def test_the_window_is_configurable() -> None:
    found = {1: "m1", 10: "m2"}
    state = saturation(history(15, found), window=5)
    assert state.line == (
        "saturated: the last 5 reviewed traces added no new mode (2 modes after 15 traces)"
    )
    assert saturation(history(15, found), window=6).line == (
        "not saturated: the last 6 reviewed traces added 1 new mode (2 modes after 15 traces)"
    )


def test_a_window_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"at least 1 trace.*default is 20"):
        saturation([], window=0)


def test_a_trace_listed_twice_counts_at_its_first_position() -> None:
    items = [
        ReviewedCoding("a", frozenset({"m1"})),
        ReviewedCoding("b", frozenset()),
        ReviewedCoding("a", frozenset({"m1"})),
    ]
    assert saturation(items).points == ((0, 0), (1, 1), (2, 1))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.frozensets(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=2), max_size=80
    ),
    st.integers(1, 30),
)
def test_the_curve_never_falls_and_saturation_means_a_flat_window(
    codings: list[frozenset[str]], window: int
) -> None:
    state = saturation(
        [ReviewedCoding(f"t{i}", modes) for i, modes in enumerate(codings)], window=window
    )
    ys = [y for _, y in state.points]
    assert [x for x, _ in state.points] == list(range(len(codings) + 1))
    assert ys == sorted(ys)
    assert ys[-1] == len(set().union(*codings)) if codings else ys[-1] == 0
    if state.saturated:
        assert len(codings) >= window
        assert ys[-1] == ys[-1 - window]
    assert state.line.startswith("saturated: " if state.saturated else "not saturated: ")


T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_session_is_credited_with_the_modes_first_coded_in_it() -> None:
    codings = [
        Coding("m-date", at(0), "week-1"),
        Coding("m-loop", at(5), "week-1"),
        Coding("m-date", at(60), "week-2"),  # seen before: not new to week 2
        Coding("m-tone", at(70), "week-2"),
        Coding("m-pay", at(90), None),  # a note outside any session
    ]
    assert new_modes_per_session(codings) == {"week-1": 2, "week-2": 1}


def test_the_earliest_coding_wins_whatever_the_listing_order() -> None:
    codings = [
        Coding("m-date", at(60), "week-2"),
        Coding("m-date", at(0), "week-1"),
        Coding("m-date", at(0), "week-3"),  # a tie keeps the first listed
    ]
    assert new_modes_per_session(codings) == {"week-1": 1}


def test_no_codings_no_new_modes() -> None:
    assert new_modes_per_session([]) == {}
