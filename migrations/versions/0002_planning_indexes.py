"""indexes for the scheduler's planning window and the dossier card

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 21:00:00

- ix_deadline_status_due also holds rrule and dossier_id, so counting a long deadline list
  reads the index only.
- ix_deadline_dossier_status_due: a dossier's open deadlines by date (the card, `/deadline list
  N35`), instead of scanning every open deadline through ix_deadline_status_due.
- ix_deadline_status_rrule, ix_deadline_status_offsets: the few open deadlines that recur or have
  their own reminder ladder, which the tick plans whatever their date.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_status_due')
        batch_op.create_index('ix_deadline_status_due', ['status', 'due_date', 'rrule', 'dossier_id'],
                              unique=False)
        batch_op.create_index('ix_deadline_dossier_status_due', ['dossier_id', 'status', 'due_date'],
                              unique=False)
        batch_op.create_index('ix_deadline_status_rrule', ['status', 'rrule'], unique=False)
        batch_op.create_index('ix_deadline_status_offsets', ['status', 'offsets'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_status_offsets')
        batch_op.drop_index('ix_deadline_status_rrule')
        batch_op.drop_index('ix_deadline_dossier_status_due')
        batch_op.drop_index('ix_deadline_status_due')
        batch_op.create_index('ix_deadline_status_due', ['status', 'due_date'], unique=False)
