"""Suggested failure modes for a note, from the notes reviewers already coded."""

from __future__ import annotations

import random
import time

import pytest

from ratchet.core.review import Note
from ratchet.review.suggest import SuggestionIndex, snippet, stem, stems, suggest_modes
from ratchet.review.taxonomy import Merge, Retire
from review.taxonomy_helpers import AT, Book

CODED = {
    "date-handling": [
        "Booked the dentist on the wrong day: user asked for Tuesday, agent booked Wednesday.",
        "Ignored the user's timezone and scheduled the call at 3am their time.",
        "Parsed 04/05 as April 5 when the user is in the UK (5 May).",
        "Said next Friday is the 14th; it is the 15th. Date arithmetic off by one.",
    ],
    "refund-policy": [
        "Refunded an order placed 45 days ago, outside the 30-day refund window.",
        "Promised a full refund for a used item, which the policy does not allow.",
        "Issued the refund without asking for the receipt the policy requires.",
    ],
    "tone": [
        "Curt reply with no apology after the customer said they were frustrated.",
        "Sarcastic tone ('as I already said') when the user asked again.",
    ],
    "tool-misuse": [
        "Called cancel_order when the user only wanted to read_order the status.",
        "Passed the order number as the customer id to lookup_customer.",
        "Looped on search_flights with the same arguments five times.",
    ],
}


def note(note_id: str, text: str, *mode_ids: str) -> Note:
    return Note(id=note_id, trace_id="0" * 32, text=text, created_at=AT, mode_ids=list(mode_ids))


@pytest.fixture
def book() -> Book:
    b = Book()
    b.add("date-handling", "Dates, weekdays or times read or written wrong")
    b.add("refund-policy", "Refunds promised or made outside the refund policy")
    b.add("tone", "Curt, rude, sarcastic or dismissive replies")
    b.add("tool-misuse", "The wrong tool, or the right tool with wrong arguments")
    return b


@pytest.fixture
def coded(book: Book) -> list[Note]:
    by_name = {m.name: m.id for m in book.state.active_modes()}
    notes: list[Note] = []
    for name, texts in CODED.items():
        for text in texts:
            notes.append(note(f"n{len(notes) + 1}", text, by_name[name]))
    return notes


