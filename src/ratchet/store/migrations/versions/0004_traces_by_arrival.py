"""traces by arrival, for background signal detection; keyset cursors for background jobs

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("traces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seen_ns", sa.BigInteger(), nullable=True))
    # Rows stored before arrival was recorded count as arriving when they ended: detection,
    # whose cursors followed end times until now, reads each of them once.
    op.execute("UPDATE traces SET seen_ns = COALESCE(end_ns, start_ns)")
    with op.batch_alter_table("traces", schema=None) as batch_op:
        batch_op.alter_column("seen_ns", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index("ix_traces_seen", ["project_id", "seen_ns", "trace_id"], unique=False)
    with op.batch_alter_table("job_cursors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("position_key", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("job_cursors", schema=None) as batch_op:
        batch_op.drop_column("position_key")
    with op.batch_alter_table("traces", schema=None) as batch_op:
        batch_op.drop_index("ix_traces_seen")
        batch_op.drop_column("seen_ns")
