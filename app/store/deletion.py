"""Deleting a board for good: every row of it goes, in one transaction.

A hard delete, because the facilitator asked for the data to go: the board row,
its links, op log, snapshot, published versions, validation requests, invited
people and their verdicts. Dot votes, comments and everything else drawn on the
board live in the op log and the snapshot, so they go with them.

What stays is the SHA-256 of each of its link tokens (board and validation links)
in `deleted_links`, and nothing else: a hash cannot be turned back into a link or
into any of the board's data, and it lets a dead link say "this board was deleted"
(404) instead of "wrong link" (403), without counting against the address's budget
of wrong guesses (a whole workshop behind one NAT reloading its dead links would
otherwise lock itself out of its other boards).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Select, delete, insert, select, update

from app.store.repository import hash_token
from app.store.tables import (
    BoardRow,
    DeletedLinkRow,
    LinkRow,
    OpRow,
    ValidationRow,
    ValidatorRow,
    VerdictRow,
    VersionRow,
    utcnow,
)

_boards = BoardRow.__table__  # type: ignore[attr-defined]
_links = LinkRow.__table__  # type: ignore[attr-defined]
_ops = OpRow.__table__  # type: ignore[attr-defined]
_versions = VersionRow.__table__  # type: ignore[attr-defined]
_validations = ValidationRow.__table__  # type: ignore[attr-defined]
_validators = ValidatorRow.__table__  # type: ignore[attr-defined]
_verdicts = VerdictRow.__table__  # type: ignore[attr-defined]
_deleted = DeletedLinkRow.__table__  # type: ignore[attr-defined]


def delete_board(engine: Engine, board_id: str) -> bool:
    """Delete the board and everything of it; False if there was no such board.

    Children before parents (the foreign keys are enforced on SQLite and PostgreSQL).
    A future-state map started from this board stays (it has its own links) and
    forgets where it came from.
    """
    with engine.begin() as conn:
        found = conn.execute(
            select(_boards.c.id).where(_boards.c.id == board_id).with_for_update()
        ).first()
        if found is None:
            return False
        requests = select(_validations.c.id).where(_validations.c.board_id == board_id)
        hashes = _link_hashes(conn, board_id, requests)
        if hashes:
            now = utcnow()
            conn.execute(insert(_deleted), [{"token_hash": h, "deleted_at": now} for h in hashes])
        conn.execute(delete(_verdicts).where(_verdicts.c.validation_id.in_(requests)))
        conn.execute(delete(_validators).where(_validators.c.validation_id.in_(requests)))
        conn.execute(delete(_validations).where(_validations.c.board_id == board_id))
        conn.execute(delete(_versions).where(_versions.c.board_id == board_id))
        conn.execute(delete(_ops).where(_ops.c.board_id == board_id))
        conn.execute(delete(_links).where(_links.c.board_id == board_id))
        conn.execute(update(_boards).where(_boards.c.future_of == board_id).values(future_of=None))
        conn.execute(delete(_boards).where(_boards.c.id == board_id))
    return True


def _link_hashes(conn: Connection, board_id: str, requests: Select[tuple[str]]) -> list[str]:
    """Every link of the board: its own (revoked ones too), its validation requests' and
    the invited people's."""
    people = _validators.c.validation_id.in_(requests) & _validators.c.token_hash.is_not(None)
    queries = (
        select(_links.c.token_hash).where(_links.c.board_id == board_id),
        select(_validations.c.token_hash).where(_validations.c.board_id == board_id),
        select(_validators.c.token_hash).where(people),
    )
    return [h for query in queries for (h,) in conn.execute(query)]


def was_deleted(engine: Engine, token: str) -> bool:
    """Whether this link belonged to a board that has since been deleted."""
    with engine.connect() as conn:
        row = conn.execute(
            select(_deleted.c.token_hash).where(_deleted.c.token_hash == hash_token(token))
        ).first()
    return row is not None
