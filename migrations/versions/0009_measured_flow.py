"""measured flow: a map may carry what an event log measured, and use it for its figures

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every map from before has no measurements and uses its own figures, and reads so.
    with op.batch_alter_table("boards") as batch:
        batch.add_column(sa.Column("measured", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column(
                "figures_from",
                sa.String(length=16),
                nullable=False,
                server_default="estimates",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("boards") as batch:
        batch.drop_column("figures_from")
        batch.drop_column("measured")
