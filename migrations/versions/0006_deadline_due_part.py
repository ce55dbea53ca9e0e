"""deadlines: the part of a rough date ("begin", "mid", "end": "eind 2024", "medio december")

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:10:00

- due_part: with precision (0005) it says which span a deadline's date stands for; the stored
  due_date is that span's anchor (its last day, or its first for "op z'n vroegst"), see
  tracker.dates.spans. Existing rows are whole days (precision 'day') and get ''.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_part', sa.String(length=5), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_column('due_part')
