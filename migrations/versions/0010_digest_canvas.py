"""digest_canvas: the Slack canvas of a period's report per channel (edited in place), or why
there is none

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.models

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'digest_canvas',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('canvas_id', sa.String(length=40), nullable=True),
        sa.Column('error', sa.String(length=100), nullable=True),
        sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('period', 'channel'),
    )


def downgrade() -> None:
    op.drop_table('digest_canvas')
