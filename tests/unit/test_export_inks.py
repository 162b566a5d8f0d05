"""The exported map is drawn in the canvas's inks: app/export/svgkit.py names them as
frontend/css/tokens.css declares them, so a change to one cannot leave the other behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.export import svgkit

TOKENS = Path(__file__).resolve().parents[2] / "frontend" / "css" / "tokens.css"


@pytest.mark.parametrize(("token", "ink"), [("ink", svgkit.INK), ("ink-muted", svgkit.INK_MUTED),
                                            ("ink-faint", svgkit.INK_FAINT), ("surface", svgkit.SURFACE)])  # fmt: skip
def test_the_exports_inks_are_the_canvass(token: str, ink: str) -> None:
    declared = re.search(rf"--{token}:\s*(#[0-9a-fA-F]{{6}})\s*;", TOKENS.read_text(encoding="utf-8"))
    assert declared is not None, f"tokens.css declares --{token}"
    assert ink.lower() == declared[1].lower()
