"""The failure taxonomy changes only by explicit operations, and refuses clearly."""

from __future__ import annotations

import copy

import pytest

from ratchet.core.review import FailureModeStatus, TaxonomyOp, TaxonomyOpKind
from ratchet.review.taxonomy import (
    Add,
    CodeChange,
    Edit,
    Merge,
    Rename,
    Retire,
    Split,
    TaxonomyError,
    TaxonomyState,
    apply,
    code_note,
    note_counts,
    replay,
    resolve,
)
from review.taxonomy_helpers import AT, Book


def refused(book: Book, request: object, *, status: int = 400) -> str:
    """Apply ``request`` expecting a refusal; check nothing changed; return the message."""
    before = copy.deepcopy(book.state)
    with pytest.raises(TaxonomyError) as caught:
        book.do(request)  # type: ignore[arg-type]
    assert caught.value.status == status
    assert book.state == before
    return caught.value.message


@pytest.fixture
def book() -> Book:
    """Four modes and a handful of coded notes, as after a first review session."""
    b = Book()
    b.add("date-handling", "Dates, weekdays or times read or written wrong", ["booked Tuesday"])
    b.add("wrong weekday", "Said or booked the wrong day of the week")
    b.add("refund-policy", "Refunds promised or made outside the policy")
    b.add("tone", "Curt, sarcastic or dismissive replies")
    b.code("n1", "m1")
    b.code("n2", "m2")
    b.code("n3", "m1", "m2")
    b.code("n4", "m3")
    b.code("n5", "m4")
    return b


def test_adding_a_mode_records_who_when_and_why() -> None:
    book = Book()
    applied = book.do(Add("  date   handling ", " wrong dates ", ["", " Tuesday "]), why="seen 3x")

    mode = applied.state.modes["m1"]
    assert (mode.name, mode.definition, mode.examples) == (
        "date handling",
        "wrong dates",
        ["Tuesday"],
    )
    assert mode.active and mode.added_in == 1 and mode.created_by == "ana"
    assert applied.op == TaxonomyOp(
        version=1,
        kind=TaxonomyOpKind.ADD,
        payload={
            "id": "m1",
            "name": "date handling",
            "definition": "wrong dates",
            "examples": ["Tuesday"],
        },
        by="ana",
        at=AT,
        why="seen 3x",
    )
    assert applied.modes == (mode,)
    assert applied.changes == ()
    assert applied.state.version == 1


def test_names_are_unique_among_active_modes_ignoring_case_and_spaces(book: Book) -> None:
    message = refused(book, Add(" Date-Handling "))
    assert "already an active failure mode named 'date-handling' (m1)" in message
    assert "needs a name" in refused(book, Add("   "))
    assert "keep names under 200" in refused(book, Add("x" * 201))


def test_a_retired_modes_name_can_be_used_again(book: Book) -> None:
    book.do(Retire("m4"))
    book.add("tone", "a fresh definition")
    assert [m.name for m in book.state.active_modes()].count("tone") == 1


def test_rename_keeps_the_codes_and_refuses_clashes(book: Book) -> None:
    applied = book.do(Rename("m1", "Date handling"))
    assert applied.op.payload == {"id": "m1", "from": "date-handling", "to": "Date handling"}
    assert applied.state.modes["m1"].name == "Date handling"
    assert note_counts(applied.state)["m1"] == 2

    assert "already named 'Date handling'" in refused(book, Rename("m1", " Date handling"))
    assert "named 'tone' (m4)" in refused(book, Rename("m1", "TONE"))
    message = refused(book, Rename("m9", "x"), status=404)
    assert "no failure mode 'm9'" in message and "ratchet taxonomy list" in message


def test_edit_changes_definition_or_examples_and_keeps_the_old_ones(book: Book) -> None:
    applied = book.do(Edit("m4", examples=["'obviously, as I said'"]))
    assert applied.state.modes["m4"].examples == ["'obviously, as I said'"]
    assert applied.state.modes["m4"].definition == "Curt, sarcastic or dismissive replies"
    assert applied.op.payload["before"] == {"examples": []}

    assert "give a new definition or new examples" in refused(book, Edit("m4"))
    message = refused(book, Edit("m4", definition=" Curt, sarcastic or dismissive replies "))
    assert "already has this definition" in message


