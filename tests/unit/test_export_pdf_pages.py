"""The map's pages of the PDF report on a big, messy map (review of December 2026): every
part shows something to read, no cut goes through a step, no page is blank; and a
forecast with no spread says so in words, without a chart.

The board is the reviewer's (repro/messy.py, built there through the HTTP API): 39 steps
with long names and emoji on four teams, queues, two rework loops, notes, bursts, an
experiment, then tidied (domain/tidy.py), which puts each step on its owner's row.
"""

from __future__ import annotations

import io
import random
import re
from functools import cache
from typing import Any

from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Paragraph

from app.domain.demo import demo_board
from app.domain.elements import Board, Experiment, Inventory, Note
from app.domain.forecast import forecast_json
from app.domain.lanes import lane_bands
from app.domain.metrics import Metrics, compute_metrics
from app.domain.operations import Create, Operation, SetBoard, apply_many
from app.domain.tidy import tidy
from app.export.fit import reach
from app.export.fonts import text_width
from app.export.layout import Rect
from app.export.pdf import MARGIN, PAGE, board_pdf
from app.export.pdf_forecast import forecast_flowables
from app.export.pdf_map import MapParts, ladder_band, plan_map
from app.export.routes import arrows
from app.export.svg_lanes import name_box
from app.export.svg_teams import CHIP_H, CHIP_TEXT, MARK_SIZE, MARK_WEIGHT, TAG_GAP, TAG_H, TAG_PAD
from tests.unit.test_export_pdf import MOMENT

PAGE_WIDTH, PAGE_HEIGHT = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN
CHIP_W = text_width(CHIP_TEXT, MARK_SIZE, MARK_WEIGHT) + 2 * TAG_PAD
# What the report's head takes on the first page of this board, near enough.
HEAD = 150.0
TEAMS = (("t-sales", "Sales 销售"), ("t-legal", "Legal ⚖️ قانوني"), ("t-fin", "Finance / כספים"),
         ("t-wh", "Warehouse & Logistics (EMEA, APAC, Americas)"))  # fmt: skip
NAMES = (
    "Receive request 📩",
    "Log request in CRM with all the partner portal metadata, attachments, customer hierarchy, region, incoterms and the sales rep who owns the account relationship (if any) — check duplicates first!!",
    "核对客户信息", "التحقق من الائتمان", "בדיקת מלאי", "Qualify 🤔", "Draft quote", "Price approval 💰",
    "Discount > 15% → VP", "Legal review of T&Cs",
    "Redline negotiation with the customer's procurement department, which usually takes several rounds because their template conflicts with ours on liability caps, IP ownership and payment terms 😩😩",
    "Export-control screening", "Tax code lookup", "Send quote", "Customer decides ⏳", "PO received",
    "PO ↔ quote match", "Credit limit check", "Order entry in ERP", "Allocate stock", "Pick", "Pack 📦",
    "Ship 🚚", "Customs", "Deliver", "Proof of delivery", "Invoice", "Dunning", "Cash applied 💶", "Close",
    "审批流程（财务、法务、销售总监三方会签，通常需要等待每个人的空闲时间，周末不处理）", "Step 32", "Step 33", "Step 34",
    "Step 35 with 😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛😝😜🤪🤨🧐🤓😎🥸🤩🥳", "Step 37", "Step 38",
    "מסירה ללקוח ואישור קבלה בכתב", "إغلاق الطلب",
)  # fmt: skip
OWNERS = "sssfwssffllllfsssfffwwwwwwwfffs"  # by initial: the first 30 steps' teams
QUEUES = ((3, 7, "Waiting for credit team"), (8, 25, "Quotes awaiting approval from the VP who travels a lot"),
          (10, 3, "红线"), (19, 120, "Orders on hold"), (23, 40, "Shipments at customs 🛃"))  # fmt: skip
