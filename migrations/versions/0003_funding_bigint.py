"""dossier funding amounts as BIGINT

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 21:10:00

The services accept amounts up to € 10^13, but INTEGER on PostgreSQL stops at € 2.147.483.647:
a dossier of € 3 billion (a rail link) failed on PostgreSQL with "integer out of range".
SQLite's INTEGER holds 64 bits already; the batch copy there changes only the declared type.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        for name in ('funding_needed', 'funding_secured'):
            batch_op.alter_column(name, existing_type=sa.Integer(), type_=sa.BigInteger(),
                                  existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        for name in ('funding_needed', 'funding_secured'):
            batch_op.alter_column(name, existing_type=sa.BigInteger(), type_=sa.Integer(),
                                  existing_nullable=True)
