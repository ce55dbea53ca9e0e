"""deadline_overdue_index: the overdue actions found by index

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 04:40:00

- ix_deadline_status_role_due (status, role, due_date, rrule, dossier_id): the open actions
  before today (`/deadline list`, the App Home, the agenda) without reading every open event
  of the past that has taken place.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_deadline_status_role_due', 'deadline',
                    ['status', 'role', 'due_date', 'rrule', 'dossier_id'])


def downgrade() -> None:
    op.drop_index('ix_deadline_status_role_due', table_name='deadline')
