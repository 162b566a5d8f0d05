"""What changed between two versions of a map, and how its numbers moved.

Pure functions over the JSON a published version stores: the board as
`serialize.board_to_json` gives it and the metrics as `Metrics.to_json` gives
them. The answer is JSON too, so the API hands it on as it is.

    >>> a = {"board": {"title": "Old"}, "elements": [{"id": "s1", "kind": "step", "text": "Build"}]}
    >>> b = {"board": {"title": "New"}, "elements": [{"id": "s1", "kind": "step", "text": "Ship"}]}
    >>> changes = diff_boards(a, b)
    >>> changes["frame"]
    {'title': {'before': 'Old', 'after': 'New'}}
    >>> changes["changed"][0]["fields"]
    {'text': {'before': 'Build', 'after': 'Ship'}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.elements import FRAME_FIELDS, FRAME_NUMBERS, SHAPE_KINDS, Calendar
from app.domain.wording import (
    METRIC_NAMES,
    NOTHING,
    metric_text,
    moved_text,
    said_change,
    said_frame,
)

# Frame fields compared: the map's framing and its calendar. The live session's state
# (lock, timer, presenter) and the board's own state say nothing about the map.
FRAME_COMPARED: tuple[str, ...] = (*FRAME_FIELDS, "hours_per_day", "days_per_week", *FRAME_NUMBERS)
# Where an element sits and how big it is: a change of these alone is a move, not new content.
GEOMETRY: tuple[str, ...] = ("x", "y", "w", "h")
# Never compared: identity, who typed each figure (it changes with every edit of it), and
# the words a figure was typed in (the same minutes typed "5d" or "1w" are the same figure).
NOT_COMPARED: frozenset[str] = frozenset({"id", "kind", "provenance", "wait_text", "process_text"})
# The headline figures compared side by side, with how many decimals their delta keeps:
# the same rounding Metrics.to_json uses, so a delta shows no float noise.
METRIC_DIGITS: Mapping[str, int] = {
    "lead_time_minutes": 3,
    "expected_lead_time_minutes": 3,
    "process_time_minutes": 3,
    "work_content_minutes": 3,
    "activity_ratio": 4,
    "rolled_pca": 2,
}

Json = dict[str, Any]


def _shapes(version: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The elements drawn on the map, by id. Comments, estimates and votes are talk about it."""
    elements: Iterable[Mapping[str, Any]] = version.get("elements", [])
    return {e["id"]: e for e in elements if e.get("kind") in SHAPE_KINDS}


def _summary(element: Mapping[str, Any]) -> Json:
    """An element as the diff lists it: everything but its provenance."""
    return {k: v for k, v in element.items() if k != "provenance"}


def _field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Json:
    names = [n for n in (*before, *(k for k in after if k not in before)) if n not in NOT_COMPARED]
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
    }


def diff_boards(a: Mapping[str, Any], b: Mapping[str, Any]) -> Json:
    """From version `a` to version `b`: frame changes, elements added, removed, changed, moved.

    `changed` lists content changes field by field (`{before, after}`), and
    each as people read it in `said` ("Wait 4d → 1w"); an element whose only
    change is its position or size is listed in `moved`. `frame_said` says the
    frame's changes so. Lists keep the order of the elements in their version.
    """
    frame_a, frame_b = a.get("board", {}), b.get("board", {})
    frame = {
        name: {"before": frame_a.get(name), "after": frame_b.get(name)}
        for name in FRAME_COMPARED
        if frame_a.get(name) != frame_b.get(name)
    }
    cal_a, cal_b = calendar_of(a), calendar_of(b)
    old, new = _shapes(a), _shapes(b)
    names = {i: str(e.get("text", "")) for i, e in (old | new).items()}
    teams_a, teams_b = _teams(a), _teams(b)
    team_names = {i: str(t.get("name", "")) for i, t in (teams_a | teams_b).items()}
    changed: list[Json] = []
    moved: list[Json] = []
    for element_id, after in new.items():
        before = old.get(element_id)
        if before is None:
            continue
        fields = _field_changes(before, after)
        content = {k: v for k, v in fields.items() if k not in GEOMETRY}
        headline = {"id": element_id, "kind": after.get("kind"), "text": after.get("text", "")}
        if content:
            said = [said_change(f, before, after, cal_a, cal_b, names, team_names) for f in content]
            changed.append(
                {**headline, "fields": content, "said": said, "moved": len(content) < len(fields)}
            )
        elif fields:
            moved.append(headline)
    return {
        "frame": frame,
        "frame_said": [said_frame(n, c["before"], c["after"]) for n, c in frame.items()],
        "added": [_summary(e) for i, e in new.items() if i not in old],
        "removed": [_summary(e) for i, e in old.items() if i not in new],
        "changed": changed,
        "moved": moved,
        **_team_changes(teams_a, teams_b),
    }


