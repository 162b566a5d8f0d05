"""Hostile text: markup, script URLs, SVG tricks and Unicode controls that must stay plain text.

Shared by tests/integration/test_hostile_input.py (round-trips exactly through
HTTP and the websocket) and e2e/test_xss.py (the board page builds nothing from
it). Every payload that would run sets `window.__xss`, so a page that executed
one is caught even if its DOM looks clean afterwards.
"""

from __future__ import annotations

XSS_CORPUS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><img src=x onerror=window.__xss=1>',
    "' onmouseover='window.__xss=1' x='",
    "</text><script>window.__xss=1</script>",
    "</span></div></foreignObject><script>window.__xss=1</script>",
    '<a href="javascript:window.__xss=1">click me</a>',
    "javascript:window.__xss=1",
    '<svg onload="window.__xss=1"><circle r="10"/></svg>',
    "<svg><script>window.__xss=1</script></svg>",
    '<svg><a xlink:href="javascript:window.__xss=1"><text>x</text></a></svg>',
    "]]><script>window.__xss=1</script><![CDATA[",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<style>body { display: none }</style>",
    "&lt;script&gt;window.__xss=1&lt;/script&gt; &amp; &#60;b&#62;",
    "{{ 7*7 }} ${7*7} {% if 1 %}x{% endif %}",
    "data:text/html,<script>window.__xss=1</script>",
    "Build \u202eevil.exe\u202c and \u2067isolated\u2069",  # right-to-left override and isolate
    "zero\u200bwidth\u200d joiner \ufeffBOM e\u0301 👩\u200d👩\u200d👧",
]
