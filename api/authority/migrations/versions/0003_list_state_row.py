"""the one list-state row

Publishing locks this row (``SELECT ... FOR UPDATE``) before it commits a version. Created here, so
that even the first publishes of two hosts at once find a row to lock instead of both inserting it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 23:55:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO liststate (id, current_version) "
        "SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM liststate WHERE id = 1)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM liststate WHERE id = 1 AND current_version = 0")
