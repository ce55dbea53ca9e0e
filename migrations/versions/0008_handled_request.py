"""handled_request: requests that changed something, remembered for Slack's replay window

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:10:00

A replayed signed request, a form submitted twice and a burst of clicks on "Plaats in kanaal"
find their key here and are answered again without a second change; every replica sees the
same table. Rows are deleted once `expires_at` has passed.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tracker.models import UTCDateTime

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'handled_request',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_handled_request_expires_at', 'handled_request', ['expires_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_handled_request_expires_at', table_name='handled_request')
    op.drop_table('handled_request')
