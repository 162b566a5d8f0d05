"""published versions of a board, and their validation by named participants

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_name = sqlmodel.sql.sqltypes.AutoString
_when = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("board_id", _name(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", _name(length=200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("board", sa.Text(), nullable=False),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"]),
        sa.PrimaryKeyConstraint("board_id", "number"),
    )
    op.create_table(
        "validations",
        sa.Column("id", _name(length=32), nullable=False),
        sa.Column("board_id", _name(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("token_hash", _name(length=64), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("board_id", "number", name="uq_validations_version"),
    )
    op.create_index("ix_validations_board_id", "validations", ["board_id"], unique=False)
    op.create_index("ix_validations_token_hash", "validations", ["token_hash"], unique=True)
    op.create_table(
        "validators",
        sa.Column("validation_id", _name(length=32), nullable=False),
        sa.Column("name", _name(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("signed_at", _when(), nullable=True),
        sa.ForeignKeyConstraint(["validation_id"], ["validations.id"]),
        sa.PrimaryKeyConstraint("validation_id", "name"),
    )
    op.create_table(
        "verdicts",
        sa.Column("validation_id", _name(length=32), nullable=False),
        sa.Column("name", _name(length=60), nullable=False),
        sa.Column("step_id", _name(length=64), nullable=False),
        sa.Column("verdict", _name(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("field", _name(length=32), nullable=True),
        sa.Column("proposed", sa.Float(), nullable=True),
        sa.Column("figure", _name(length=60), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["validation_id"], ["validations.id"]),
        sa.PrimaryKeyConstraint("validation_id", "name", "step_id"),
    )


def downgrade() -> None:
    op.drop_table("verdicts")
    op.drop_table("validators")
    op.drop_index("ix_validations_token_hash", table_name="validations")
    op.drop_index("ix_validations_board_id", table_name="validations")
    op.drop_table("validations")
    op.drop_table("versions")
