"""personal validation links: each invited person's own token, so nobody answers as another

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("validators") as batch:
        batch.add_column(
            sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.create_index("ix_validators_token_hash", ["token_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("validators") as batch:
        batch.drop_index("ix_validators_token_hash")
        batch.drop_column("token_hash")
