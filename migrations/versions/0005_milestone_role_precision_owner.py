"""milestones: role (event/action), precision and qualifier of the date, optional owner

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:40:00

- role: an event takes place in the world (debate, visit, election, decision, meeting); an action
  is the team's to deliver (submission, commitment, other). Existing rows get the default of
  their kind; only actions can become overdue.
- precision/qualifier: how precisely the date is known (day … year) and how it is meant
  (uiterlijk, ca., op z'n vroegst). Existing approximate rows were read as "uiterlijk".
- owner: the person a milestone's reminders name; NULL means the dossier's owner.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENT_KINDS = ('debate', 'visit', 'election', 'decision', 'meeting')


def upgrade() -> None:
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=10), nullable=False,
                                      server_default='action'))
        batch_op.add_column(sa.Column('precision', sa.String(length=10), nullable=False,
                                      server_default='day'))
        batch_op.add_column(sa.Column('qualifier', sa.String(length=10), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('owner', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_deadline_owner', ['owner'], unique=False)
    kinds = ", ".join(f"'{k}'" for k in _EVENT_KINDS)
    op.execute(f"UPDATE deadline SET role = 'event' WHERE kind IN ({kinds})")
    op.execute("UPDATE deadline SET qualifier = 'uiterlijk' WHERE approximate")


def downgrade() -> None:
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_owner')
        for name in ('owner', 'qualifier', 'precision', 'role'):
            batch_op.drop_column(name)
