"""Tables, in SQLAlchemy Core. Migrations under ``migrations/`` must match these.

Every row carries ``project_id``: the key that sent it decides the project and
no query crosses projects. Times are integer nanoseconds since the epoch, as
OTLP sends them. Span bodies (input, output, attributes, events, tool calls)
are one JSON text column: they are read whole and never filtered on in SQL,
while what users filter on has typed, indexed columns.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(63), nullable=False, unique=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("redaction_secret", String(64), nullable=False),
    Column("redaction_config", Text, nullable=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("user_name", String(200), nullable=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("revoked_ns", BigInteger, nullable=True),
)

traces = Table(
    "traces",
    metadata,
    Column("project_id", Integer, ForeignKey("projects.id"), primary_key=True),
    Column("trace_id", String(32), primary_key=True),
    Column("name", String(500), nullable=True),
    Column("root_span_id", String(16), nullable=True),
    Column("session_id", String(200), nullable=True),
    Column("user_id", String(200), nullable=True),
    Column("service", String(200), nullable=True),
    Column("service_version", String(200), nullable=True),
    Column("surface", String(200), nullable=True),
    Column("source", String(16), nullable=False),
    Column("stop_reason", String(200), nullable=True),
    Column("final_status", String(200), nullable=True),
    Column("start_ns", BigInteger, nullable=False),
    Column("end_ns", BigInteger, nullable=True),
    Column("span_count", Integer, nullable=False),
    Column("error_count", Integer, nullable=False),
    # The store clock's time when ingest last wrote this row (a new span arrived). Background
    # detection follows arrival, not the app's end time: a trace sent late (a collector's
    # retry after an outage, a skewed clock, a backfill) must still be read.
    Column("seen_ns", BigInteger, nullable=False),
    Index("ix_traces_start", "project_id", "start_ns", "trace_id"),
    Index("ix_traces_service_start", "project_id", "service", "start_ns", "trace_id"),
    Index("ix_traces_session", "project_id", "session_id"),
    # Background detection reads traces in the order they arrived (a keyset on both columns).
    Index("ix_traces_seen", "project_id", "seen_ns", "trace_id"),
)

trace_versions = Table(
    "trace_versions",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("trace_id", String(32), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("version", String(200), nullable=False),
)

spans = Table(
    "spans",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("trace_id", String(32), primary_key=True),
    Column("span_id", String(16), primary_key=True),
    Column("parent_span_id", String(16), nullable=True),
    Column("type", String(16), nullable=False),
    Column("name", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("start_ns", BigInteger, nullable=False),
    Column("end_ns", BigInteger, nullable=True),
    Column("model", String(200), nullable=True),
    Column("input_tokens", Integer, nullable=True),
    Column("output_tokens", Integer, nullable=True),
    Column("total_tokens", Integer, nullable=True),
    Column("cost", Float, nullable=True),
    Column("redaction_version", String(64), nullable=True),
    Column("body", Text, nullable=False),
)

signals = Table(
    "signals",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("trace_id", String(32), nullable=True),
    Column("session_id", String(200), nullable=True),
    Column("strength", Float, nullable=False),
    Column("comment", Text, nullable=True),
    Column("corrected_output", Text, nullable=True),
    Column("evidence", Text, nullable=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("created_by", String(200), nullable=True),
    Index("ix_signals_trace", "project_id", "trace_id"),
    Index("ix_signals_session", "project_id", "session_id"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(80), primary_key=True),
    Column("severity", String(8), nullable=False),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=True),
    Column("trace_ids", Text, nullable=False),
    Column("fixture_ids", Text, nullable=False),
    Column("opened_ns", BigInteger, nullable=False),
    Column("closed_ns", BigInteger, nullable=True),
    Column("created_by", String(200), nullable=True),
)

# -- release side: eval runs of a suite against a candidate, and gate decisions --

eval_runs = Table(
    "eval_runs",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),  # run | gate | verify
    Column("suite", Text, nullable=True),
    Column("agent", Text, nullable=False),
    Column("manifest", Text, nullable=False),
    Column("git_commit", String(64), nullable=True),
    Column("ratchet_version", String(40), nullable=False),
    Column("options", Text, nullable=False),
    Column("status", String(16), nullable=False),  # running | finished | interrupted
    Column("started_ns", BigInteger, nullable=False),
    Column("finished_ns", BigInteger, nullable=True),
    Column("fixture_count", Integer, nullable=False),
    Column("passed", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("errored", Integer, nullable=False),
    Column("flaky", Integer, nullable=False),
    Column("cached", Integer, nullable=False),
    Index("ix_eval_runs_started", "project_id", "started_ns"),
)

eval_results = Table(
    "eval_results",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("run_id", String(40), primary_key=True),
    Column("fixture_id", String(200), primary_key=True),
    Column("attempt", Integer, primary_key=True),
    Column("outcome", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("owner", String(200), nullable=True),
    Column("reason", Text, nullable=True),
    Column("checks", Text, nullable=False),
    Column("findings", Text, nullable=False),
    Column("output", Text, nullable=True),
    Column("duration_ms", Float, nullable=False),
    Column("trace_id", String(32), nullable=True),
    Column("cache_key", String(64), nullable=True),
    Column("cached", Integer, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Index("ix_eval_results_fixture", "project_id", "fixture_id", "created_ns"),
    Index("ix_eval_results_cache", "project_id", "cache_key", "cached", "attempt"),
)

gate_decisions = Table(
    "gate_decisions",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("run_id", String(40), nullable=True),
    Column("decision", String(16), nullable=False),  # passed | held
    Column("change_types", Text, nullable=False),
    Column("change_key", String(64), nullable=False),
    Column("report", Text, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Index("ix_gate_decisions_created", "project_id", "created_ns"),
)

waivers = Table(
    "waivers",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("fixture_id", String(200), primary_key=True),
    # A waiver lets one change through: a new change is not covered by it.
    Column("change_key", String(64), primary_key=True),
    Column("waived_by", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
)

# -- review: sessions of traces to read, notes, the failure taxonomy, promotions --

review_sessions = Table(
    "review_sessions",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("created_by", String(200), nullable=True),
    Column("size", Integer, nullable=False),
    Column("random_share", Float, nullable=False),
    Column("stratify", String(16), nullable=True),
    Column("filters", Text, nullable=False),
    Index("ix_review_sessions_created", "project_id", "created_ns"),
)

review_items = Table(
    "review_items",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("session_id", String(40), primary_key=True),
    # In the key: a session never holds the same trace twice.
    Column("trace_id", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("reason", String(400), nullable=False),
    Column("verdict", String(8), nullable=True),
    Column("reviewed_ns", BigInteger, nullable=True),
    Column("reviewed_by", String(200), nullable=True),
    Index("ix_review_items_position", "project_id", "session_id", "position"),
    Index("ix_review_items_trace", "project_id", "trace_id"),
)

notes = Table(
    "notes",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("trace_id", String(32), nullable=False),
    Column("session_id", String(40), nullable=True),
    Column("text", Text, nullable=False),
    Column("first_error_span_id", String(16), nullable=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("created_by", String(200), nullable=True),
    Column("updated_ns", BigInteger, nullable=True),
    Index("ix_notes_trace", "project_id", "trace_id"),
    Index("ix_notes_created", "project_id", "created_ns"),
)

failure_modes = Table(
    "failure_modes",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("definition", Text, nullable=False),
    Column("examples", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("replaced_by", Text, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("created_by", String(200), nullable=True),
    Column("added_in", Integer, nullable=False),
    Column("ended_in", Integer, nullable=True),
)

taxonomy_ops = Table(
    "taxonomy_ops",
    metadata,
    Column("project_id", Integer, primary_key=True),
    # In the key: two concurrent changes cannot both become version N.
    Column("version", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("payload", Text, nullable=False),
    Column("by", String(200), nullable=True),
    Column("at_ns", BigInteger, nullable=False),
    Column("why", Text, nullable=False),
)

note_codes = Table(
    "note_codes",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("note_id", String(40), primary_key=True),
    Column("mode_id", String(40), primary_key=True),
    Column("coded_ns", BigInteger, nullable=False),
    Column("coded_by", String(200), nullable=True),
    Column("suggested", Integer, nullable=False),
    Index("ix_note_codes_mode", "project_id", "mode_id"),
)

promotions = Table(
    "promotions",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("fixture_id", String(200), primary_key=True),
    Column("trace_id", String(32), nullable=True),
    Column("note_id", String(40), nullable=True),
    Column("mode_id", String(40), nullable=True),
    Column("owner", String(200), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("created_by", String(200), nullable=True),
    Column("updated_ns", BigInteger, nullable=False),
    Index("ix_promotions_updated", "project_id", "updated_ns"),
)

online_rules = Table(
    "online_rules",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("id", String(80), primary_key=True),
    Column("filter", Text, nullable=False),
    Column("sample_rate", Float, nullable=False),
    Column("expect", Text, nullable=False),
    Column("enabled", Integer, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("created_by", String(200), nullable=True),
)

# Where each background job (signal detection, online checks) has got to.
job_cursors = Table(
    "job_cursors",
    metadata,
    Column("project_id", Integer, primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("position_ns", BigInteger, nullable=False),
    # The id part of a keyset position: rows sharing ``position_ns`` are ordered by it.
    Column("position_key", String(200), nullable=False, server_default=""),
)

# Server-wide values every replica must share (the key that signs browser sessions).
settings = Table(
    "settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