def test_merge_moves_every_note_onto_the_target_and_counts_follow(book: Book) -> None:
    assert note_counts(book.state) == {"m1": 2, "m2": 2, "m3": 1, "m4": 1}

    applied = book.do(Merge(["m2"], "m1"), why="same failure")

    assert applied.changes == (
        CodeChange("n2", ("m2",), ("m1",)),
        CodeChange("n3", ("m2",), ()),
    )
    assert note_counts(applied.state) == {"m1": 3, "m3": 1, "m4": 1}
    merged = applied.state.modes["m2"]
    assert merged.status is FailureModeStatus.MERGED
    assert (merged.replaced_by, merged.ended_in) == (["m1"], 5)
    assert applied.op.payload == {
        "sources": [{"id": "m2", "name": "wrong weekday"}],
        "into": {"id": "m1", "name": "date-handling"},
        "notes_moved": 2,
    }
    assert [m.id for m in applied.modes] == ["m2"]


def test_merge_into_a_retired_mode_is_refused(book: Book) -> None:
    book.do(Retire("m4"))
    message = refused(book, Merge(["m3"], "m4"))
    assert message == (
        "cannot merge into 'tone' (m4): it was retired in version 5; merge into an active"
        " mode, or add a new one and merge into that"
    )


def test_merge_into_a_merged_mode_names_where_it_went(book: Book) -> None:
    book.do(Merge(["m2"], "m1"))
    message = refused(book, Merge(["m3"], "m2"))
    assert "it was merged into 'date-handling' (m1)" in message
    assert "merge into 'date-handling' (m1) instead" in message


def test_bad_merges_are_refused(book: Book) -> None:
    assert "into itself" in refused(book, Merge(["m1", "m2"], "m1"))
    assert "at least one mode" in refused(book, Merge([], "m1"))
    book.do(Retire("m4"))
    assert "cannot merge 'tone' (m4): it was retired" in refused(book, Merge(["m4"], "m1"))
    assert "'m7'" in refused(book, Merge(["m7"], "m1"), status=404)


def test_split_assigns_every_note_to_its_parts(book: Book) -> None:
    applied = book.do(
        Split(
            "m1",
            [("timezone", "Times shifted by a timezone"), ("date-handling", "Dates read wrong")],
            {"n1": [0], "n3": [1, 0, 1]},
        )
    )

    state = applied.state
    assert state.modes["m1"].status is FailureModeStatus.SPLIT
    assert state.modes["m1"].replaced_by == ["m5", "m6"]
    assert (state.modes["m5"].name, state.modes["m6"].name) == ("timezone", "date-handling")
    assert state.codes["n1"] == {"m5"}
    assert state.codes["n3"] == {"m2", "m5", "m6"}
    assert applied.changes == (
        CodeChange("n1", ("m1",), ("m5",)),
        CodeChange("n3", ("m1",), ("m5", "m6")),
    )
    assert applied.op.payload["assignment"] == {"n1": ["m5"], "n3": ["m5", "m6"]}
    assert note_counts(state) == {"m2": 2, "m3": 1, "m4": 1, "m5": 2, "m6": 1}


def test_a_split_that_leaves_notes_unassigned_is_refused_naming_them(book: Book) -> None:
    message = refused(book, Split("m1", [("timezone", ""), ("weekday parsing", "")], {"n1": [0]}))
    assert message == (
        "the split of 'date-handling' (m1) leaves 1 of its 2 notes unassigned (note n3):"
        " assign every note coded to it to at least one part, so its count is not lost"
    )
    empty = Split("m1", [("a", ""), ("b", "")], {"n1": [0], "n3": []})
    assert "unassigned (note n3)" in refused(book, empty)


def test_long_lists_of_unassigned_notes_are_cut(book: Book) -> None:
    for i in range(10, 25):
        book.code(f"n{i}", "m4")
    message = refused(book, Split("m4", [("curt", ""), ("sarcastic", "")], {}))
    assert "leaves 16 of its 16 notes unassigned" in message
    assert "n10, n11, n12" in message and "and 6 more" in message


def test_bad_splits_are_refused(book: Book) -> None:
    assert "at least two parts" in refused(book, Split("m1", [("a", "")], {"n1": [0], "n3": [0]}))
    both = {"n1": [0], "n3": [0]}
    assert "the same name ('a' and 'A')" in refused(
        book, Split("m1", [("a", ""), (" A ", "")], both)
    )
    assert "named 'tone' (m4)" in refused(book, Split("m1", [("a", ""), ("tone", "")], both))
    message = refused(book, Split("m1", [("a", ""), ("b", "")], {"n1": [2], "n3": [0]}))
    assert "note n1 is assigned to part 2, but the split has 2 parts (numbered 0 to 1)" in message
    message = refused(book, Split("m1", [("a", ""), ("b", "")], {**both, "n4": [0]}))
    assert "note n4 is not coded to 'date-handling' (m1)" in message


def test_a_refused_change_uses_up_no_ids(book: Book) -> None:
    refused(book, Split("m1", [("a", ""), ("b", "")], {"n1": [0]}))
    assert book.add("timezone") == "m5"


