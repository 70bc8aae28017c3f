"""Drawing a review sample: signal-first, a random share, strata, and what is never drawn."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratchet.review.sampling import Candidate, Pick, draw_sample

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def cand(
    trace_id: str,
    minutes: int = 0,
    *,
    surface: str | None = "chat",
    version: str | None = "v1",
    **signals: float,
) -> Candidate:
    return Candidate(
        trace_id=trace_id,
        start=T0 + timedelta(minutes=minutes),
        surface=surface,
        version=version,
        signals=signals,
    )


def quiet(prefix: str, n: int, **kw: str | None) -> list[Candidate]:
    return [cand(f"{prefix}{i:03d}", i, **kw) for i in range(n)]  # type: ignore[arg-type]


def ids(picks: list[Pick]) -> list[str]:
    return [p.trace_id for p in picks]


def reasons(picks: list[Pick]) -> list[str]:
    return [p.reason for p in picks]


def test_the_strongest_signals_fill_the_signal_part_and_the_rest_is_random() -> None:
    strong = [cand(f"s{i}", i, report=1.0 - i / 20) for i in range(10)]
    pool = strong + quiet("q", 90)
    picks = draw_sample(pool, 10, random_share=0.2, rng=random.Random(7))

    signal = [p for p in picks if p.reason != "random"]
    assert ids(signal) == [f"s{i}" for i in range(8)]  # the eight strongest, strongest first
    assert all(p.reason == "signal:report" for p in signal)
    assert reasons(picks).count("random") == 2
    assert len(set(ids(picks))) == 10


def test_random_picks_are_spread_through_the_reading_order_not_left_to_the_end() -> None:
    pool = [cand(f"s{i}", tool_error=0.9 - i / 100) for i in range(8)] + quiet("q", 50)
    picks = draw_sample(pool, 10, random_share=0.2, rng=random.Random(1))
    # Eight signal picks and two random ones: one random pick in each half.
    assert [p.reason == "random" for p in picks] == [
        False, False, True, False, False, False, False, True, False, False,
    ]  # fmt: skip


def test_the_random_part_can_draw_traces_without_any_signal() -> None:
    pool = [cand("s1", report=1.0), *quiet("q", 30)]
    picks = draw_sample(pool, 5, random_share=0.8, rng=random.Random(3))
    assert Pick("s1", "signal:report") in picks
    randoms = [p for p in picks if p.reason == "random"]
    assert len(randoms) == 4
    assert all(p.trace_id.startswith("q") for p in randoms)


def test_one_strong_signal_outranks_several_weaker_ones() -> None:
    pool = [
        cand("many-weak", tool_error=0.5, retry=0.5, latency_outlier=0.5),
        cand("one-strong", report=1.0),
    ]
    picks = draw_sample(pool, 2, random_share=0.0, rng=random.Random(0))
    assert ids(picks) == ["one-strong", "many-weak"]


def test_among_equal_strongest_signals_more_evidence_then_newer_then_id_wins() -> None:
    pool = [
        cand("b-old", 0, report=0.8),
        cand("a-old", 0, report=0.8),
        cand("new", 30, report=0.8),
        cand("backed", 0, report=0.8, retry=0.3),
    ]
    picks = draw_sample(pool, 4, random_share=0.0, rng=random.Random(0))
    assert ids(picks) == ["backed", "new", "a-old", "b-old"]


def test_the_reason_lists_the_kinds_strongest_first_and_leaves_out_praise() -> None:
    pool = [
        cand("t1", tool_error=0.4, report=0.9, thumbs_up=0.0, retry=0.4),
        cand("liked", thumbs_up=0.0),
    ]
    picks = draw_sample(pool, 2, random_share=0.0, rng=random.Random(0))
    assert picks[0] == Pick("t1", "signal:report,retry,tool_error")
    # A thumbs-up is no evidence of failure: that trace can only be drawn at random.
    assert picks[1] == Pick("liked", "random")


def test_too_few_signal_traces_leave_the_gap_to_random_picks() -> None:
    pool = [cand(f"s{i}", report=0.9) for i in range(3)] + quiet("q", 40)
    picks = draw_sample(pool, 10, random_share=0.2, rng=random.Random(5))
    assert len(picks) == 10
    assert Counter(p.reason for p in picks) == {"signal:report": 3, "random": 7}


def test_a_share_of_one_draws_everything_at_random_and_zero_draws_no_random_trace() -> None:
    pool = [cand(f"s{i}", report=0.9) for i in range(20)] + quiet("q", 20)
    all_random = draw_sample(pool, 10, random_share=1.0, rng=random.Random(5))
    assert set(reasons(all_random)) == {"random"}
    no_random = draw_sample(pool, 10, random_share=0.0, rng=random.Random(5))
    assert set(reasons(no_random)) == {"signal:report"}


@pytest.mark.parametrize(
    ("size", "share", "random_count"),
    [(100, 0.2, 20), (100, 0.29, 29), (10, 0.25, 2), (5, 0.5, 2), (3, 0.5, 1), (1, 0.2, 0)],
)
def test_the_random_part_is_the_share_rounded_with_halves_going_to_signals(
    size: int, share: float, random_count: int
) -> None:
    pool = [cand(f"s{i:03d}", report=0.9) for i in range(200)] + quiet("q", 200)
    picks = draw_sample(pool, size, random_share=share, rng=random.Random(11))
    assert reasons(picks).count("random") == random_count
    assert len(picks) == size


def test_a_small_pool_gives_every_trace_once() -> None:
    pool = [cand("a", report=1.0), cand("b"), cand("a", report=1.0), cand("c")]
    picks = draw_sample(pool, 100, rng=random.Random(2))
    assert sorted(ids(picks)) == ["a", "b", "c"]


def test_excluded_traces_are_never_drawn() -> None:
    pool = [cand("seen", report=1.0), *quiet("q", 10)]
    picks = draw_sample(pool, 5, exclude={"seen", "q000"}, rng=random.Random(2))
    assert "seen" not in ids(picks)
    assert "q000" not in ids(picks)
    assert len(picks) == 5


def test_the_same_seed_gives_the_same_sample_whatever_the_candidate_order() -> None:
    pool = [cand(f"s{i}", i, report=(i % 5) / 5) for i in range(30)] + quiet("q", 70)
    first = draw_sample(pool, 20, stratify="surface", rng=random.Random(42))
    shuffled = list(pool)
    random.Random(0).shuffle(shuffled)
    assert draw_sample(shuffled, 20, stratify="surface", rng=random.Random(42)) == first
    other_seed = draw_sample(pool, 20, stratify="surface", rng=random.Random(43))
    assert [p for p in other_seed if p.reason == "random"] != [
        p for p in first if p.reason == "random"
    ]


def test_a_busy_surface_cannot_take_the_whole_session() -> None:
    busy = [cand(f"chat{i:02d}", surface="chat", report=0.9) for i in range(90)]
    small = [cand(f"mail{i}", surface="email", tool_error=0.3) for i in range(10)]
    plain = draw_sample(busy + small, 10, random_share=0.0, rng=random.Random(0))
    assert all(t.startswith("chat") for t in ids(plain))

    spread = draw_sample(
        busy + small, 10, random_share=0.0, stratify="surface", rng=random.Random(0)
    )
    assert Counter(t[:4] for t in ids(spread)) == {"chat": 9, "mail": 1}


def test_both_parts_are_spread_in_proportion_to_stratum_sizes() -> None:
    pool = [cand(f"a{i:02d}", surface="a", report=0.9) for i in range(60)]
    pool += [cand(f"b{i:02d}", surface="b", report=0.5) for i in range(40)]
    picks = draw_sample(pool, 20, random_share=0.5, stratify="surface", rng=random.Random(9))
    by_part = Counter((p.reason == "random", p.trace_id[0]) for p in picks)
    assert by_part == {(False, "a"): 6, (False, "b"): 4, (True, "a"): 6, (True, "b"): 4}


def test_largest_remainders_round_the_strata_quotas() -> None:
    pool = quiet("a", 5, surface="a") + quiet("b", 3, surface="b") + quiet("c", 2, surface="c")
    picks = draw_sample(pool, 5, random_share=1.0, stratify="surface", rng=random.Random(4))
    # Quotas 2.5, 1.5 and 1: the tied half goes to the larger stratum.
    assert Counter(t[0] for t in ids(picks)) == {"a": 3, "b": 1, "c": 1}


def test_a_stratum_short_of_signal_traces_leaves_its_quota_to_the_others() -> None:
    pool = [cand(f"a{i}", surface="a", report=0.9) for i in range(10)]
    pool += quiet("b", 90, surface="b")
    picks = draw_sample(pool, 10, random_share=0.0, stratify="surface", rng=random.Random(4))
    assert len(picks) == 10
    assert reasons(picks).count("signal:report") == 10


def test_versions_stratify_too_and_an_unknown_version_is_a_stratum_of_its_own() -> None:
    pool = quiet("x", 6, version="v1") + quiet("y", 3, version="v2") + quiet("z", 3, version=None)
    picks = draw_sample(pool, 4, random_share=1.0, stratify="version", rng=random.Random(8))
    assert Counter(t[0] for t in ids(picks)) == {"x": 2, "y": 1, "z": 1}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": 0}, "size of at least 1 .*e.g. 100"),
        ({"size": 10, "random_share": 1.5}, "between 0 and 1 .*e.g. 0.2"),
        ({"size": 10, "random_share": -0.1}, "between 0 and 1"),
        ({"size": 10, "random_share": float("nan")}, "between 0 and 1"),
        ({"size": 10, "stratify": "service"}, "'surface', 'version' or nothing"),
    ],
)
def test_bad_arguments_say_what_to_pass(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        draw_sample(quiet("q", 3), rng=random.Random(0), **kwargs)  # type: ignore[arg-type]


def test_nothing_to_draw_gives_an_empty_sample() -> None:
    assert draw_sample([], 10, rng=random.Random(0)) == []
    assert draw_sample([cand("a")], 10, exclude={"a"}, rng=random.Random(0)) == []


KINDS = ["report", "tool_error", "retry", "thumbs_up"]
candidates = st.lists(
    st.builds(
        cand,
        trace_id=st.sampled_from([f"t{i:02d}" for i in range(40)]),
        minutes=st.integers(0, 5),
        surface=st.sampled_from(["chat", "email", None]),
        version=st.sampled_from(["v1", "v2", None]),
    ).flatmap(
        lambda c: st.dictionaries(st.sampled_from(KINDS), st.floats(0.0, 1.0), max_size=3).map(
            lambda signals: Candidate(c.trace_id, c.start, c.surface, c.version, signals)
        )
    ),
    max_size=60,
)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    pool=candidates,
    size=st.integers(1, 50),
    share=st.floats(0.0, 1.0),
    stratify=st.sampled_from([None, "surface", "version"]),
    exclude=st.frozensets(st.sampled_from([f"t{i:02d}" for i in range(40)]), max_size=10),
    seed=st.integers(0, 2**32),
)
def test_a_sample_never_repeats_or_excludes_wrongly_and_fills_up_to_its_size(
    pool: list[Candidate],
    size: int,
    share: float,
    stratify: str | None,
    exclude: frozenset[str],
    seed: int,
) -> None:
    picks = draw_sample(
        pool, size, random_share=share, stratify=stratify, exclude=exclude, rng=random.Random(seed)
    )
    eligible = {c.trace_id for c in pool} - exclude
    drawn = ids(picks)
    assert len(drawn) == len(set(drawn)) == min(size, len(eligible))
    assert set(drawn) <= eligible
    first: dict[str, Candidate] = {}
    for c in pool:
        first.setdefault(c.trace_id, c)
    for pick in picks:
        if pick.reason != "random":
            kinds = pick.reason.removeprefix("signal:").split(",")
            assert all(first[pick.trace_id].signals[k] > 0 for k in kinds)
    again = draw_sample(
        pool, size, random_share=share, stratify=stratify, exclude=exclude, rng=random.Random(seed)
    )
    assert again == picks
