"""The rules of validating a published map: who is asked, what a verdict holds, when it is done.

After the workshop the facilitator asks named participants to check one
published version step by step. Each agrees with a step or disputes it (a
dispute says why, and may give the figure the participant believes), then
signs off. The board counts as validated once everyone invited has signed off
the latest version; a dispute is resolved by editing the map and publishing a
new version, which needs a new round of sign-offs.

    >>> steps = ("s1", "s2")
    >>> check_verdict(steps, {"step": "s1", "verdict": "dispute", "comment": ""}, Calendar())
    Traceback (most recent call last):
    ...
    app.domain.validation.Refused: a dispute needs a comment: say what is wrong with the step
    >>> ada = Request(number=2, invited=("Ada",), signed=frozenset({"Ada"}))
    >>> board_state(latest=2, request=ada)
    'validated'

Over 300 lines on purpose: every rule of validating a version (invitations, verdicts,
sign-off, the board's state, the review's order and teams) in one place, all pure.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.bidi import UNCLOSED, unclosed_direction
from app.domain.durations import DurationError, parse_duration
from app.domain.echo import excerpt
from app.domain.elements import Calendar
from app.domain.flow_path import frame_place, off_path
from app.domain.lanes import UNASSIGNED, UNASSIGNED_COLOR
from app.domain.names import person_name
from app.domain.settled import settled_times

Json = dict[str, Any]

VERDICTS: tuple[str, ...] = ("agree", "dispute")
# The figures a participant may say they believe instead, and how each is typed.
DISPUTABLE: tuple[str, ...] = ("wait_minutes", "process_minutes", "pca")
# As long as a name on the board page (its name dialog allows 60 characters).
MAX_NAME = 60
# A workshop's participants, with room to spare; a longer list is a paste gone wrong.
MAX_INVITED = 50
# A paragraph of explanation, as long as a sticky's text.
MAX_COMMENT = 2000
# As long as a duration may be typed (durations.MAX_TEXT).
MAX_FIGURE = 60
_PERCENT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")


class Refused(ValueError):
    """A request the rules do not allow; the message says why, for a person to read."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """One participant's word on one step.

    `proposed` is the figure they believe for `field`, in the field's unit
    (minutes, or percent for `pca`); `figure` is how they typed it ("3d").
    """

    step: str
    verdict: str
    comment: str = ""
    field: str | None = None
    proposed: float | None = None
    figure: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "verdict": self.verdict,
            "comment": self.comment,
            "field": self.field,
            "proposed": self.proposed,
            "figure": self.figure,
        }


@dataclass(frozen=True, slots=True)
class Request:
    """A validation request as far as the board's state cares: its version, who, who signed."""

    number: int
    invited: tuple[str, ...]
    signed: frozenset[str]


def invited_names(raw: object) -> tuple[str, ...]:
    """The names to invite, cleaned as display names are (names.py), in the given order;
    refuses blanks, names that draw nothing, repeats and excess.

    >>> invited_names([" Ada ", "Bob\u200b"])
    ('Ada', 'Bob')
    """
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise Refused("invite must be a list of names")
    names: list[str] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, str) or not item.strip():
            raise Refused("every invited name must be some text")
        try:
            name = person_name(item)
        except ValueError:
            raise Refused("an invited name needs a letter or a digit others can see") from None
        if name in (".", ".."):  # a dot segment: every client folds it out of a link's path
            raise Refused(f"{excerpt(name)} cannot be a name: give the person's name")
        if len(name) > MAX_NAME:
            too_long = f"is too long for a name (at most {MAX_NAME} characters)"
            raise Refused(f"{excerpt(name, 20)} {too_long}")
        if name.casefold() in seen:
            raise Refused(f"{name} is invited twice: names must tell people apart")
        seen.add(name.casefold())
        names.append(name)
    if not names:
        raise Refused("invite at least one person")
    if len(names) > MAX_INVITED:
        raise Refused(f"at most {MAX_INVITED} people can be invited to validate one version")
    return tuple(names)


def _text(raw: Mapping[str, Any], key: str, limit: int) -> str:
    value = raw.get(key) or ""
    if not isinstance(value, str):
        raise Refused(f"{key} must be text")
    value = value.strip()
    if len(value) > limit:
        raise Refused(f"the {key} is too long ({len(value)} characters; at most {limit})")
    control = unclosed_direction(value)
    if control is not None:  # it would reverse the words after it in the report (domain/bidi.py)
        raise Refused(f"the {key} " + UNCLOSED.format(control=control))
    return value


