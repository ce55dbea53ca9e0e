"""reminders: "Herinner morgen" (snooze) on a milestone, and each member's reminder preference

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:00:00

- deadline.snooze_until: the instant of the one extra reminder a "Herinner morgen" asked for
  (the next working day at LOBBY_REMINDER_TIME); the due date itself stays. NULL: none.
- member.reminders_via: `kanaal` (a mention in the dossier's channel, the default) or `dm`
  (`/lobby voorkeur dm`: the member's reminders come as a direct message).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.models import UTCDateTime

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snooze_until', UTCDateTime(), nullable=True))
        batch_op.create_index('ix_deadline_snooze_until', ['snooze_until'], unique=False)
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders_via', sa.String(length=10), nullable=False,
                                      server_default='kanaal'))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('reminders_via')
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_snooze_until')
        batch_op.drop_column('snooze_until')