NOTES = (
    (500, -400, "comment", "Why does legal review happen after pricing? Parallel? 🤷 Lots of back and forth here; the reps say they never know who holds the quote at any moment."),
    (2300, -420, "hypothesis", "Hypothesis: the VP approval step adds 5 days because approvals are batched weekly on Friday afternoons"),
    (3000, -380, "kaizen", "Kaizen: auto-approve discounts ≤ 15% 自动批准"),
    (6000, -400, "comment", ""),
    (7000, 500, "comment", "   "),
    (4000, -390, "kaizen", "Kaizen 🔥 single PO/quote matching tool across all regions, replacing the three spreadsheets currently used by EMEA, APAC and Americas teams respectively, which disagree constantly"),
)  # fmt: skip


def _steps(draw: random.Random) -> list[Operation]:
    """The 39 steps, placed and filled with the reviewer's random draws (seed 7)."""
    teams = {name[0].lower(): team for team, name in TEAMS}
    teams["w"] = "t-wh"
    out: list[Operation] = []
    for i, name in enumerate(NAMES):
        x, y = i * 230 + draw.randint(-60, 60), draw.randint(-150, 200)
        step: dict[str, Any] = {
            "id": f"s{i + 1}", "kind": "step", "x": x, "y": y, "text": name,
            "wait_minutes": draw.choice([None, 30, 60, 240, 480, 960, 1440, 2400, 4800]),
            "process_minutes": draw.choice([None, 15, 30, 60, 120, 480]),
            "pca": draw.choice([None, 60, 75, 90, 95, 100]),
            "people": draw.choice([None, 1, 2, 3]),
            "waste": draw.sample(["defects", "waiting", "motion", "inventory", "extra-processing"],
                                 draw.randint(0, 3)),
        }  # fmt: skip
        if i < len(OWNERS):
            step["owner"] = teams[OWNERS[i]]
        out.append(Create(step))
    return out


def _arrows() -> list[Operation]:
    flow = [("flow", f"s{i}", f"s{i + 1}", None) for i in range(1, len(NAMES))]
    other = [
        ("rework", "s11", "s10", 0.4),
        ("rework", "s17", "s7", 0.15),
        ("info", "s28", "s2", None),
    ]
    return [
        Create({"id": f"c{n}", "kind": "connector", "connector": kind, "source": a, "target": b}
               | ({} if rate is None else {"rework_rate": rate}))
        for n, (kind, a, b, rate) in enumerate(flow + other)
    ]  # fmt: skip


def _around() -> list[Operation]:
    """The queues, notes and the experiment card."""
    out: list[Operation] = [
        Create({"id": f"q{n}", "kind": "inventory", "x": i * 230 - 90, "y": 300, "text": text, "count": count})
        for n, (i, count, text) in enumerate(QUEUES)
    ]  # fmt: skip
    out += [
        Create({"id": f"n{n}", "kind": "note", "x": x, "y": y, "variant": variant, "text": text})
        for n, (x, y, variant, text) in enumerate(NOTES)
    ]
    out.append(Create({"id": "x1", "kind": "experiment", "x": 1200, "y": -450, "baseline": 40000,
                       "text": "Auto-approve discounts up to 15% without VP sign-off",
                       "target": 30000, "review": "2027-03-01"}))  # fmt: skip
    return out


@cache
def messy_board(tidied: bool = True) -> Board:
    """The reviewer's board, tidied up as the facilitator did (or as people left it)."""
    frame = SetBoard({
        "title": "Quote-to-cash 🧾 报价到收款 — ملف messy map",
        "trigger": "Customer emails, phones or submits via the partner portal a request for a custom configuration quote that includes pricing, delivery & compliance docs",
        "delivery": "Signed contract countersigned by legal, order booked in ERP with correct tax codes, goods shipped, invoice issued and the customer confirms receipt in writing",
        "teams": [{"id": team, "name": name} for team, name in TEAMS],
    })  # fmt: skip
    board, results = apply_many(
        Board(id="messy"), [frame, *_steps(random.Random(7)), *_arrows(), *_around()]
    )
    assert all(isinstance(r, dict) for r in results), results
    if tidied:
        board, results = apply_many(board, list(tidy(board).ops))
        assert all(isinstance(r, dict) for r in results), results
    return board