def parse_figure(field: str, typed: str, calendar: Calendar) -> float:
    """The value typed for `field`: a duration ("3d", "1d 4h") or a percent ("70", "70%")."""
    if field == "pca":
        match = _PERCENT.match(typed)
        value = float(match.group(1).replace(",", ".")) if match else math.nan
        if not 0.0 <= value <= 100.0:
            raise Refused(f'"{typed}" is not a percent between 0 and 100 — try 85 or 85%')
        return value
    try:
        return parse_duration(typed, calendar)
    except DurationError as err:
        raise Refused(str(err)) from None


def check_verdict(steps: Collection[str], raw: Mapping[str, Any], calendar: Calendar) -> Verdict:
    """A verdict as a participant sent it, checked against the version's steps.

    A dispute needs a comment; the figure believed is optional and only for a
    dispute, typed with units in the version's working calendar.
    """
    step = raw.get("step")
    if not isinstance(step, str) or step not in steps:
        raise Refused(f"there is no step {excerpt(step)} in this version")
    verdict = raw.get("verdict")
    if verdict not in VERDICTS:
        raise Refused("verdict must be one of " + ", ".join(VERDICTS))
    comment = _text(raw, "comment", MAX_COMMENT)
    figure = _text(raw, "figure", MAX_FIGURE)
    if verdict == "agree":
        if figure:
            raise Refused("a figure you believe goes with a dispute, not an agreement")
        return Verdict(step, "agree", comment)
    if not comment:
        raise Refused("a dispute needs a comment: say what is wrong with the step")
    if not figure:
        return Verdict(step, "dispute", comment)
    field = raw.get("field")
    if field not in DISPUTABLE:
        raise Refused("say which figure you believe: the wait, the process time or the %C/A")
    return Verdict(step, "dispute", comment, field, parse_figure(field, figure, calendar), figure)


def check_verdicts(
    steps: Collection[str], given: Sequence[Mapping[str, Any]], calendar: Calendar
) -> list[Verdict]:
    """Each verdict checked (check_verdict); one answer gives a step one verdict at most.

    >>> check_verdicts(("s1",), [{"step": "s1", "verdict": "agree"}] * 2, Calendar())
    Traceback (most recent call last):
    ...
    app.domain.validation.Refused: step 's1' is given 2 verdicts: give each step one
    """
    checked = [check_verdict(steps, raw, calendar) for raw in given]
    counted = Counter(v.step for v in checked)
    for step, times in counted.items():
        if times > 1:
            raise Refused(f"step {excerpt(step)} is given {times} verdicts: give each step one")
    return checked


def sign_off_refusal(steps: Sequence[str], verdicts: Mapping[str, Verdict]) -> str | None:
    """Why this participant cannot sign off yet, or None when they can.

    Signing off says "this map is right": every step needs a verdict, and none
    may be disputed (a dispute waits for the next version).
    """
    open_steps = [s for s in steps if s not in verdicts]
    if open_steps:
        return f"{len(open_steps)} of {len(steps)} steps still need your verdict"
    disputed = [s for s in steps if verdicts[s].verdict == "dispute"]
    if disputed:
        return (
            f"you dispute {len(disputed)} step{'s' if len(disputed) > 1 else ''}: the "
            "facilitator resolves disputes in a new version, which you then sign off"
        )
    return None


def board_state(latest: int | None, request: Request | None) -> str:
    """The board's state from its newest version and that version's validation request.

    "mapping" before any version; "validated" once every invited participant
    signed off the newest version; "published" otherwise (a request for an
    older version does not count: the map has changed since).
    """
    if latest is None:
        return "mapping"
    if request is None or request.number != latest or not request.invited:
        return "published"
    return "validated" if set(request.invited) <= request.signed else "published"


