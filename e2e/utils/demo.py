"""The worked example of DESIGN section 2 as a board on a live server (through the import API)."""

from __future__ import annotations

from typing import Any

import httpx

from app.domain.demo import demo_board
from app.domain.metrics import compute_metrics
from app.export.json import export_document
from tests.support.live import Server


def demo_on(server: Server) -> dict[str, Any]:
    """A new board holding the demo map; its links and tokens, as `Server.create_board` gives."""
    sample = demo_board()
    document = export_document(sample, compute_metrics(sample))
    answer = httpx.post(f"{server.url}/api/boards/import", json=document, timeout=10)
    answer.raise_for_status()
    created: dict[str, Any] = answer.json()
    created["tokens"] = {role: link.split("token=")[1] for role, link in created["links"].items()}
    return created
