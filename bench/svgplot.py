"""Small SVG line charts for the report, with no plotting library to install.

Each panel has its x positions and labels, one line per series (a target),
an optional log y axis and an optional horizontal limit line.

    svg = render([Panel("W1", [0, 1], ["p50", "p99"], {"B0": [0.4, 1.2]}, "ms")])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

COLORS = {"B0": "#6b7280", "B1": "#2563eb", "Flowmap": "#ea580c"}
EXTRA_COLORS = ("#16a34a", "#7c3aed", "#db2777", "#0891b2", "#ca8a04")
PANEL_W, PANEL_H = 440, 270
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 58, 14, 30, 44
# Share of the x range left empty at each end, so the first and last points clear the frame.
X_PAD = 0.06
FONT = 'font-family="sans-serif" font-size="11"'


@dataclass
class Panel:
    title: str
    x: list[float]
    x_labels: list[str]
    series: dict[str, list[float | None]]
    y_label: str
    log_y: bool = True
    hline: float | None = None  # a limit to draw across the panel (e.g. 50 ms)


def color(name: str, index: int) -> str:
    return COLORS.get(name, EXTRA_COLORS[index % len(EXTRA_COLORS)])


def _y_range(panel: Panel) -> tuple[float, float]:
    values = [v for ys in panel.series.values() for v in ys if v is not None and v > 0]
    if panel.hline:
        values.append(panel.hline)
    if not values:
        return (0.1, 1.0) if panel.log_y else (0.0, 1.0)
    low, high = min(values), max(values)
    if panel.log_y:
        return 10 ** math.floor(math.log10(low)), 10 ** math.ceil(math.log10(high * 1.01))
    return 0.0, high * 1.1 or 1.0


def _ticks(low: float, high: float, log: bool) -> list[float]:
    if log:
        return [10.0**k for k in range(round(math.log10(low)), round(math.log10(high)) + 1)]
    step = 10 ** math.floor(math.log10(high / 4)) if high > 0 else 1
    return [i * step for i in range(int(high / step) + 1)]


def _panel(panel: Panel, left: float, top: float) -> list[str]:
    plot_w = PANEL_W - MARGIN_L - MARGIN_R
    plot_h = PANEL_H - MARGIN_T - MARGIN_B
    x0, y0 = left + MARGIN_L, top + MARGIN_T
    low, high = _y_range(panel)
    pad = X_PAD * ((max(panel.x) - min(panel.x)) or 1.0)
    x_low, x_high = min(panel.x) - pad, max(panel.x) + pad
    x_span = x_high - x_low

    def sx(x: float) -> float:
        return x0 + (x - x_low) / x_span * plot_w

    def sy(y: float) -> float:
        if panel.log_y:
            share = (math.log10(y) - math.log10(low)) / (math.log10(high) - math.log10(low))
        else:
            share = (y - low) / ((high - low) or 1.0)
        return y0 + plot_h - share * plot_h

    out = [
        f'<text x="{left + PANEL_W / 2}" y="{top + 18}" text-anchor="middle" {FONT} '
        f'font-weight="bold">{escape(panel.title)}</text>',
        f'<rect x="{x0}" y="{y0}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>',
    ]
    for tick in _ticks(low, high, panel.log_y):
        y = sy(tick)
        out.append(f'<line x1="{x0}" x2="{x0 + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{tick:g}</text>')
    for x, label in zip(panel.x, panel.x_labels, strict=True):
        out.append(
            f'<text x="{sx(x):.1f}" y="{y0 + plot_h + 15}" text-anchor="middle" {FONT}>'
            f"{escape(label)}</text>"
        )
    out.append(
        f'<text x="{left + 14}" y="{y0 + plot_h / 2}" {FONT} text-anchor="middle" '
        f'transform="rotate(-90 {left + 14} {y0 + plot_h / 2})">{escape(panel.y_label)}</text>'
    )
    if panel.hline is not None:
        y = sy(panel.hline)
        out.append(
            f'<line x1="{x0}" x2="{x0 + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dc2626" '
            'stroke-dasharray="4 3"/>'
        )
    for index, (name, ys) in enumerate(panel.series.items()):
        stroke = color(name, index)
        points = [(sx(x), sy(y)) for x, y in zip(panel.x, ys, strict=True) if y and y > 0]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{stroke}" stroke-width="2"/>'
            )
        out += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{stroke}"/>' for px, py in points]
        legend_y = top + PANEL_H - 12
        legend_x = x0 + index * 120
        out.append(
            f'<rect x="{legend_x}" y="{legend_y - 8}" width="10" height="10" fill="{stroke}"/>'
        )
        out.append(f'<text x="{legend_x + 14}" y="{legend_y + 1}" {FONT}>{escape(name)}</text>')
    return out


def render(panels: list[Panel], columns: int = 2) -> str:
    """One SVG holding the panels in a grid, `columns` wide."""
    rows = max(1, math.ceil(len(panels) / columns))
    width, height = PANEL_W * min(columns, len(panels) or 1), PANEL_H * rows
    body: list[str] = []
    for i, panel in enumerate(panels):
        body += _panel(panel, (i % columns) * PANEL_W, (i // columns) * PANEL_H)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="white"/>'
        + "".join(body)
        + "</svg>\n"
    )