@pytest.fixture
def index(book: Book, coded: list[Note]) -> SuggestionIndex:
    return SuggestionIndex.build(coded, book.state.modes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Scheduled the meeting for Thursday although the user said Tuesday", "date-handling"),
        ("User in Berlin got a booking in the wrong timezone", "date-handling"),
        ("Agent refunded a used item, policy says no refunds after use", "refund-policy"),
        ("Reply was rude and dismissive, no apology", "tone"),
        ("Called cancel_order instead of read_order", "tool-misuse"),
        ("search_flights called again and again with the same arguments", "tool-misuse"),
    ],
)
def test_the_likeliest_mode_comes_first(index: SuggestionIndex, text: str, expected: str) -> None:
    suggestions = index.suggest(text)
    assert suggestions[0].name == expected
    assert all(0.0 < s.score <= 1.0 for s in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_the_reason_quotes_the_most_similar_note(index: SuggestionIndex) -> None:
    top = index.suggest("booked the wrong day again, user said Tuesday")[0]
    assert top.note_id == "n1"
    assert top.reason == ("like note n1: 'Booked the dentist on the wrong day: user asked for…'")


def test_a_mode_without_notes_is_suggested_from_its_own_words(book: Book) -> None:
    book.add("hallucinated-policy", "Quoted a policy or rule that does not exist")
    index = SuggestionIndex.build([], book.state.modes)
    [suggestion] = index.suggest("It quoted a rule that does not exist", k=1)
    assert suggestion.name == "hallucinated-policy"
    assert suggestion.note_id is None
    assert suggestion.reason == "its description mentions 'quoted', 'rule', 'exist'"


def test_retired_and_merged_modes_are_never_suggested(book: Book, coded: list[Note]) -> None:
    book.add("wrong weekday", "Booked the wrong day of the week")
    book.add("slow replies", "Took too long to answer")
    coded = [
        *coded,
        note("n40", "Booked Monday instead of Tuesday, the wrong day of the week", "m5"),
        note("n41", "Took two minutes to answer a yes/no question", "m6"),
    ]
    book.do(Merge(["m5"], "m1"))
    book.do(Retire("m6"))
    index = SuggestionIndex.build(coded, book.state.modes)

    assert index.suggest("took two minutes to answer") == []
    week = index.suggest("Booked Monday instead of Tuesday, the wrong day of the week")
    assert [s.mode_id for s in week][:1] == ["m1"]
    assert week[0].note_id == "n40"  # its note now counts for the mode it was merged into
    assert {s.mode_id for s in week} <= {"m1", "m2", "m3", "m4"}


def test_unrelated_or_empty_notes_get_no_suggestions(index: SuggestionIndex) -> None:
    assert index.suggest("The weather in Lisbon is lovely") == []
    assert index.suggest("  ... !!! 123") == []
    assert index.suggest("booked the wrong day", k=0) == []


def test_the_note_itself_is_left_out(index: SuggestionIndex) -> None:
    text = CODED["tone"][1]
    assert index.suggest(text)[0].note_id == "n9"
    assert all(s.note_id != "n9" for s in index.suggest(text, exclude_note_id="n9"))


def test_suggestions_are_deterministic_and_ties_go_by_name(book: Book) -> None:
    coded = [note("n1", "wrong refund amount", "m2"), note("n2", "wrong refund amount", "m4")]
    first = suggest_modes("wrong refund amount", coded, book.state.modes, k=5)
    again = suggest_modes("wrong refund amount", list(reversed(coded)), book.state.modes, k=5)
    assert [s.mode_id for s in first] == [s.mode_id for s in again]
    assert [s.name for s in first][:2] == ["refund-policy", "tool-misuse"]


def test_k_limits_the_list(index: SuggestionIndex) -> None:
    assert len(index.suggest("wrong day, wrong refund, wrong tool, rude reply", k=2)) == 2
    assert len(index.suggest("wrong day, wrong refund, wrong tool, rude reply", k=10)) == 4


def test_word_forms_meet_on_one_stem() -> None:
    assert {stem(w) for w in ("date", "dates", "dated", "dating")} == {"dat"}
    assert {stem(w) for w in ("refund", "refunds", "refunded", "refunding")} == {"refund"}
    assert {stem(w) for w in ("policy", "policies")} == {"policy"}
    assert {stem(w) for w in ("stop", "stopped", "stopping")} == {"stop"}
    assert stem("class") == stem("classes") and stem("status") == "status"
    assert stems("The user's booking wasn't on 12 May, it's the 13th!") == [
        "user",
        "book",
        "may",
        "13th",
    ]


def test_the_snippet_starts_near_the_shared_words() -> None:
    text = (
        "After a long and polite exchange about seat preferences and meal options,"
        " the agent booked the return flight on the wrong day."
    )
    piece = snippet(text, "flight booked for the wrong day")
    assert piece.startswith("…meal options, the agent booked")
    assert piece.endswith("…") and len(piece) <= 62
    assert snippet("Wrong day.", "wrong day") == "Wrong day."


def test_ten_thousand_coded_notes_answer_fast(book: Book) -> None:
    rng = random.Random(7)
    vocabulary = [w for texts in CODED.values() for t in texts for w in t.split()]
    vocabulary += [f"word{i}" for i in range(3000)]
    mode_ids = [m.id for m in book.state.active_modes()]
    coded = [
        note(f"b{i}", " ".join(rng.choices(vocabulary, k=rng.randint(8, 40))), rng.choice(mode_ids))
        for i in range(10_000)
    ]
    index = SuggestionIndex.build(coded, book.state.modes)
    queries = [" ".join(rng.choices(vocabulary, k=25)) for _ in range(20)]

    started = time.perf_counter()
    for query in queries:
        assert index.suggest(query)
    per_query = (time.perf_counter() - started) / len(queries)
    assert per_query < 0.050, f"{per_query * 1000:.1f} ms per suggestion"
