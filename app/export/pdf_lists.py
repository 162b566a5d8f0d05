"""The PDF's lists in words (lists.py): notes, hypotheses, kaizen bursts, experiments,
comment threads and dot-vote results, each item whole, what hangs off it indented.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app.domain.elements import Board
from app.export.lists import sections
from app.export.pdf_style import MUTED, heading, style, text

# Replies and details sit this far in (points), under the item they belong to.
DETAIL_INDENT = 14.0


def list_flowables(board: Board) -> list[Flowable]:
    """Every list the board has something for, with its heading."""
    item = style("li", 9, after=2)
    detail = style("li-detail", 8.5, ink=MUTED, after=2, indent=DETAIL_INDENT)
    out: list[Flowable] = []
    for section in sections(board):
        for i, entry in enumerate(section.items):
            lines: list[Flowable] = [heading(text(section.title))] if i == 0 else []
            lines.append(Paragraph("• " + text(entry.text), item))
            lines += [Paragraph("– " + text(d), detail) for d in entry.details]
            # An item keeps its details; the first keeps its heading (never alone at a page end).
            out.append(KeepTogether(lines))
    return out