def _teams(version: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The map's teams by id (a version from before teams has none)."""
    teams: Iterable[Any] = version.get("board", {}).get("teams", ())
    return {t["id"]: t for t in teams if isinstance(t, Mapping) and "id" in t}


def _team_changes(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> Json:
    """Teams added, removed, renamed or recoloured: `teams` ({id, before, after}, a team or
    None each) and `teams_said` ("Team added: QA", "Team renamed: Dev → Development")."""
    teams: list[Json] = []
    said: list[str] = []
    for team_id, after in new.items():
        before = old.get(team_id)
        if before == after:
            continue
        teams.append({"id": team_id, "before": before, "after": after})
        if before is None:
            said.append(f"Team added: {after.get('name')}")
            continue
        if before.get("name") != after.get("name"):
            said.append(f"Team renamed: {before.get('name')} → {after.get('name')}")
        if before.get("color") != after.get("color"):
            said.append(
                f"Team colour: {after.get('name')} {before.get('color')} → {after.get('color')}"
            )
    for team_id, before in old.items():
        if team_id not in new:
            teams.append({"id": team_id, "before": before, "after": None})
            said.append(f"Team removed: {before.get('name')}")
    return {"teams": teams, "teams_said": said}


def content_changed(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether the map says something else in `b` than in `a` (moving boxes does not count)."""
    found = diff_boards(a, b)
    return any(found[part] for part in ("frame", "added", "removed", "changed", "teams"))


def _delta(key: str, before: object, after: object) -> float | None:
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return None
    return round(float(after) - float(before), METRIC_DIGITS[key])


def compare_metrics(
    a: Mapping[str, Any], b: Mapping[str, Any], calendar: Calendar | None = None
) -> Json:
    """The headline figures of both versions side by side, each with its delta (b - a).

    A figure one version lacks has no delta (None). Each row also says its
    figures as the Flow panel does (`name`, `shown`: "24.9d", "−6d", "+4.1 pts")
    on `calendar`. The constraint of each is given as it was, since "which
    step" has no difference to subtract.
    """
    cal = calendar or Calendar()
    rows: Json = {}
    for key in METRIC_DIGITS:
        before, after = a.get(key), b.get(key)
        delta = _delta(key, before, after)
        rows[key] = {"a": before, "b": after, "delta": delta} | _shown(key, a, b, delta, cal)
    rows["handoffs"] = _handoff_row(a, b)
    rows["constraint"] = {"a": a.get("constraint"), "b": b.get("constraint")}
    return rows


def _handoff_row(a: Mapping[str, Any], b: Mapping[str, Any]) -> Json:
    """How many times the path's work changes hands in each (None: a version from before
    teams), said as a count ("3", "−2")."""
    counts = [m.get("handoffs", {}).get("count") for m in (a, b)]
    delta = counts[1] - counts[0] if None not in counts else None
    shown = [NOTHING if c is None else str(c) for c in counts]
    moved = (
        NOTHING if delta is None else "no change" if delta == 0 else f"{delta:+d}".replace("-", "−")
    )
    return {
        "a": counts[0],
        "b": counts[1],
        "delta": delta,
        "name": "Handoffs",
        "shown": {"a": shown[0], "b": shown[1], "delta": moved},
    }


def _shown(
    key: str, a: Mapping[str, Any], b: Mapping[str, Any], delta: float | None, cal: Calendar
) -> Json:
    """A compared row in words; a figure without a lead time behind it reads "—"."""

    def figure(metrics: Mapping[str, Any]) -> str:
        value = metrics.get(key)
        # As Metrics.display: no lead time, no ratio or %C/A, and no time of 0 to show.
        if not metrics.get("lead_time_minutes") and not (key.endswith("_minutes") and value):
            value = None
        return metric_text(key, value, cal)

    return {
        "name": METRIC_NAMES[key][0],
        "shown": {"a": figure(a), "b": figure(b), "delta": _moved(key, a, b, delta, cal)},
    }


def _moved(
    key: str, a: Mapping[str, Any], b: Mapping[str, Any], delta: float | None, cal: Calendar
) -> str:
    """The row's change in words, from the two figures (`delta` None: one lacks it)."""
    return NOTHING if delta is None else moved_text(key, float(a[key]), float(b[key]), cal)


def calendar_of(version: Mapping[str, Any]) -> Calendar:
    """The working calendar a version's board JSON was mapped on."""
    frame = version.get("board", {})
    default = Calendar()
    return Calendar(
        hours_per_day=frame.get("hours_per_day", default.hours_per_day),
        days_per_week=frame.get("days_per_week", default.days_per_week),
    )


def compare_versions(a: Mapping[str, Any], b: Mapping[str, Any]) -> Json:
    """Two stored versions (`{board: {board, elements}, metrics}` each): changes and metrics."""
    return {
        "changes": diff_boards(a["board"], b["board"]),
        "metrics": compare_metrics(a["metrics"], b["metrics"], calendar_of(b["board"])),
    }
