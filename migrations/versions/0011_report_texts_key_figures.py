"""half-year report: key figures, the report's own texts, how precisely a history entry is dated

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:00:00

- keyfigure: the dataset's key figures (kerncijfers) with their label, unit and qualifier
  ("ruim", "meer dan"), so the digest shows them as the report does.
- reporttext: the report's own words per period: kernboodschap, per execution line its goals,
  results and outlook, risks and decisions. The digest quotes them; it never invents them.
- indicatorseries.baseline/baseline_label: the comparison the data allows (2022: 140 a month).
- event.precision: a history entry known only as "voorjaar 2023" or "Q2" keeps that precision
  (day … year, the vocabulary of deadline.precision) instead of reading as an invented day.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'keyfigure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('value', sa.Float(), nullable=True),
        sa.Column('text', sa.String(length=200), nullable=False),
        sa.Column('unit', sa.String(length=20), nullable=False),
        sa.Column('qualifier', sa.String(length=20), nullable=False),
        sa.Column('line', sa.String(length=40), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('year', 'key'),
    )
    op.create_table(
        'reporttext',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('section', sa.String(length=20), nullable=False),
        sa.Column('line', sa.String(length=40), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=4000), nullable=False),
        sa.Column('source', sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_reporttext_period', 'reporttext', ['period'], unique=False)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('precision', sa.String(length=10), nullable=False,
                                      server_default='day'))
    with op.batch_alter_table('indicatorseries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('baseline_label', sa.String(length=200), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('indicatorseries', schema=None) as batch_op:
        batch_op.drop_column('baseline_label')
        batch_op.drop_column('baseline')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('precision')
    op.drop_index('ix_reporttext_period', table_name='reporttext')
    op.drop_table('reporttext')
    op.drop_table('keyfigure')
