"""The taxonomy and counts pages: changing modes by form, stale pages, coding, counts."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from ratchet.store.notes import notes_for_trace
from ratchet.store.store import Store
from ratchet.store.taxonomy import load_taxonomy
from support.live_server import LiveServer
from support.review_data import seed_traces, trace_id
from support.review_ui import field, pages_server, project_id, sign_in


@pytest.fixture
def site(store: Store) -> Iterator[LiveServer]:
    with pages_server(store) as live:
        seed_traces(store, project_id(live), 4)
        yield live


@pytest.fixture
def reader(site: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        sign_in(client, site.key)
        yield client


def _change(client: httpx.Client, op: str, **data: str | list[str]) -> httpx.Response:
    page = client.get("/taxonomy").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    form = {"csrf": field(page, "csrf"), "version": version.group(1), "why": "seen in notes"}
    return client.post(f"/taxonomy/{op}", data={**form, **data})


def _mode_id(site: LiveServer, name: str) -> str:
    _, modes, _ = load_taxonomy(site.store, project_id(site))
    return next(m.id for m in modes.values() if m.name == name)


def _note(client: httpx.Client, trace: str, text: str) -> None:
    page = client.get(f"/traces/{trace}").text
    resp = client.post(f"/traces/{trace}/notes", data={"csrf": field(page, "csrf"), "text": text})
    assert resp.status_code == 303


def test_modes_are_added_and_changed_by_form_and_every_change_is_logged(
    site: LiveServer, reader: httpx.Client
) -> None:
    empty = reader.get("/taxonomy").text
    assert "version 0" in empty and "No active failure mode yet" in empty
    added = _change(
        reader, "add", name="date-handling", definition="Dates read wrong.", examples="next week"
    )
    assert (added.status_code, added.headers["location"]) == (303, "/taxonomy?changed=1")
    page = reader.get("/taxonomy?changed=1").text
    assert "Recorded as version 1 of the taxonomy." in page
    assert "<h3>date-handling" in page and "<li>next week</li>" in page
    assert re.search(r"<td>1</td><td>[^<]+</td><td>tester</td><td>added date-handling</td>", page)
    assert "<td>seen in notes</td>" in page
    mode = _mode_id(site, "date-handling")
    assert _change(reader, "rename", mode_id=mode, name="dates").status_code == 303
    assert "renamed date-handling to dates" in reader.get("/taxonomy").text
    _change(reader, "add", name="wrong-slot")
    assert _change(reader, "retire", mode_id=_mode_id(site, "wrong-slot")).status_code == 303
    page = reader.get("/taxonomy").text
    assert "Retired, merged and split" in page and "retired in version 4" in page


def test_a_stale_page_is_refused_with_the_taxonomy_as_it_is_now(
    site: LiveServer, reader: httpx.Client
) -> None:
    _change(reader, "add", name="date-handling")
    stale = reader.get("/taxonomy").text  # shows version 1
    _change(reader, "add", name="tone")  # someone else moves it to version 2
    resp = reader.post(
        "/taxonomy/rename",
        data={
            "csrf": field(stale, "csrf"),
            "version": "1",
            "mode_id": _mode_id(site, "date-handling"),
            "name": "dates",
            "why": "shorter",
        },
    )
    assert resp.status_code == 409 and "text/html" in resp.headers["content-type"]
    assert "the taxonomy changed since this page was loaded (version 1, now 2)" in resp.text
    assert "<h3>tone" in resp.text  # the page shows what changed meanwhile
    assert load_taxonomy(site.store, project_id(site))[0] == 2
    assert "dates" not in {m.name for m in load_taxonomy(site.store, project_id(site))[1].values()}


def test_coding_feeds_counts_suggestions_merge_and_split(
    site: LiveServer, reader: httpx.Client
) -> None:
    pid = project_id(site)
    _change(reader, "add", name="date-handling", definition="Relative dates resolved wrong")
    _change(reader, "add", name="tone")
    _note(reader, trace_id(0), "Booked the wrong date: two weeks read as one.")
    note = notes_for_trace(site.store, pid, trace_id(0))[0]
    dates = _mode_id(site, "date-handling")
    view = reader.get(f"/traces/{trace_id(0)}").text
    coded = reader.put(
        f"/api/v1/notes/{note.id}/codes",
        json={"mode_ids": [dates], "taxonomy_version": 2},
        headers={"X-CSRF-Token": field(view, "csrf-token")},
    )
    assert coded.status_code == 200, coded.text
    counts = reader.get("/counts").text
    assert "date-handling: 1 of 1, " in counts and "tone: 0 of 1, 0–" in counts
    assert "not saturated: 1 trace reviewed, fewer than the window of 20" in counts
    assert counts.count("<svg") == 2
    narrow = reader.get("/counts?window=1").text
    assert "not saturated: the last 1 reviewed traces added 1 new mode" in narrow

    _note(reader, trace_id(2), "Wrong date again, two weeks became one week.")
    second = reader.get(f"/traces/{trace_id(2)}").text
    modes = re.search(r'<ol class="modes" id="modes">(.*?)</ol>', second, re.S)
    assert modes
    first_choice = re.search(r'data-mode="(\w+)" data-key="1"', modes.group(1))
    assert first_choice and first_choice.group(1) == dates  # suggested first, key 1
    assert f"suggested, like note {note.id}" in modes.group(1)

    tone = _mode_id(site, "tone")
    assert _change(reader, "merge", mode_id=dates, into=tone).status_code == 303
    page = reader.get("/taxonomy").text
    assert "merged in version 3" in page and "Merged into: <a" in page
    assert "tone: 1 of 2, " in reader.get("/counts").text  # the count followed the merge

    split_form = reader.get(f"/taxonomy/modes/{tone}/split").text
    assert note.id in split_form and 'name="part_name_1"' in split_form
    parts = {"mode_id": tone, "part_name_0": "relative-dates", "part_name_1": "weekdays"}
    refused = _change(reader, "split", **parts)
    assert refused.status_code == 400 and "unassigned" in refused.text
    done = _change(reader, "split", **parts, **{f"assign_{note.id}": "1"})
    assert done.status_code == 303
    assert "split tone into relative-dates, weekdays" in reader.get("/taxonomy").text
    assert "weekdays: 1 of 2, " in reader.get("/counts").text


def test_numbers_that_are_digits_only_to_isdigit_get_a_clear_400(
    site: LiveServer, reader: httpx.Client
) -> None:
    # '²'.isdigit() is True, yet int('²') fails: these gave a 503 from a ValueError.
    counts = reader.get("/counts", params={"window": "²"})
    assert counts.status_code == 400 and "text/html" in counts.headers["content-type"]
    assert "window='²' is not a whole number" in html.unescape(counts.text)
    _change(reader, "add", name="tone")
    tone = _mode_id(site, "tone")
    _note(reader, trace_id(0), "Curt answer to a polite question.")
    note = notes_for_trace(site.store, project_id(site), trace_id(0))[0]
    split = reader.get(f"/taxonomy/modes/{tone}/split", params={"parts": "³"})
    assert split.status_code == 400 and "parts= is '³', not a whole number" in html.unescape(
        split.text
    )
    parts = {"mode_id": tone, "part_name_0": "curt", "part_name_1": "cold"}
    assigned = _change(reader, "split", **parts, **{f"assign_{note.id}": "¹"})
    assert assigned.status_code == 400
    assert f"the part of note {note.id} is '¹', not a whole number" in html.unescape(assigned.text)
    page = reader.get("/taxonomy").text
    stale = reader.post(
        "/taxonomy/add", data={"csrf": field(page, "csrf"), "version": "²", "name": "x"}
    )
    assert stale.status_code == 400
    assert "taxonomy version the form was made from is '²'" in html.unescape(stale.text)
    assert [m.name for m in load_taxonomy(site.store, project_id(site))[1].values()] == ["tone"]
