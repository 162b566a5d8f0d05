"""teams and swimlanes: a map may list the teams that own its steps, and draw their lanes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every map from before has no teams and no lanes, and reads so. Steps name their
    # owner inside the snapshot and the op log (JSON), so they need no column.
    with op.batch_alter_table("boards") as batch:
        batch.add_column(sa.Column("teams", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("swimlanes", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("boards") as batch:
        batch.drop_column("swimlanes")
        batch.drop_column("teams")
