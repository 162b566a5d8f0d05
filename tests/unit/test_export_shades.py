"""A box in the exports stands on a shade, as on the canvas: a plain copy of its outline a
little lower, never a filter. resvg works a filter out over the whole region it covers,
once for every box: a 60-step map's page of the PDF took 0.77 s to render with one drop
shadow a box and 0.14 s with shades, and a 240-step PDF (119 such pages) ~170 s."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from app.domain.elements import Board, Connector, Experiment, Inventory, Note, Step
from app.domain.metrics import compute_metrics
from app.export import svgkit
from app.export.svg import board_svg

ROOT = Path(__file__).resolve().parents[2]
NS = "{http://www.w3.org/2000/svg}"
BOXES = ("step", "inventory", "note", "experiment")


def _board() -> Board:
    elements = [
        Step(id="a", x=0, y=0, text="Build", wait_minutes=60, process_minutes=30),
        Inventory(id="i", x=220, y=20, count=4),
        Step(id="b", x=320, y=0, text="Test", wait_minutes=120, process_minutes=45),
        Connector(id="c1", source="a", target="i"),
        Connector(id="c2", source="i", target="b"),
        Note(id="n1", x=0, y=300, text="A comment"),
        Note(id="n2", x=200, y=300, text="Maybe so", variant="hypothesis"),
        Note(id="n3", x=400, y=300, text="Fix it", variant="kaizen"),
        Experiment(id="e", x=600, y=300, text="pairing on reviews"),
    ]
    return Board(id="shades", title="Shades", elements={e.id: e for e in elements})


def _groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") in BOXES]


def test_every_box_in_the_export_stands_on_a_shade_and_nothing_is_filtered() -> None:
    board = _board()
    root = ET.fromstring(board_svg(board, compute_metrics(board)))
    assert not list(root.iter(f"{NS}filter"))
    assert all(node.get("filter") is None for node in root.iter())
    groups = _groups(root)
    assert sorted(g.get("data-id") for g in groups) == ["a", "b", "e", "i", "n1", "n2", "n3"]
    for g in groups:
        shade, body = list(g)[:2]
        assert shade.get("class") == "shade", g.get("data-id")
        assert shade.tag == body.tag
        assert shade.get("transform") == f"translate(0 {svgkit.num(svgkit.SHADE_DY)})"
        for geometry in ("d", "width", "height", "rx"):
            assert shade.get(geometry) == body.get(geometry), (g.get("data-id"), geometry)
        assert (shade.get("fill"), shade.get("stroke")) == (svgkit.SHADE, svgkit.SHADE_EDGE)


def test_the_exports_shade_is_the_canvass() -> None:
    tokens = (ROOT / "frontend" / "css" / "tokens.css").read_text(encoding="utf-8")
    for token, ink in (("shade", svgkit.SHADE), ("shade-edge", svgkit.SHADE_EDGE)):
        declared = re.search(rf"--{token}:\s*rgb\((\d+) (\d+) (\d+) / ([\d.]+)\)", tokens)
        assert declared is not None, f"tokens.css declares --{token}"
        r, g, b, a = declared.groups()
        assert ink == f"rgba({r},{g},{b},{a})"
    shapes = (ROOT / "frontend" / "js" / "canvas" / "shapes.js").read_text(encoding="utf-8")
    offset = re.search(r"export const SHADE_DY = ([\d.]+);", shapes)
    assert offset is not None
    assert float(offset[1]) == svgkit.SHADE_DY
    css = (ROOT / "frontend" / "css" / "canvas.css").read_text(encoding="utf-8")
    width = re.search(r"\.el \.shade \{[^}]*stroke-width: ([\d.]+);", css)
    assert width is not None
    assert float(width[1]) == svgkit.SHADE_STROKE
