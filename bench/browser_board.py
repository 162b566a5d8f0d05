"""Boards for the browser benchmark: a realistic mix, laid out as a workshop would.

Rows of value streams: each step (with wait, process time, %C/A, people and
sometimes waste tags, so its data box is full) is followed by an inventory
triangle and joined to it and to the next step by flow arrows; every other
step has a note above it (comments, hypotheses, kaizen bursts). One unit of a
row (step, inventory, two arrows, half a note) is about 4.5 elements, and rows
are as long as make the whole board about twice as wide as tall. Ids and texts
are deterministic, so two runs draw the same board.

    spec = board_spec(1000)
    seed_board(base_url, facilitator_token, spec.elements)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import httpx

# Canvas units, from the element defaults (docs/protocol.md): step 168x96, inventory 72x64.
STEP_W, STEP_H = 168, 96
INVENTORY_W = 72
GAP = 44
UNIT_W = STEP_W + GAP + INVENTORY_W + GAP
# A note (120) over the step, the step, its data box and chips under it, and air.
ROW_H = 460
NOTE_Y = -150
ELEMENTS_PER_UNIT = 4.5
# The API takes at most this many operations a request (app/protocol.py MAX_OPS_PER_MESSAGE).
BATCH = 200
WASTE = ("waiting", "defects", "motion", "overproduction", "inventory", "extra-processing")
VERBS = (
    "Review",
    "Build",
    "Test",
    "Approve",
    "Package",
    "Deploy",
    "Triage",
    "Design",
    "Plan",
    "Check",
)
NOTES = (
    "Handoff waits for the weekly meeting",
    "Two people re-key the same order into the ERP",
    "Could we batch smaller?",
    "Approval needs a signature from finance, often on leave",
)


@dataclass(frozen=True)
class BoardSpec:
    elements: list[dict[str, Any]]
    steps: list[dict[str, Any]]  # the steps (id, x, y): what remote people drag
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1 of everything, canvas units

    @property
    def boxes(self) -> int:
        """Elements drawn as boxes (not arrows)."""
        return sum(1 for e in self.elements if e["kind"] != "connector")


def board_spec(size: int, seed: int = 20) -> BoardSpec:
    """About `size` elements (never more), rows twice as wide as the stack of rows is tall."""
    rnd = random.Random(seed)
    units = max(2, int(size / ELEMENTS_PER_UNIT))
    per_row = max(2, round(math.sqrt(units * 2 * ROW_H / UNIT_W)))
    elements: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    unit = 0
    while len(elements) < size:
        row, col = divmod(unit, per_row)
        x, y = col * UNIT_W, row * ROW_H
        step_id = f"s-{row}-{col}"
        step = {
            "id": step_id,
            "kind": "step",
            "x": x,
            "y": y,
            "text": f"{VERBS[unit % len(VERBS)]} {unit}",
            "wait_minutes": rnd.choice([30, 120, 480, 2400, 4800]),
            "process_minutes": rnd.choice([15, 45, 90, 240]),
            "pca": rnd.choice([60, 75, 90, 98]),
            "people": rnd.randint(1, 5),
            "waste": rnd.sample(WASTE, rnd.choice([0, 0, 1, 2])),
        }
        batch = [step]
        if col > 0:  # from the inventory before this step
            batch.append(
                {
                    "id": f"c-{row}-{col}-in",
                    "kind": "connector",
                    "source": f"i-{row}-{col - 1}",
                    "target": step_id,
                    "connector": "flow",
                }
            )
        if col < per_row - 1:
            batch.append(
                {
                    "id": f"i-{row}-{col}",
                    "kind": "inventory",
                    "x": x + STEP_W + GAP,
                    "y": y + 16,
                    "count": rnd.randint(0, 40),
                    "text": "queue",
                }
            )
            batch.append(
                {
                    "id": f"c-{row}-{col}-out",
                    "kind": "connector",
                    "source": step_id,
                    "target": f"i-{row}-{col}",
                    "connector": "flow",
                }
            )
        if unit % 2 == 0:
            variant = ("comment", "hypothesis", "kaizen")[(unit // 2) % 3]
            batch.append(
                {
                    "id": f"n-{row}-{col}",
                    "kind": "note",
                    "x": x,
                    "y": y + NOTE_Y,
                    "variant": variant,
                    "text": NOTES[unit % len(NOTES)],
                }
            )
        room = size - len(elements)
        # In this order an arrow comes after both its ends, as the server insists.
        elements.extend(batch[:room])
        steps.append({"id": step_id, "x": x, "y": y})
        unit += 1
    ids = {e["id"] for e in elements}
    elements = [
        e
        for e in elements
        if e["kind"] != "connector" or (e["source"] in ids and e["target"] in ids)
    ]
    rows = unit // per_row + 1
    bounds = (0.0, float(NOTE_Y), float(per_row * UNIT_W), float(rows * ROW_H))
    return BoardSpec(elements, steps, bounds)


def create_board(base_url: str, title: str) -> dict[str, Any]:
    """A new board: {id, tokens: {role: token}}."""
    answer = httpx.post(f"{base_url}/api/boards", json={"title": title}, timeout=30)
    answer.raise_for_status()
    created: dict[str, Any] = answer.json()
    tokens = {role: link.split("token=", 1)[1] for role, link in created["links"].items()}
    return {"id": created["id"], "tokens": tokens, "links": created["links"]}


def seed_board(base_url: str, board: dict[str, Any], elements: list[dict[str, Any]]) -> None:
    """Create every element as the facilitator, in batches; raise if one is refused."""
    ops = [{"op": "create", "element": e} for e in elements]
    headers = {"Authorization": f"Bearer {board['tokens']['facilitator']}"}
    with httpx.Client(timeout=120) as http:
        for start in range(0, len(ops), BATCH):
            answer = http.post(
                f"{base_url}/api/boards/{board['id']}/ops",
                json={"ops": ops[start : start + BATCH]},
                headers=headers,
            )
            answer.raise_for_status()
            refused = [r for r in answer.json()["results"] if r["error"] is not None]
            if refused:
                raise RuntimeError(f"seeding refused: {refused[:3]}")