def test_retiring_keeps_the_notes_codes_as_history(book: Book) -> None:
    applied = book.do(Retire("m3"), why="policy changed, no longer a failure")

    assert applied.state.codes["n4"] == {"m3"}
    assert applied.changes == ()
    assert applied.op.payload == {"id": "m3", "name": "refund-policy", "notes_kept": 1}
    assert "m3" not in note_counts(applied.state)
    assert "it was retired in version 5" in refused(book, Rename("m3", "refunds"))
    assert "it was retired" in refused(book, Retire("m3"))
    assert "it was retired" in refused(book, Split("m3", [("a", ""), ("b", "")], {"n4": [0]}))


def test_a_stale_page_is_refused_with_both_versions(book: Book) -> None:
    with pytest.raises(TaxonomyError) as caught:
        apply(
            book.state,
            Add("timezone"),
            expected_version=3,
            by="bo",
            at=AT,
            new_id=book.ids,
        )
    assert caught.value.status == 409 and caught.value.code == "conflict"
    assert caught.value.message == (
        "the taxonomy changed since this page was loaded (version 3, now 4): reload and try again"
    )


def test_coding_sets_the_notes_active_codes(book: Book) -> None:
    assert code_note(book.state, "n3", ["m4", "m1"]) == CodeChange("n3", ("m2",), ("m4",))
    assert code_note(book.state, "n9", ["m1", "m1"]) == CodeChange("n9", (), ("m1",))
    assert code_note(book.state, "n1", []) == CodeChange("n1", ("m1",), ())


def test_coding_keeps_retired_codes_and_refuses_ended_modes(book: Book) -> None:
    book.do(Retire("m3"))
    book.do(Merge(["m2"], "m1"))
    assert code_note(book.state, "n4", ["m4"]) == CodeChange("n4", (), ("m4",))

    with pytest.raises(TaxonomyError) as caught:
        code_note(book.state, "n8", ["m2"])
    assert caught.value.message == (
        "cannot code note n8 as 'wrong weekday' (m2): it was merged into 'date-handling' (m1)"
        " in version 6; code the note as 'date-handling' (m1) instead"
    )
    with pytest.raises(TaxonomyError, match="pick an active mode"):
        code_note(book.state, "n8", ["m3"])
    with pytest.raises(TaxonomyError) as unknown:
        code_note(book.state, "n8", ["m99"])
    assert unknown.value.status == 404
    with pytest.raises(TaxonomyError) as stale:
        code_note(book.state, "n8", ["m1"], expected_version=5)
    assert stale.value.status == 409


def test_resolve_follows_merges_and_splits_to_todays_modes(book: Book) -> None:
    book.do(Merge(["m2"], "m1"))
    book.do(Split("m1", [("timezone", ""), ("weekday", "")], {"n1": [0], "n2": [1], "n3": [1]}))
    book.do(Merge(["m6"], "m4"))
    book.do(Retire("m3"))

    assert resolve("m2", book.state.modes) == ("m5", "m4")
    assert resolve("m1", book.state.modes) == ("m5", "m4")
    assert resolve("m4", book.state.modes) == ("m4",)
    assert resolve("m3", book.state.modes) == ()
    with pytest.raises(TaxonomyError):
        resolve("m42", book.state.modes)


def test_replaying_the_log_rebuilds_the_modes(book: Book) -> None:
    book.do(Merge(["m2"], "m1"))
    book.do(Split("m1", [("timezone", ""), ("weekday", "")], {"n1": [0], "n2": [1], "n3": [1]}))
    book.do(Edit("m5", definition="Times shifted by a timezone"))
    book.do(Retire("m4"))
    stored = [TaxonomyOp.model_validate_json(a.op.model_dump_json()) for a in book.ops]

    rebuilt = replay(stored, book.state.codes)

    assert rebuilt == book.state
    assert replay([]) == TaxonomyState()


def test_a_damaged_log_is_refused() -> None:
    book = Book()
    book.add("a")
    book.add("b")
    with pytest.raises(TaxonomyError, match="jumps from version 0 to 2"):
        replay([book.ops[1].op])
    broken = book.ops[1].op.model_copy(update={"payload": {"name": "b"}})
    with pytest.raises(TaxonomyError, match="log is damaged"):
        replay([book.ops[0].op, broken])
    twice = book.ops[1].op.model_copy(update={"payload": {**book.ops[0].op.payload}})
    with pytest.raises(TaxonomyError, match="already taken"):
        replay([book.ops[0].op, twice])


def test_a_duplicate_id_from_the_id_source_is_refused(book: Book) -> None:
    with pytest.raises(TaxonomyError) as caught:
        apply(
            book.state,
            Add("timezone"),
            expected_version=book.state.version,
            by=None,
            at=AT,
            new_id=lambda: "m1",
        )
    assert caught.value.status == 409
