"""kamer_feed_cursor: the SyncFeed's skiptoken per entity set

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 10:00:00

- kamer_sync.skiptoken: where the Tweede Kamer's SyncFeed resumes (rows `feed:Activiteit`,
  `feed:Agendapunt`, `feed:Toezegging`), kept in the database like the OData cursor so replicas
  share it and a restarted sync goes on after the last page applied. A skiptoken counts changes
  in the whole Gegevensmagazijn (tens of millions), hence BIGINT.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('kamer_sync') as batch:
        batch.add_column(sa.Column('skiptoken', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM kamer_sync WHERE name LIKE 'feed:%'")
    with op.batch_alter_table('kamer_sync') as batch:
        batch.drop_column('skiptoken')
