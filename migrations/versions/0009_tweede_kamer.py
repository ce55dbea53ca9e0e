"""Tweede Kamer: stored activities, milestone links, watch words, notices and the sync cursor

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:00:00

- kamer_activity: the last known state of each Activiteit the sync read (OData field names).
- kamer_link: a milestone followed in the Kamer's agenda (activity id once the sync found it).
- kamer_watch: a dossier's watch words, folded for matching.
- kamer_notice: what a sync found (moved, cancelled, deleted, replaced, suggestion), unique by
  key, posted once through the Delivery ledger (kind 'kamer').
- kamer_sync: the pass lease and health ('pass') and one cursor per entity set.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.models

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, tracker.models.UTCDateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'kamer_activity',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('nummer', sa.String(length=20), nullable=False),
        sa.Column('soort', sa.String(length=100), nullable=False),
        sa.Column('onderwerp', sa.String(length=1000), nullable=False),
        sa.Column('datum', sa.Date(), nullable=True),
        _utc('aanvangstijd'), _utc('eindtijd'),
        sa.Column('locatie', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=40), nullable=False),
        sa.Column('voortouwnaam', sa.String(length=200), nullable=False),
        sa.Column('voortouwafkorting', sa.String(length=40), nullable=False),
        sa.Column('vergaderjaar', sa.String(length=20), nullable=False),
        sa.Column('noot', sa.String(length=1000), nullable=False),
        sa.Column('voortgezet_vanuit', sa.String(length=40), nullable=True),
        sa.Column('vervangen_vanuit', sa.String(length=40), nullable=True),
        sa.Column('verwijderd', sa.Boolean(), nullable=False),
        _utc('api_gewijzigd_op'),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_kamer_activity_datum', 'kamer_activity', ['datum'])
    op.create_index('ix_kamer_activity_nummer', 'kamer_activity', ['nummer'])

    op.create_table(
        'kamer_link',
        sa.Column('deadline_id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.String(length=40), nullable=True),
        sa.Column('nummer', sa.String(length=20), nullable=False),
        sa.Column('linked_by', sa.String(length=40), nullable=True),
        _utc('linked_at', nullable=False),
        sa.ForeignKeyConstraint(['deadline_id'], ['deadline.id']),
        sa.PrimaryKeyConstraint('deadline_id'))
    op.create_index('ix_kamer_link_activity_id', 'kamer_link', ['activity_id'])

    op.create_table(
        'kamer_watch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('folded', sa.String(length=100), nullable=False),
        sa.Column('created_by', sa.String(length=40), nullable=True),
        _utc('created_at', nullable=False),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dossier_id', 'folded'))
    op.create_index('ix_kamer_watch_dossier_id', 'kamer_watch', ['dossier_id'])

    op.create_table(
        'kamer_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('deadline_id', sa.Integer(), nullable=True),
        sa.Column('entity', sa.String(length=20), nullable=False),
        sa.Column('entity_id', sa.String(length=40), nullable=False),
        sa.Column('activity_id', sa.String(length=40), nullable=True),
        sa.Column('nummer', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('detail', sa.String(length=1000), nullable=False),
        sa.Column('before', sa.String(length=200), nullable=True),
        sa.Column('after', sa.String(length=200), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=True),
        sa.Column('ledger_key', sa.String(length=200), nullable=True),
        sa.Column('posted', sa.Boolean(), nullable=False),
        _utc('created_at', nullable=False),
        sa.ForeignKeyConstraint(['deadline_id'], ['deadline.id']),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'))
    op.create_index('ix_kamer_notice_posted', 'kamer_notice', ['posted', 'id'])
    op.create_index('ix_kamer_notice_dossier_id', 'kamer_notice', ['dossier_id'])
    op.create_index('ix_kamer_notice_deadline_id', 'kamer_notice', ['deadline_id'])
    op.create_index('ix_kamer_notice_ledger_key', 'kamer_notice', ['ledger_key'])

    op.create_table(
        'kamer_sync',
        sa.Column('name', sa.String(length=20), nullable=False),
        _utc('cursor'),
        sa.Column('cursor_ids', sa.String(length=4000), nullable=False, server_default=''),
        sa.Column('version', sa.Integer(), nullable=False),
        _utc('lease_until'), _utc('last_attempt_at'), _utc('last_success_at'),
        sa.Column('failures', sa.Integer(), nullable=False),
        _utc('next_attempt_at'),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint('name'))


def downgrade() -> None:
    for name in ('kamer_sync', 'kamer_notice', 'kamer_watch', 'kamer_link', 'kamer_activity'):
        op.drop_table(name)
