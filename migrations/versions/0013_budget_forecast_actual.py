"""budget_forecast_actual: the realisatie as the table of expected year totals prints it

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 00:10:00

- budgetline.forecast_actual: the "werkelijk jan-juni" column of the report's table of expected
  year totals, which is not always the realisatie of its table of actuals (€ 83.000 against
  € 83.465); the check annex names each difference with both figures.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('budgetline') as batch:
        batch.add_column(sa.Column('forecast_actual', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('budgetline') as batch:
        batch.drop_column('forecast_actual')