@cache
def parts_of(tidied: bool = True) -> tuple[MapParts, Metrics]:
    board = messy_board(tidied)
    metrics = compute_metrics(board)
    return plan_map(board, metrics, PAGE_WIDTH, (PAGE_HEIGHT - HEAD, PAGE_HEIGHT)), metrics


@cache
def messy_pdf(tidied: bool = True) -> PdfReader:
    board = messy_board(tidied)
    made = board_pdf(board, compute_metrics(board), created=MOMENT, forecast=forecast_json(board))
    return PdfReader(io.BytesIO(made))


def step_boxes(drawn: Board) -> list[Rect]:
    """Each step as drawn: its owner's tag above it, its figures box and waste chips below."""
    above = TAG_GAP + TAG_H
    return [Rect(s.x, s.y - above, s.w, above + reach(s)) for s in drawn.steps()]


def handoff_chips(drawn: Board, metrics: Metrics) -> list[Rect]:
    """Where the "handoff" chips sit: mid-arrow, on the arrow into the step that gets the work."""
    handoffs = {target for _, target in metrics.handoffs.edges}
    return [
        Rect(path.mid.x - CHIP_W / 2, path.mid.y - CHIP_H / 2, CHIP_W, CHIP_H)
        for c, path in arrows(drawn)
        if c.connector == "flow" and c.target in handoffs
    ]


def readable(drawn: Board, metrics: Metrics) -> list[Rect]:
    """What a part of the map is printed for: a step, a queue, a note or card, the ladder."""
    out = step_boxes(drawn) + ladder_band(drawn, metrics)
    for el in drawn.elements.values():
        if isinstance(el, Note | Experiment | Inventory):
            out.append(Rect(el.x, el.y, el.w, reach(el)))
    return out


def meets(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def holds(tile: Rect, box: Rect) -> bool:
    return (
        tile.x <= box.x
        and box.right <= tile.right
        and tile.y <= box.y
        and box.bottom <= tile.bottom
    )


def test_every_part_of_a_big_map_shows_a_step_a_queue_a_note_or_the_ladder() -> None:
    # Tidied, the 39 steps stand on their teams' rows, a staircase across the map: a grid
    # of pages caught bare paper and bits of arrows in 25 of its 46 parts.
    for tidied in (True, False):
        parts, metrics = parts_of(tidied)
        wanted = readable(parts.picture.drawn, metrics)
        for tile in parts.tiles:
            assert any(meets(tile, box) for box in wanted), (tidied, tile)


def test_no_part_cuts_through_a_step_its_figures_its_owner_tag_or_a_handoff_chip() -> None:
    for tidied in (True, False):
        parts, metrics = parts_of(tidied)
        drawn = parts.picture.drawn
        whole = step_boxes(drawn) + handoff_chips(drawn, metrics)
        for tile in parts.tiles:
            cut = [box for box in whole if meets(tile, box) and not holds(tile, box)]
            assert not cut, (tidied, tile, cut)


def test_a_big_map_takes_few_pages_each_part_naming_the_steps_it_is_about() -> None:
    # 46 parts tidied (26 untidied) and 53 pages were printed; the map is 13 columns of
    # pages wide at 7 pt text, and its teams' rows and the ladder take two pages' height.
    assert len(parts_of(True)[0].tiles) <= 30
    assert len(parts_of(False)[0].tiles) <= 24
    assert len(messy_pdf().pages) <= 30
    for tidied in (True, False):
        text = " ".join(page.extract_text() for page in messy_pdf(tidied).pages)
        captions = re.findall(r"Map, part \d+ of \d+[^\n]*", text)
        # "· steps 4–6 of 39: ...", or for the ladder or notes alone "· under steps 4–6 of 39"
        assert captions and all(" · " in line and " of 39" in line for line in captions)


def test_no_page_of_the_report_is_blank() -> None:
    # The last part of the map filled its page; the gap after it went over to a page of
    # its own, and the forecast's page break left that page with only its footer.
    for number, page in enumerate(messy_pdf().pages, 1):
        footer = f"page {number}"
        said = page.extract_text().split(footer, 1)[-1].strip()
        assert said or page["/Resources"].get("/XObject"), number


def test_a_forecast_with_no_spread_says_so_in_words_without_a_chart() -> None:
    board = demo_board()
    forecast = forecast_json(board)
    assert forecast is not None and forecast["p50_minutes"] == forecast["p95_minutes"]
    flowables = forecast_flowables(forecast, board.calendar)
    assert not any(isinstance(f, Drawing) for f in flowables)
    said = " ".join(f.getPlainText() for f in flowables if isinstance(f, Paragraph))
    assert "No spread yet: every simulated item takes 24.9d." in said
    assert "Type a range such as 2d-5d" in said
    made = board_pdf(board, compute_metrics(board), created=MOMENT, forecast=forecast)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(made)).pages)
    assert "No spread yet" in text and "50% of items done within" not in text


