"""The review pages over HTTP: queue, trace view, notes, promotion, errors, XSS and CSRF."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from ratchet.core.clock import ManualClock
from ratchet.core.signals import Signal, SignalKind
from ratchet.review import promote
from ratchet.server import pages
from ratchet.server.auth import Public
from ratchet.store.ingest import write_spans
from ratchet.store.keys import create_key
from ratchet.store.notes import notes_for_trace
from ratchet.store.promotions import list_promotions
from ratchet.store.records import SpanRecord
from ratchet.store.review_sessions import list_sessions
from ratchet.store.signals_write import add_signal
from ratchet.store.store import Store
from ratchet.store.taxonomy import load_taxonomy
from support.live_server import LiveServer
from support.review_data import seed_traces, span_id, trace_id
from support.review_ui import csrf, field, flat_routes, pages_server, project_id, sign_in

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
XSS_TRACE = "ee" * 16


@pytest.fixture
def site(store: Store) -> Iterator[LiveServer]:
    with pages_server(store) as live:
        seed_traces(store, project_id(live), 6)
        yield live


@pytest.fixture
def reader(site: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        sign_in(client, site.key)
        yield client


def _start(client: httpx.Client, size: int = 6) -> str:
    resp = client.post(
        "/review/sessions", data={"csrf": csrf(client), "size": str(size), "random_share": "0.5"}
    )
    assert resp.status_code == 303, resp.text
    return str(resp.headers["location"]).rsplit("/", 1)[1]


def _queue_links(client: httpx.Client, session: str) -> list[str]:
    return re.findall(
        r'<td><a href="(/traces/[0-9a-f]{32}\?session=[^"]+)"',
        client.get(f"/review/sessions/{session}").text,
    )


def test_every_page_sends_a_visitor_without_a_session_to_sign_in(site: LiveServer) -> None:
    paths = ["/review", "/review/sessions/rs1", f"/traces/{trace_id(0)}", "/taxonomy"]
    paths += ["/counts", f"/promote/{trace_id(0)}", "/taxonomy/modes/fm1/split"]
    with httpx.Client(base_url=site.url) as anonymous:
        for path in paths:
            resp = anonymous.get(path)
            assert (resp.status_code, resp.headers.get("location")) == (303, "/login"), path


def test_start_a_session_then_read_its_queue_in_order(
    site: LiveServer, reader: httpx.Client
) -> None:
    add_signal(
        site.store,
        project_id(site),
        Signal(
            id="sg1",
            kind=SignalKind.REPORT,
            trace_id=trace_id(3),
            created_at=datetime(2026, 11, 16, 10, tzinfo=UTC),
        ),
    )
    listing = reader.get("/review")
    assert "Start a review session" in listing.text and "No review session yet" in listing.text
    bad = reader.post("/review/sessions", data={"csrf": csrf(reader), "size": "lots"})
    assert bad.status_code == 400 and "size &#39;lots&#39; is not a number" in bad.text
    assert list_sessions(site.store, project_id(site)) == []
    session = _start(reader)
    queue = reader.get(f"/review/sessions/{session}")
    assert queue.status_code == 200
    assert "0 of 6 reviewed" in queue.text and "Start reading (#1)" in queue.text
    links = _queue_links(reader, session)
    assert sorted(links) == [f"/traces/{trace_id(i)}?session={session}" for i in range(6)]
    flagged = re.search(
        rf"<tr[^>]*>\s*<td>\d+</td>\s*<td><a href=\"/traces/{trace_id(3)}.*?</tr>", queue.text, re.S
    )
    assert flagged, "the trace with a report is in the sample"
    assert '<span class="badge neg">report</span>' in flagged.group(0)
    assert "signal:" in flagged.group(0)
    assert f'<link rel="prefetch" href="{links[0]}">' in queue.text.replace("&amp;", "&")
    assert f'href="/review/sessions/{session}"' in reader.get("/review").text


def test_the_trace_view_shows_the_run_and_takes_a_note_pinned_to_a_span(
    site: LiveServer, reader: httpx.Client
) -> None:
    session = _start(reader)
    links = _queue_links(reader, session)
    first_id = links[0].split("/")[2].split("?")[0]
    page = reader.get(links[0])
    assert page.status_code == 200
    shown = page.text
    index = int(first_id, 16) - 1
    assert ("Can we book my next session" in shown) or (f"refund order ord_{index:04d}" in shown)
    assert "Your refund is on its way." in shown or "Booked you for the 30th." in shown
    for name in ("chat", "tool arguments", "span " + span_id(index, 3), "gpt-4o-mini"):
        assert name in shown
    assert f'data-next="{links[1]}"' in shown.replace("&amp;", "&")
    assert f'<link rel="prefetch" href="{links[1]}">' in shown.replace("&amp;", "&")
    assert f'data-url="/api/v1/review-sessions/{session}/items/{first_id}"' in shown
    resp = reader.post(
        f"/traces/{first_id}/notes",
        data={
            "csrf": field(shown, "csrf"),
            "text": "The tool failed and the answer still claimed success.",
            "session": session,
            "first_error_span_id": span_id(index, 3),
        },
    )
    assert resp.status_code == 303
    assert resp.headers["location"] == f"/traces/{first_id}?session={session}#notes"
    after = reader.get(links[0]).text
    assert "The tool failed and the answer still claimed success." in after
    assert "tester ·" in after and "first upstream error: <a" in after
    assert f'class="status-{"error" if index % 3 == 0 else "ok"} pinned"' in after
    assert "1 of 6 reviewed" in reader.get(f"/review/sessions/{session}").text


def test_an_empty_note_keeps_the_page_and_says_what_to_write(
    site: LiveServer, reader: httpx.Client
) -> None:
    page = reader.get(f"/traces/{trace_id(1)}").text
    resp = reader.post(
        f"/traces/{trace_id(1)}/notes", data={"csrf": field(page, "csrf"), "text": " "}
    )
    assert resp.status_code == 400 and "text/html" in resp.headers["content-type"]
    assert "the note is empty: write what went wrong" in resp.text
    assert 'id="note-text"' in resp.text
    assert notes_for_trace(site.store, project_id(site), trace_id(1)) == []


def _seed_hostile_trace(store: Store, pid: int) -> None:
    start = int(datetime(2026, 11, 16, 12, tzinfo=UTC).timestamp() * 1e9)
    root = SpanRecord(
        trace_id=XSS_TRACE,
        span_id="e" * 16,
        name=f"checkout {BREAKOUT}",
        type="agent",
        status="error",
        start_ns=start,
        end_ns=start + 10**9,
        input={"user_message": f"hi {SCRIPT}"},
        output=f"done {BREAKOUT}",
        attributes={"note": SCRIPT},
        surface=f"web {SCRIPT}",
    )
    tool = SpanRecord(
        trace_id=XSS_TRACE,
        span_id="f" * 16,
        parent_span_id=root.span_id,
        name="lookup",
        type="tool",
        status="ok",
        start_ns=start + 10,
        end_ns=start + 10**8,
        tool_arguments={"q": BREAKOUT},
        tool_result=SCRIPT,
    )
    with store.write() as conn:
        write_spans(conn, pid, [root, tool])


def test_script_in_spans_and_notes_is_shown_as_text(site: LiveServer, reader: httpx.Client) -> None:
    _seed_hostile_trace(site.store, project_id(site))
    session = _start(reader, size=7)
    page = reader.get(f"/traces/{XSS_TRACE}?session={session}").text
    note = reader.post(
        f"/traces/{XSS_TRACE}/notes",
        data={"csrf": field(page, "csrf"), "text": f"{SCRIPT} and {BREAKOUT}", "session": session},
    )
    assert note.status_code == 303
    for shown in (
        reader.get(f"/traces/{XSS_TRACE}?session={session}").text,
        reader.get(f"/review/sessions/{session}").text,
    ):
        assert SCRIPT not in shown and BREAKOUT not in shown and "<img" not in shown
        assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    trace_page = reader.get(f"/traces/{XSS_TRACE}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &#34;&gt;&lt;img" in trace_page  # the note
    assert "hi &lt;script&gt;alert(1)&lt;/script&gt;" in trace_page  # the transcript


def test_form_posts_without_the_token_are_refused_and_write_nothing(
    site: LiveServer, reader: httpx.Client
) -> None:
    pid = project_id(site)
    with httpx.Client(base_url=site.url) as other:
        sign_in(other, site.key)
        foreign = csrf(other)  # a real token, but of another browser session
    forms = {
        "/review/sessions": {"size": "3"},
        f"/traces/{trace_id(0)}/notes": {"text": "forged note"},
        "/taxonomy/add": {"name": "forged-mode", "version": "0", "why": "x"},
        f"/promote/{trace_id(0)}": {"body": "id: forged\n"},
    }
    for path, data in forms.items():
        for token in (None, "guess", foreign):
            sent = data if token is None else {**data, "csrf": token}
            resp = reader.post(path, data=sent)
            assert resp.status_code == 403, (path, token, resp.text)
            assert "text/html" in resp.headers["content-type"]
            assert "security token" in resp.text
    assert list_sessions(site.store, pid) == []
    assert notes_for_trace(site.store, pid, trace_id(0)) == []
    assert load_taxonomy(site.store, pid)[0] == 0
    assert list_promotions(site.store, pid) == []


def test_promote_opens_a_draft_checks_it_and_saves_it(
    site: LiveServer, reader: httpx.Client
) -> None:
    page = reader.get(f"/traces/{trace_id(0)}").text
    reader.post(
        f"/traces/{trace_id(0)}/notes",
        data={"csrf": field(page, "csrf"), "text": "Booked without a free slot."},
    )
    note_id = notes_for_trace(site.store, project_id(site), trace_id(0))[0].id
    assert (
        f'href="/promote/{trace_id(0)}?note={note_id}"' in reader.get(f"/traces/{trace_id(0)}").text
    )
    editor = reader.get(f"/promote/{trace_id(0)}?note={note_id}")
    assert editor.status_code == 200
    draft = re.search(
        r'<textarea class="editor" id="fixture-body" name="body"[^>]*>(.*?)</textarea>',
        editor.text,
        re.S,
    )
    assert draft and "reason: Booked without a free slot." in draft.group(1)
    token = field(editor.text, "csrf")
    bad = reader.post(
        f"/promote/{trace_id(0)}",
        data={"csrf": token, "body": "severity: bogus\n", "note": note_id},
    )
    assert bad.status_code == 422 and "Not valid:" in bad.text and "severity" in bad.text
    assert list_promotions(site.store, project_id(site)) == []
    body = html.unescape(draft.group(1))
    good = reader.post(
        f"/promote/{trace_id(0)}", data={"csrf": token, "body": body, "note": note_id}
    )
    assert good.status_code == 200, good.text
    stored = list_promotions(site.store, project_id(site))
    assert [(p.note_id, p.trace_id) for p in stored] == [(note_id, trace_id(0))]
    assert f'id="saved-fixture">{stored[0].fixture_id}<' in good.text
    assert "ratchet fixtures pull" in good.text


def test_promoting_over_someone_elses_fixture_says_whose_and_keeps_the_text(
    site: LiveServer, reader: httpx.Client
) -> None:
    pid = project_id(site)
    theirs = "id: refund-guard\nseverity: warning\nreason: Dana's wording.\n"
    promote.save(site.store, pid, theirs, by="dana", clock=ManualClock(), trace_id=trace_id(1))
    editor = reader.get(f"/promote/{trace_id(0)}")
    token = field(editor.text, "csrf")
    mine = "id: refund-guard\nseverity: warning\nreason: My wording.\n"
    refused = reader.post(f"/promote/{trace_id(0)}", data={"csrf": token, "body": mine})
    assert refused.status_code == 409 and "text/html" in refused.headers["content-type"]
    shown = html.unescape(refused.text)
    assert f"id (line 1): 'refund-guard' is already promoted by dana from trace {trace_id(1)}" in (
        shown
    )
    assert "My wording." in refused.text  # the editor keeps what was typed
    assert [p.body for p in list_promotions(site.store, pid)] == [theirs]
    confirmed = reader.post(
        f"/promote/{trace_id(0)}", data={"csrf": token, "body": mine, "replace": "1"}
    )
    assert confirmed.status_code == 200, confirmed.text
    (stored,) = list_promotions(site.store, pid)
    assert (stored.body, stored.trace_id, stored.created_by) == (mine, trace_id(0), "tester")


def test_mistakes_come_back_as_readable_pages(site: LiveServer, reader: httpx.Client) -> None:
    cases = {
        "/traces/not-a-trace": (400, "not a trace id"),
        f"/traces/{'f' * 32}": (404, "f" * 32),
        "/review/sessions/rs-missing": (404, "no review session"),
        f"/promote/{'f' * 32}": (404, "f" * 32),
    }
    for path, (status, words) in cases.items():
        resp = reader.get(path)
        assert resp.status_code == status, path
        assert "text/html" in resp.headers["content-type"] and words in resp.text, path
        assert 'role="alert"' in resp.text and 'href="/review"' in resp.text
    missing = reader.get(f"/traces/{trace_id(0)}?session=rs-missing")
    assert missing.status_code == 404 and "no review session" in missing.text
    rival_key, _ = create_key(site.store, "rival", "mallory")
    with httpx.Client(base_url=site.url) as rival:
        sign_in(rival, rival_key)
        theirs = rival.get(f"/traces/{trace_id(0)}")
        assert theirs.status_code == 404 and "Not found" in theirs.text


def test_every_page_route_declares_its_permission() -> None:
    routes = list(flat_routes(pages.router.routes))
    assert {"/review", "/traces/{trace_id}", "/taxonomy", "/counts", "/static/{name}"} <= {
        r.path for r in routes
    }
    for route in routes:
        calls = [dep.call for dep in route.dependant.dependencies]
        assert any(isinstance(call, Public) for call in calls), route.path


def test_the_script_and_styles_are_served_and_cached_by_version(reader: httpx.Client) -> None:
    page = reader.get("/review").text
    src = re.search(r'<script src="(/static/ui\.js\?v=[0-9a-f]+)" defer>', page)
    assert src
    versioned = reader.get(src.group(1))
    assert versioned.status_code == 200 and "javascript" in versioned.headers["content-type"]
    assert "immutable" in versioned.headers["cache-control"]
    assert reader.get("/static/ui.css").headers["cache-control"] == "no-cache"
    assert reader.get("/static/app.py").status_code == 404
