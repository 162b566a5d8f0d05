"""An event log read into rows: one row per item and step, with its three moments.

A team's tracker can export, per work item and step, when the item arrived at
the step, when work on it started and when it finished. Flowmap reads that as
CSV (a header row; columns `item`, `step`, `arrived`, `started`, `finished` in
any order and case) or JSON (a list of such objects, or `{"events": [...]}`).
`arrived` may be empty, or its column absent: the item arrived when it finished
whatever it did before. Times are ISO 8601 local times (`2026-11-02T09:30`,
`2026-11-02 09:30`, seconds allowed), or as Excel writes them locally: `02.11.2026
09:30` (day first) or `02/11/2026 09:30` (day or month first, as the log's dates with a
number over 12 show; AM/PM allowed); a trailing `Z` or offset is dropped, so
every time reads as the wall-clock time it was written with; the offsets are kept
beside it, to check that a row's times are in order and to order an item's rows in
time (log_time.py): in the hour the clocks go back, 02:10+01:00 comes after 02:50+02:00.

Every problem is collected with its row number (row 1 is the first data row;
in a CSV file that is line 2) and raised together as one `BadLog`, so a person
fixes the file once, not twenty times.

    >>> rows = read_log(b"item,step,arrived,started,finished\\n"
    ...                 b"A-1,Build,,2026-11-02T09:30,2026-11-02 11:00\\n")
    >>> rows[0].item, rows[0].step, rows[0].arrived, rows[0].finished.hour
    ('A-1', 'Build', None, 11)
    >>> try:
    ...     read_log(b"item,step,started\\nA-1,Build,soon\\n")
    ... except BadLog as bad:
    ...     print(bad.errors[0].msg)
    the log has no finished column (it needs item, step, started, finished)

Over 300 lines on purpose: reading a log is one pass (columns, timestamps, rows,
row-numbered errors); split, each part would need the others' private details.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from app.domain.echo import excerpt
from app.domain.elements import Step

# The columns a log must have; `arrived` may be left out (OPTIONAL).
REQUIRED: tuple[str, ...] = ("item", "step", "started", "finished")
OPTIONAL = "arrived"
# A person fixes a file from the first few problems; a thousand would drown them.
MAX_ERRORS = 20
# A step's name longer than this is no step name (the summary keeps names this long).
MAX_NAME = 200
# How the automatic match found a log step on the map (the preview's "how").
EXACT, LOOSE = "exact", "case-insensitive"


class EventRow(NamedTuple):
    """One item at one step; `row` counts data rows from 1. Its moments are wall-clock
    times; `offsets` holds each one's offset from UTC in minutes where the log gave one
    (arrived, started, finished), to order and measure them in the hour clocks go back."""

    row: int
    item: str
    step: str
    arrived: datetime | None
    started: datetime
    finished: datetime
    offsets: tuple[int | None, int | None, int | None] = (None, None, None)


class LogError(NamedTuple):
    """One problem: its row (None for the file as a whole) and what is wrong."""

    row: int | None
    msg: str


class BadLog(ValueError):
    """The log cannot be read; `errors` holds every problem found (at most MAX_ERRORS)."""

    def __init__(self, errors: Sequence[LogError]) -> None:
        self.errors = tuple(errors[:MAX_ERRORS])
        super().__init__("; ".join(e.msg for e in self.errors))


def read_log(data: bytes, content_type: str = "") -> list[EventRow]:
    """The rows of a CSV or JSON log (JSON when the type says so or the text starts with [ or {)."""
    text = _decoded(data)
    head = text.lstrip()[:1]
    if "json" in content_type.lower() or head in ("[", "{"):
        return read_json(text)
    return read_csv(text)


def _decoded(data: bytes) -> str:
    """The log's text: UTF-8 (with or without a BOM), else what Excel saves on Windows,
    UTF-16 with a BOM ("Unicode Text") or Windows-1252 ("CSV" in Western locales)."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as broken:
            if _UTF8_LETTER.search(data):  # UTF-8 elsewhere: read as 1252 it would garble them
                line = data.count(b"\n", 0, broken.start) + 1
                raise BadLog([LogError(None, (
                    f"the log is UTF-8 but for a broken character on line {line}: save it"
                    " as UTF-8 (CSV UTF-8) again"
                ))]) from None  # fmt: skip
            return data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadLog([LogError(None, "the log must be UTF-8 text (CSV or JSON)")]) from None


# A letter beyond ASCII as UTF-8 writes it (two to four bytes): Windows-1252 text has
# next to none of these pairs ("Ã¼" is how 1252 would read UTF-8's "ü").
_UTF8_LETTER = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


# Excel writes "sep=;" as a CSV's first line when asked to name its delimiter.
_SEP_LINE = re.compile(r"sep=([,;\t|])", re.IGNORECASE)


def read_csv(text: str) -> list[EventRow]:
    """Rows of a CSV log with a header row; blank lines are skipped but keep their numbers."""
    lines = io.StringIO(text, newline="")
    first = text.split("\n", 1)[0]
    hint = _SEP_LINE.fullmatch(first.strip(" \r"))  # not \t: "sep=\t" names a tab
    if hint is not None:  # Excel's own line naming the delimiter, above the header
        delimiter = hint.group(1)
        lines.readline()
    else:  # spreadsheets in much of Europe export with semicolons; some tools with tabs
        delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(lines, delimiter=delimiter)
    header = next(_readable(reader), None)
    if header is None:
        raise BadLog([LogError(None, "the log is empty: it needs a header row and data rows")])
    names = [h.strip().lower() for h in header]
    where = {name: i for i, name in reversed(list(enumerate(names)))}
    _check_columns(where)
    at = [where[name] for name in REQUIRED]
    arrived_at = where.get(OPTIONAL)

    def cells() -> Iterator[tuple[int, Sequence[str | None]]]:
        for record in _readable(reader):
            if not any(cell.strip() for cell in record):  # a blank line, or ";;;" or " ; "
                continue
            width = len(record)
            values = [record[i] if i < width else "" for i in at]
            arrived = record[arrived_at] if arrived_at is not None and arrived_at < width else ""
            yield reader.line_num - 1, (*values, arrived)

    return _rows(cells())


def _readable(reader: Any) -> Iterator[list[str]]:
    """The reader's records; a record it cannot read (a cell over its 128 KiB limit) is a
    problem of that row, not an exception of the csv module's own."""
    try:
        yield from reader
    except csv.Error as err:
        row = reader.line_num - 1
        where = f"row {row}" if row > 0 else "the header row"
        raise BadLog([LogError(row or None, f"{where}: cannot be read as CSV ({err})")]) from None


def read_json(text: str) -> list[EventRow]:
    """Rows of a JSON log: a list of objects, or an object whose `events` is that list."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise BadLog([LogError(None, f"the log is not valid JSON: {err}")]) from None
    except RecursionError:  # lists in lists thousands deep: no log is made so
        raise BadLog([LogError(None, "the log is not a list of events: nested too deep")]) from None
    if isinstance(data, Mapping):
        data = next((v for k, v in data.items() if str(k).lower() == "events"), None)
    if not isinstance(data, list):
        raise BadLog([LogError(None, 'a JSON log must be a list of events, or {"events": [...]}')])
    return _rows(_json_cells(data))


def _json_cells(events: list[Any]) -> Iterator[tuple[int, Sequence[str | None]]]:
    for number, event in enumerate(events, start=1):
        if not isinstance(event, Mapping):
            yield number, (None, None, None, None, None)
            continue
        lowered = {str(k).strip().lower(): v for k, v in event.items()}
        yield number, tuple(_json_text(lowered.get(n)) for n in (*REQUIRED, OPTIONAL))


def _json_text(value: Any) -> str | None:
    """A JSON value as a cell's text; None for what is no text at all (an object, a list)."""
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return None
    return str(value)


def _check_columns(where: Mapping[str, int]) -> None:
    lacking = [name for name in REQUIRED if name not in where]
    if lacking:
        wanted = ", ".join(REQUIRED)
        raise BadLog([
            LogError(None, f"the log has no {name} column (it needs {wanted})") for name in lacking
        ])  # fmt: skip


def _rows(cells: Iterable[tuple[int, Sequence[str | None]]]) -> list[EventRow]:
    rows: list[EventRow] = []
    errors: list[LogError] = []
    listed = list(cells)
    day_first = _day_first(listed)
    for number, (item, step, started, finished, arrived) in listed:
        if item is None:
            errors.append(LogError(number, f"row {number}: must be an object with {_NAMES}"))
        else:
            row = _row(number, item, step, started, finished, arrived, errors, day_first)
            if row is not None:
                rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise BadLog(errors)
    if not rows:
        raise BadLog([LogError(None, "the log has no events: it needs one row per item and step")])
    _check_span(rows)
    return rows


# A log spanning more than this holds a mistyped year: every figure measured across it
# would be years long (and past the ten years a figure may be, fields.MAX_MINUTES).
MAX_SPAN = timedelta(days=10 * 365)


def _check_span(rows: Sequence[EventRow]) -> None:
    """Refuse a log whose first and last moments are over MAX_SPAN apart, naming both rows."""
    first = min(rows, key=lambda r: r.started if r.arrived is None else min(r.arrived, r.started))
    last = max(rows, key=lambda r: r.finished)
    began = first.started if first.arrived is None else min(first.arrived, first.started)
    if last.finished - began > MAX_SPAN:
        raise BadLog([LogError(last.row, (
            f"the log runs from {began:%Y-%m-%d} (row {first.row}) to {last.finished:%Y-%m-%d}"
            f" (row {last.row}): over ten years, so a year is likely mistyped"
        ))])  # fmt: skip


_NAMES = "item, step, arrived, started and finished"


def _row(
    number: int,
    item: str,
    step: str | None,
    started: str | None,
    finished: str | None,
    arrived: str | None,
    errors: list[LogError],
    day_first: bool,
) -> EventRow | None:
    found = len(errors)
    item, step = item.strip(), (step or "").strip()
    if not item:
        errors.append(LogError(number, f"row {number}: item is empty"))
    for name, text in (("item", item), ("step", step)):
        if not _storable(text):
            errors.append(
                LogError(number, f"row {number}: {name} holds text that cannot be stored")
            )
    if not step:
        errors.append(LogError(number, f"row {number}: step is empty"))
    elif len(step) > MAX_NAME:
        errors.append(LogError(number, f"row {number}: step is over {MAX_NAME} characters"))
    at_arrived = _moment(number, "arrived", arrived, errors, day_first, optional=True)
    at_started = _moment(number, "started", started, errors, day_first)
    at_finished = _moment(number, "finished", finished, errors, day_first)
    if at_started is not None:
        if at_arrived is not None and _before(at_started, at_arrived):
            errors.append(_reversed(number, "started", started, "arrived", arrived))
        if at_finished is not None and _before(at_finished, at_started):
            errors.append(_reversed(number, "finished", finished, "started", started))
    if len(errors) > found or at_started is None or at_finished is None:
        return None
    arrived_at = None if at_arrived is None else _wall(at_arrived)
    offsets = (_offset(at_arrived), _offset(at_started), _offset(at_finished))
    return EventRow(number, item, step, arrived_at, _wall(at_started), _wall(at_finished), offsets)


def _before(late: datetime, early: datetime) -> bool:
    """Whether `late` comes before `early`: in time when both say their offset (the hour the
    clocks go back reads backwards as written), else as written."""
    if late.tzinfo is not None and early.tzinfo is not None:
        return late < early
    return _wall(late) < _wall(early)


def _offset(moment: datetime | None) -> int | None:
    """A moment's offset from UTC in whole minutes, or None where the log gave none."""
    offset = None if moment is None else moment.utcoffset()
    return None if offset is None else round(offset.total_seconds() / 60)


def _wall(moment: datetime) -> datetime:
    """The wall-clock time a moment was written with, its offset dropped."""
    return moment.replace(tzinfo=None)


def _storable(text: str) -> bool:
    """Whether text can be stored and sent: no NUL (PostgreSQL refuses it) and no lone
    surrogate (a JSON log's "\\ud800" has no UTF-8 form; it failed the board's commit)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reversed(
    number: int, later: str, late: str | None, earlier: str, early: str | None
) -> LogError:
    late, early = (late or "").strip(), (early or "").strip()
    return LogError(number, f"row {number}: {later} {late} is before {earlier} {early}")


def _moment(
    number: int,
    name: str,
    text: str | None,
    errors: list[LogError],
    day_first: bool,
    *,
    optional: bool = False,
) -> datetime | None:
    cleaned = (text or "").strip()
    if not cleaned:
        if not optional:
            errors.append(LogError(number, f"row {number}: {name} is empty"))
        return None
    shown = excerpt(cleaned)
    try:
        moment = _local_time(cleaned, day_first) or datetime.fromisoformat(cleaned)
    except ValueError:
        errors.append(LogError(
            number, f"row {number}: {name} {shown} is not a time like 2026-11-02T09:30"
        ))  # fmt: skip
        return None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        errors.append(LogError(
            number, f"row {number}: {name} {shown} is not between {FIRST_YEAR} and {LAST_YEAR}"
        ))  # fmt: skip
        return None
    return moment


# A date as Excel writes it in a local format: 05.10.2026 (day first, as everywhere dots
# are used), 05/10/2026 (day or month first: the whole log decides), with a time of day
# (seconds and AM/PM allowed) or none.
_LOCAL_TIME = re.compile(
    r"(\d{1,2})([./])(\d{1,2})\2(\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\.?)?)?",
    re.IGNORECASE,
)
_DMY, _MDY = "day/month/year", "month/day/year"


def _local_time(text: str, day_first: bool) -> datetime | None:
    """A dotted or slashed local date and time; None for text of another form (ISO).
    Raises ValueError for a date no calendar has (31.02.2026)."""
    found = _LOCAL_TIME.fullmatch(text)
    if found is None:
        return None
    first, dot, second, year, hour, minute, second_s, half = found.groups()
    day, month = (first, second) if dot == "." or day_first else (second, first)
    hours = int(hour or 0)
    if half is not None:
        if not 1 <= hours <= 12:
            raise ValueError(text)
        hours = hours % 12 + (12 if half.lower() == "p" else 0)
    return datetime(int(year), int(month), int(day), hours, int(minute or 0), int(second_s or 0))


def _day_first(cells: Sequence[tuple[int, Sequence[str | None]]]) -> bool:
    """Whether the log's slashed dates are day first: the one way its dates allow (a
    number over 12 first says day first, second month first). Refused when they allow
    both ways (no number over 12 anywhere) or neither (some each way)."""
    seen: dict[str, tuple[int, str, str]] = {}  # way -> its first (row, column, text)
    example: str | None = None
    for number, values in cells:
        for name, value in zip((*REQUIRED, OPTIONAL), values, strict=True):
            found = _LOCAL_TIME.fullmatch((value or "").strip())
            if found is None or found.group(2) != "/" or name in ("item", "step"):
                continue
            example = example or found.group(0).split()[0]
            first, second = int(found.group(1)), int(found.group(3))
            way = _DMY if first > 12 else _MDY if second > 12 else None
            if way is not None and way not in seen:
                seen[way] = (number, name, (value or "").strip())
    if len(seen) == 2:
        (way_a, (row_a, _, text_a)), (way_b, (row_b, name_b, text_b)) = sorted(
            seen.items(), key=lambda found: found[1][0]
        )
        raise BadLog([LogError(row_b, (
            f"row {row_b}: {name_b} {excerpt(text_b)} is {way_b}, but {excerpt(text_a)} in row"
            f" {row_a} is {way_a}: write every date one way"
        ))])  # fmt: skip
    if example is not None and not seen:
        raise BadLog([LogError(None, (
            f"the log's dates such as {example} may be {_DMY} or {_MDY}, and no date in it"
            " has a number over 12 to tell: write them as 2026-11-02 (year-month-day) or"
            " 02.11.2026 (day.month.year)"
        ))])  # fmt: skip
    return _MDY not in seen


# Moments a log may hold: work done since computers kept logs, and before the calendar's
# arithmetic runs out (a day after 9999-12-31 is no date; the import failed on it).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as the naive wall-clock time it was written with.

    >>> parse_time("2026-11-02 09:30"), parse_time("2026-11-02T09:30:15+01:00").second
    (datetime.datetime(2026, 11, 2, 9, 30), 15)
    >>> parse_time("2026-11-02T09:30Z").tzinfo is None
    True
    """
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=None) if moment.tzinfo is not None else moment