def _lanes_with_long_names() -> Board:
    """The review's lanes1.py: three teams in lanes, long names, one step nobody owns."""
    teams = [{"id": "t-sales", "name": "Sales", "color": "blue"},
             {"id": "t-dev", "name": "Development", "color": "green"},
             {"id": "t-ops", "name": "Operations", "color": "purple"}]  # fmt: skip
    long = "Check the customer's credit limit and the contract terms against the policy of the month " * 2
    names = ["Take order", long, "Build it", "Review " + long, "Deploy", "Confirm with customer " + long, "Invoice"]
    owners = ["t-sales", "t-dev", "t-dev", "t-ops", None, "t-ops", "t-sales"]
    ops: list[Operation] = [SetBoard({"teams": teams, "swimlanes": True, "trigger": "Order in",
                                      "delivery": "Shipped"})]  # fmt: skip
    for i, (name, owner) in enumerate(zip(names, owners, strict=True)):
        element = {"id": f"s{i}", "kind": "step", "x": 80 + i * 312, "y": 160, "text": name,
                   "wait_minutes": 480, "process_minutes": 60, **({"owner": owner} if owner else {})}  # fmt: skip
        ops.append(Create(element))
        if i:
            ops.append(Create({"id": f"f{i}", "kind": "connector", "source": f"s{i - 1}", "target": f"s{i}"}))
    board, _ = apply_many(Board(id="lanes", title="Lanes"), ops)
    board, _ = apply_many(board, list(tidy(board).ops))
    return board


def test_no_page_holds_a_caption_without_its_part() -> None:
    # A caption listing long step names wrapped onto three lines, its part no longer fitted
    # under it, and the page held the caption alone (the part on the next, uncaptioned).
    board = _lanes_with_long_names()
    reader = PdfReader(io.BytesIO(board_pdf(board, compute_metrics(board), created=MOMENT)))
    for number, page in enumerate(reader.pages, start=1):
        if "Map, part" in (page.extract_text() or ""):
            assert page.images, f"page {number} has a caption and no picture"


def test_every_lane_is_named_on_some_page() -> None:
    # A part was printed for steps, not for a lane's name: "Operations" and "Unassigned"
    # were on no page, their bands printed without them.
    board = _lanes_with_long_names()
    parts = plan_map(board, compute_metrics(board), PAGE_WIDTH, (PAGE_HEIGHT - HEAD, PAGE_HEIGHT))
    names = {band.name: name_box(band) for band in lane_bands(parts.picture.drawn)}
    assert set(names) == {"Sales", "Development", "Operations", "Unassigned"}
    for name, box in names.items():
        assert any(holds(tile, box) for tile in parts.tiles), name
