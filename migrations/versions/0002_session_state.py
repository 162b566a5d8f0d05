"""session state on the board: editing locked, a countdown running, who presents

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("boards") as batch:
        batch.add_column(
            sa.Column("locked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("timer_ends_at", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column("timer_label", sa.String(length=80), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("presenter", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("boards") as batch:
        batch.drop_column("presenter")
        batch.drop_column("timer_label")
        batch.drop_column("timer_ends_at")
        batch.drop_column("locked")
