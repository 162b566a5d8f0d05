"""Validation of a published version, in the database: requests, links, verdicts.

A validation request belongs to one version (store/versions.py); its link's
token is kept only as a SHA-256 hash, in its own table, so it can never open the
live board the way a board link does. Each person asked has a link of their own.
The functions here block (SQLAlchemy Core on a sync engine): call them through
`Database.run`.

    made = invite(engine, "b1", number, ("Ada", "Bob"))
    ref = find_validation(engine, made.personal["Ada"])   # ValidationRef(…, person="Ada")
    sign_off(engine, ref, "Ada", steps)
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select, update

from app.domain.actor import utc_stamp
from app.domain.validation import Refused, Request, Verdict, board_state, sign_off_refusal
from app.store.repository import TOKEN_BYTES, hash_token
from app.store.tables import BoardRow, ValidationRow, ValidatorRow, VerdictRow, utcnow
from app.store.versions import latest_in

_validations = ValidationRow.__table__  # type: ignore[attr-defined]
_boards = BoardRow.__table__  # type: ignore[attr-defined]
_validators = ValidatorRow.__table__  # type: ignore[attr-defined]
_verdicts = VerdictRow.__table__  # type: ignore[attr-defined]


class NotInvited(Exception):
    """The name is not on this request's list."""


class AlreadySignedOff(Exception):
    """The participant signed this version off; their verdicts stand as they were."""


class Superseded(Exception):
    """A newer version was published since: this one can no longer be validated."""


@dataclass(frozen=True, slots=True)
class ValidationRef:
    id: str
    board_id: str
    number: int
    # Whose own link opened it: they answer as this person. None: the shared link, which
    # shows the version and answers as nobody.
    person: str | None = None


@dataclass(frozen=True, slots=True)
class Invitation:
    """The raw tokens of a new request (shown once): the shared one, and each person's."""

    token: str
    personal: dict[str, str]


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else utc_stamp(moment)


def invite(engine: Engine, board_id: str, number: int, names: Sequence[str]) -> Invitation:
    """Ask `names` to validate version `number`; the new links' raw tokens (shown once).

    Each person gets a link of their own, which answers as them and nobody else;
    the shared link only shows the version. Asking again for the same version
    replaces the list and every link (the old ones stop working); people still on
    the list keep their verdicts and sign-offs, people taken off it lose them.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    personal = {name: secrets.token_urlsafe(TOKEN_BYTES) for name in names}
    with engine.begin() as conn:
        # One request at a time per board (PostgreSQL; SQLite has one writer anyway): two
        # at one moment both found none and both inserted one, and the loser was a 500.
        conn.execute(select(_boards.c.id).where(_boards.c.id == board_id).with_for_update())
        existing = conn.execute(
            select(_validations.c.id).where(
                _validations.c.board_id == board_id, _validations.c.number == number
            )
        ).scalar()
        if existing is None:
            validation_id = secrets.token_hex(8)
            conn.execute(
                insert(_validations).values(
                    id=validation_id, board_id=board_id, number=number,
                    token_hash=hash_token(token), created_at=utcnow(),
                )
            )  # fmt: skip
        else:
            validation_id = existing
            conn.execute(
                update(_validations)
                .where(_validations.c.id == validation_id)
                .values(token_hash=hash_token(token))
            )
        _replace_validators(conn, validation_id, personal)
    return Invitation(token, personal)


def renew_personal_link(engine: Engine, ref: ValidationRef, name: str) -> str | None:
    """A new link for one invited person (the old one stops working); None if not invited."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with engine.begin() as conn:
        changed = conn.execute(
            update(_validators)
            .where(_validators.c.validation_id == ref.id, _validators.c.name == name)
            .values(token_hash=hash_token(token))
        )
    return token if changed.rowcount == 1 else None


def renew_view_link(engine: Engine, ref: ValidationRef) -> str:
    """A new view-only link for the request (the old one stops working; each person's own
    link is untouched): the server keeps only its hash, so it can only be made again."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with engine.begin() as conn:
        conn.execute(
            update(_validations)
            .where(_validations.c.id == ref.id)
            .values(token_hash=hash_token(token))
        )
    return token


def _replace_validators(conn: Connection, validation_id: str, personal: dict[str, str]) -> None:
    names = list(personal)
    signed: dict[str, datetime | None] = dict(
        conn.execute(
            select(_validators.c.name, _validators.c.signed_at).where(
                _validators.c.validation_id == validation_id
            )
        ).all()
    )
    for table in (_verdicts, _validators):
        conn.execute(
            delete(table).where(table.c.validation_id == validation_id, table.c.name.not_in(names))
        )
    conn.execute(delete(_validators).where(_validators.c.validation_id == validation_id))
    conn.execute(
        insert(_validators),
        [
            {
                "validation_id": validation_id,
                "name": n,
                "position": i,
                "signed_at": signed.get(n),
                "token_hash": hash_token(personal[n]),
            }
            for i, n in enumerate(names)
        ],
    )


def find_validation(engine: Engine, token: str) -> ValidationRef | None:
    """The request a validation link opens, with whose link it is; None if unknown or
    replaced by a newer link."""
    hashed = hash_token(token)
    columns = (_validations.c.id, _validations.c.board_id, _validations.c.number)
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(_validations.c.token_hash == hashed)).first()
        if row is not None:
            return ValidationRef(row.id, row.board_id, row.number)
        mine = conn.execute(
            select(*columns, _validators.c.name)
            .join(_validators, _validators.c.validation_id == _validations.c.id)
            .where(_validators.c.token_hash == hashed)
        ).first()
    return ValidationRef(mine.id, mine.board_id, mine.number, mine.name) if mine else None


def validation_for(engine: Engine, board_id: str, number: int) -> ValidationRef | None:
    with engine.connect() as conn:
        found = conn.execute(
            select(_validations.c.id).where(
                _validations.c.board_id == board_id, _validations.c.number == number
            )
        ).scalar()
    return ValidationRef(found, board_id, number) if found else None


def validators(engine: Engine, validation_id: str) -> list[tuple[str, str | None]]:
    """Who is invited, in the facilitator's order, with when each signed off (or None)."""
    with engine.connect() as conn:
        return _validators_of(conn, validation_id)


