"""The op log's quick timestamps read exactly as SQLAlchemy's own conversion writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from app.store.oplog import Stamps
from app.store.tables import OpRow

SQLITE = sqlite.dialect()
COLUMN = OpRow.__table__.c.created_at  # type: ignore[attr-defined]
CONVERT = COLUMN.type.dialect_impl(SQLITE).bind_processor(SQLITE)
moments = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(st.lists(moments, min_size=1, max_size=20))
def test_any_moments_in_any_order_read_as_the_columns_own_conversion(
    seen: list[datetime],
) -> None:
    stamps = Stamps(SQLITE)
    assert CONVERT is not None
    assert [stamps.text(m) for m in seen] == [CONVERT(m) for m in seen]


def test_moments_around_a_second_boundary_keep_their_own_second() -> None:
    stamps = Stamps(SQLITE)
    assert CONVERT is not None
    start = datetime(2026, 12, 31, 23, 59, 59, 999_998, tzinfo=UTC)
    for step in range(5):  # across the second, the minute, the day and the year
        moment = start + timedelta(microseconds=step)
        assert stamps.text(moment) == CONVERT(moment)
    assert stamps.text(start + timedelta(microseconds=2)) == "2027-01-01 00:00:00.000000"


def test_a_driver_that_takes_datetimes_gets_them_as_they_are() -> None:
    moment = datetime(2026, 12, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert Stamps(postgresql.dialect()).text(moment) is moment
