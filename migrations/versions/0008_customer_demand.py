"""customer demand: a map may carry its demand in items per working day

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 17:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable with no default: every map from before has no demand, and reads so.
    with op.batch_alter_table("boards") as batch:
        batch.add_column(sa.Column("demand_per_day", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("boards") as batch:
        batch.drop_column("demand_per_day")