def _validators_of(conn: Connection, validation_id: str) -> list[tuple[str, str | None]]:
    rows = conn.execute(
        select(_validators.c.name, _validators.c.signed_at)
        .where(_validators.c.validation_id == validation_id)
        .order_by(_validators.c.position)
    ).all()
    return [(name, _stamp(at)) for name, at in rows]


def verdicts_of(engine: Engine, validation_id: str) -> dict[str, dict[str, Verdict]]:
    """Every verdict given on the request: per participant, per step id."""
    with engine.connect() as conn:
        return _verdicts_of(conn, validation_id)


def _verdicts_of(conn: Connection, validation_id: str) -> dict[str, dict[str, Verdict]]:
    out: dict[str, dict[str, Verdict]] = {}
    rows = conn.execute(select(_verdicts).where(_verdicts.c.validation_id == validation_id))
    for r in rows:
        verdict = Verdict(r.step_id, r.verdict, r.comment, r.field, r.proposed, r.figure)
        out.setdefault(r.name, {})[r.step_id] = verdict
    return out


def _check_open(conn: Connection, ref: ValidationRef, name: str) -> None:
    """Refuse unless `name` is invited, has not signed off, and the version is the latest;
    `name`'s row stays locked until the transaction ends."""
    latest = latest_in(conn, ref.board_id)
    if latest != ref.number:
        raise Superseded(f"version {ref.number} was replaced by version {latest}")
    # Locked until the caller's transaction ends: one person's answers are written in turn
    # (the same verdict sent twice at once inserted its key twice: a 500 on PostgreSQL).
    row = conn.execute(
        select(_validators.c.signed_at)
        .where(_validators.c.validation_id == ref.id, _validators.c.name == name)
        .with_for_update()
    ).first()
    if row is None:
        raise NotInvited(name)
    if row.signed_at is not None:
        raise AlreadySignedOff(name)


def save_verdicts(engine: Engine, ref: ValidationRef, name: str, given: Sequence[Verdict]) -> None:
    """Record (or replace) `name`'s verdicts on these steps."""
    with engine.begin() as conn:
        _check_open(conn, ref, name)
        steps = [v.step for v in given]
        conn.execute(
            delete(_verdicts).where(
                _verdicts.c.validation_id == ref.id,
                _verdicts.c.name == name,
                _verdicts.c.step_id.in_(steps),
            )
        )
        now = utcnow()
        conn.execute(
            insert(_verdicts),
            [
                {
                    "validation_id": ref.id, "name": name, "step_id": v.step,
                    "verdict": v.verdict, "comment": v.comment, "field": v.field,
                    "proposed": v.proposed, "figure": v.figure, "updated_at": now,
                }
                for v in given
            ],
        )  # fmt: skip


def sign_off(engine: Engine, ref: ValidationRef, name: str, steps: Sequence[str]) -> str:
    """Sign `name` off the version, if the rules allow it (domain.validation); when, as ISO."""
    with engine.begin() as conn:
        _check_open(conn, ref, name)
        mine = _verdicts_of(conn, ref.id).get(name, {})
        refusal = sign_off_refusal(steps, mine)
        if refusal:
            raise Refused(refusal)
        now = utcnow()
        conn.execute(
            update(_validators)
            .where(_validators.c.validation_id == ref.id, _validators.c.name == name)
            .values(signed_at=now)
        )
    return utc_stamp(now)


def desired_state(engine: Engine, board_id: str) -> str:
    """What the board's state should be, from its newest version and that version's request."""
    with engine.connect() as conn:
        latest = latest_in(conn, board_id)
        request = None
        if latest is not None:
            found = conn.execute(
                select(_validations.c.id).where(
                    _validations.c.board_id == board_id, _validations.c.number == latest
                )
            ).scalar()
            if found is not None:
                people = _validators_of(conn, found)
                request = Request(
                    number=latest,
                    invited=tuple(n for n, _ in people),
                    signed=frozenset(n for n, at in people if at is not None),
                )
    return board_state(latest, request)
