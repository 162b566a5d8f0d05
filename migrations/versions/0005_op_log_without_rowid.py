"""SQLite: the op log without rowid, stored in its primary key's order

A rowid table kept each operation twice over: its row in the table's own
b-tree and its (board_id, seq) in the primary key's index. Without rowid the
primary key is the table, so a commit writes one page fewer to the log.
PostgreSQL has no such thing: nothing changes there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Batch mode copies the rows into a new table made with these options, then renames it.
    with op.batch_alter_table(
        "ops", recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
    ):
        pass


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