def steps_in_order(board: Mapping[str, Any], metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The version's steps as a participant reviews them: the flow first, then the rest.

    Steps on the path carry the figures the metrics used (a settled median of
    estimates, where there was one); a step off the path keeps its own, and is
    marked `on_path: false`, in the metrics' reading order (flow_path.off_path).
    """
    elements = [e for e in board.get("elements", []) if e.get("kind") == "step"]
    by_id = {e["id"]: e for e in elements}
    rows: list[dict[str, Any]] = []
    for row in metrics.get("steps", []):
        if row["id"] in by_id:
            rows.append(_step_row(row, on_path=True, typed=by_id[row["id"]]))
    on_path = {r["id"] for r in rows}
    rest = off_path(elements, on_path, frame_place)
    rows.extend(_step_row(_settled(e, metrics), on_path=False) for e in rest)
    return rows


def _settled(element: Mapping[str, Any], metrics: Mapping[str, Any]) -> Mapping[str, Any]:
    """A step off the path with its figures as the metrics read them, as the CSV and the
    PDF show them (settled.py: one rule for the three)."""
    spreads = (metrics.get("estimates") or {}).get(element["id"]) or {}
    wait, process = settled_times(
        element["id"],
        element.get("wait_minutes"),
        element.get("process_minutes"),
        measured=metrics.get("measured") if metrics.get("figures_from") == "measured" else None,
        medians={field: spread["median"] for field, spread in spreads.items()},
    )
    filled = {
        field: value
        for field, value in (("wait_minutes", wait), ("process_minutes", process))
        if value != element.get(field)
    }
    return {**element, **filled} if filled else element


def _step_row(
    source: Mapping[str, Any], *, on_path: bool, typed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A step's figures for review; `typed` the element, whose figures as typed go along."""
    element = source if typed is None else typed
    return {
        "id": source["id"],
        "text": source.get("text", ""),
        "wait_minutes": source.get("wait_minutes"),
        "process_minutes": source.get("process_minutes"),
        # As typed ("1w"): the page shows them so while they say the minutes beside them.
        "wait_text": element.get("wait_text"),
        "process_text": element.get("process_text"),
        "pca": source.get("pca"),
        "on_path": on_path,
        "owner": element.get("owner"),
    }


def teams_in_review(board: Mapping[str, Any], steps: Sequence[Mapping[str, Any]]) -> list[Json]:
    """The steps to review grouped by the team that owns them, so each team can confirm
    its own part: teams in the board's order, each with its steps' ids in review order,
    then "Unassigned" for steps nobody owns. [] when no step has a team.

    >>> board = {"board": {"teams": [{"id": "t-qa", "name": "QA", "color": "green"}]}}
    >>> teams_in_review(board, [{"id": "a", "owner": None}, {"id": "b", "owner": "t-qa"}])
    [{'id': 't-qa', 'name': 'QA', 'color': 'green', 'steps': ['b']}, \
{'id': '', 'name': 'Unassigned', 'color': 'grey', 'steps': ['a']}]
    """
    teams = [t for t in board.get("board", {}).get("teams", []) if isinstance(t, Mapping)]
    known = {t["id"] for t in teams}
    owned: dict[str, list[str]] = {}
    for step in steps:
        owner = step.get("owner")
        team = owner if isinstance(owner, str) and owner in known else ""
        owned.setdefault(team, []).append(step["id"])
    if not set(owned) - {""}:
        return []
    groups: list[Json] = [
        {"id": t["id"], "name": t["name"], "color": t.get("color", "grey"), "steps": owned[t["id"]]}
        for t in teams
        if t["id"] in owned
    ]
    if "" in owned:
        groups.append({"id": "", "name": UNASSIGNED, "color": UNASSIGNED_COLOR, "steps": owned[""]})
    return groups


def summarize(
    steps: Sequence[Mapping[str, Any]],
    invited: Sequence[str],
    verdicts: Mapping[str, Mapping[str, Verdict]],
    signed: Mapping[str, str | None],
) -> dict[str, Any]:
    """The facilitator's view of a request: each person's progress, and every dispute by step.

    `verdicts` is per participant, per step id; `signed` gives each
    participant's sign-off time (ISO), or None.
    """
    step_ids = [s["id"] for s in steps]
    people = []
    for name in invited:
        mine = verdicts.get(name, {})
        given = [mine[s].verdict for s in step_ids if s in mine]
        counts = {v: given.count(v) for v in VERDICTS}
        people.append(
            {
                "name": name,
                "signed_off_at": signed.get(name),
                "agreed": counts["agree"],
                "disputed": counts["dispute"],
                "pending": len(step_ids) - counts["agree"] - counts["dispute"],
            }
        )
    disputes = []
    for step in steps:
        by = [
            {"name": name, **verdicts[name][step["id"]].to_json()}
            for name in invited
            if step["id"] in verdicts.get(name, {})
            and verdicts[name][step["id"]].verdict == "dispute"
        ]
        if by:
            disputes.append({"step": step["id"], "text": step["text"], "by": by})
    everyone = bool(invited) and all(signed.get(name) for name in invited)
    return {"participants": people, "disputes": disputes, "all_signed_off": everyone}
