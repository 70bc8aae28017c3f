"""Waivers and decisions in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from ratchet.store.gates import Waiver, add_waivers, list_decisions, save_decision, waivers_for
from ratchet.store.projects import ensure_project
from ratchet.store.store import Store


def test_a_waiver_is_kept_once_per_fixture_and_change(store: Store) -> None:
    pid = ensure_project(store, "shop").id
    first = Waiver("wire", "change-1", "ana", "known", 1)
    add_waivers(store, pid, [first, Waiver("wire", "change-1", "bob", "again", 2)])
    add_waivers(store, pid, [Waiver("wire", "change-1", "cy", "later", 3)])  # another shard
    add_waivers(store, pid, [Waiver("wire", "change-2", "dee", "other change", 4)])
    assert waivers_for(store, pid, "change-1") == {"wire": first}
    assert waivers_for(store, pid, "change-2")["wire"].waived_by == "dee"
    assert waivers_for(store, pid, "change-3") == {}
    other = ensure_project(store, "other").id
    assert waivers_for(store, other, "change-1") == {}


def test_decisions_come_back_newest_first_with_their_report(store: Store) -> None:
    pid = ensure_project(store, "shop").id
    for n, decision in enumerate(["passed", "held", "passed"]):
        save_decision(
            store,
            pid,
            decision_id=f"d{n}",
            run_id=f"r{n}",
            decision=decision,
            change_types=["prompt", "model"],
            change_key=f"k{n}",
            report={"verdicts": [{"id": f"fixture-{n}"}]},
            created_ns=n,
        )
    newest = list_decisions(store, pid, limit=2)
    assert [d["id"] for d in newest] == ["d2", "d1"]
    assert newest[1]["decision"] == "held" and newest[1]["change_types"] == ["prompt", "model"]
    assert newest[1]["report"] == {"verdicts": [{"id": "fixture-1"}]}
