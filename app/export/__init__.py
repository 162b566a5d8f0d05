"""Exports of a board: SVG, PNG and PDF pictures and reports, CSV and JSON data.

Every writer is a pure function of a board and its metrics (no I/O but the
libraries' own); `formats.render` picks one by name for the HTTP API, and
`json.plan_import` turns a JSON export back into a validated board.
"""