def _loose(name: str) -> str:
    return " ".join(name.split()).casefold()


def match_steps(
    log_steps: Iterable[str], steps: Sequence[Step]
) -> dict[str, tuple[str, str] | None]:
    """Each log step name's map step (id, how), or None: exact text first, then loosely.

    A name matching several steps (exactly or loosely) is left for a person to choose.

    >>> match_steps(["Build", "code  REVIEW", "deploy"],
    ...             [Step(id="s1", text="Build"), Step(id="s2", text="Code review")])
    {'Build': ('s1', 'exact'), 'code  REVIEW': ('s2', 'case-insensitive'), 'deploy': None}
    """
    exact: dict[str, list[str]] = {}
    loose: dict[str, list[str]] = {}
    for s in steps:
        exact.setdefault(s.text, []).append(s.id)
        if s.text.strip():
            loose.setdefault(_loose(s.text), []).append(s.id)
    found: dict[str, tuple[str, str] | None] = {}
    for name in log_steps:
        if name in exact and name.strip():
            same = exact[name]
            found[name] = (same[0], EXACT) if len(same) == 1 else None
            continue
        candidates = loose.get(_loose(name), [])
        found[name] = (candidates[0], LOOSE) if len(candidates) == 1 else None
    return found


def preview(rows: Sequence[EventRow], steps: Sequence[Step]) -> dict[str, Any]:
    """What the log holds and how its steps match the map's, before anything changes.

    >>> p = preview(read_log(b"item,step,started,finished\\nA,Build,2026-11-02,2026-11-03\\n"),
    ...             [Step(id="s1", text="build")])
    >>> p["rows"], p["from"], p["log_steps"]
    (1, '2026-11-02', [{'name': 'Build', 'rows': 1, 'match': 's1', 'how': 'case-insensitive'}])
    """
    counts = Counter(r.step for r in rows)
    matched = match_steps(counts, steps)
    first, last = span(rows)
    return {
        "rows": len(rows),
        "items": len({r.item for r in rows}),
        "from": first,
        "to": last,
        "log_steps": [
            {
                "name": name,
                "rows": n,
                "match": None if matched[name] is None else matched[name][0],  # type: ignore[index]
                "how": None if matched[name] is None else matched[name][1],  # type: ignore[index]
            }
            for name, n in counts.items()
        ],
        "map_steps": [{"id": s.id, "text": s.text} for s in steps],
    }


def span(rows: Sequence[EventRow]) -> tuple[str, str]:
    """The first and last day the log covers, as ISO dates."""
    first = min(r.arrived or r.started for r in rows)
    last = max(r.finished for r in rows)
    return first.date().isoformat(), last.date().isoformat()
