"""review: sessions, notes, failure taxonomy, promotions, online rules, job cursors, settings

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_sessions",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("random_share", sa.Float(), nullable=False),
        sa.Column("stratify", sa.String(length=16), nullable=True),
        sa.Column("filters", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "id"),
    )
    with op.batch_alter_table("review_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_sessions_created", ["project_id", "created_ns"], unique=False
        )

    op.create_table(
        "review_items",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=True),
        sa.Column("reviewed_ns", sa.BigInteger(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("project_id", "session_id", "trace_id"),
    )
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_items_position", ["project_id", "session_id", "position"], unique=False
        )
        batch_op.create_index("ix_review_items_trace", ["project_id", "trace_id"], unique=False)

    op.create_table(
        "notes",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_error_span_id", sa.String(length=16), nullable=True),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("updated_ns", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", "id"),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index("ix_notes_created", ["project_id", "created_ns"], unique=False)
        batch_op.create_index("ix_notes_trace", ["project_id", "trace_id"], unique=False)

    op.create_table(
        "failure_modes",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("examples", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("replaced_by", sa.Text(), nullable=False),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("added_in", sa.Integer(), nullable=False),
        sa.Column("ended_in", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", "id"),
    )

    op.create_table(
        "taxonomy_ops",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.Column("at_ns", sa.BigInteger(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "version"),
    )

    op.create_table(
        "note_codes",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.String(length=40), nullable=False),
        sa.Column("mode_id", sa.String(length=40), nullable=False),
        sa.Column("coded_ns", sa.BigInteger(), nullable=False),
        sa.Column("coded_by", sa.String(length=200), nullable=True),
        sa.Column("suggested", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "note_id", "mode_id"),
    )
    with op.batch_alter_table("note_codes", schema=None) as batch_op:
        batch_op.create_index("ix_note_codes_mode", ["project_id", "mode_id"], unique=False)

    op.create_table(
        "promotions",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("fixture_id", sa.String(length=200), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.Column("note_id", sa.String(length=40), nullable=True),
        sa.Column("mode_id", sa.String(length=40), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("updated_ns", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "fixture_id"),
    )
    with op.batch_alter_table("promotions", schema=None) as batch_op:
        batch_op.create_index("ix_promotions_updated", ["project_id", "updated_ns"], unique=False)

    op.create_table(
        "online_rules",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("filter", sa.Text(), nullable=False),
        sa.Column("sample_rate", sa.Float(), nullable=False),
        sa.Column("expect", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Integer(), nullable=False),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("project_id", "id"),
    )

    op.create_table(
        "job_cursors",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("position_ns", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "name"),
    )

    op.create_table(
        "settings",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("job_cursors")
    op.drop_table("online_rules")
    op.drop_table("promotions")
    op.drop_table("note_codes")
    op.drop_table("taxonomy_ops")
    op.drop_table("failure_modes")
    op.drop_table("notes")
    op.drop_table("review_items")
    op.drop_table("review_sessions")
