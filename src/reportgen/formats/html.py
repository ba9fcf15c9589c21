"""The marks by which our own HTML page is recognised and read back element for element."""
from __future__ import annotations

GENERATOR = "reportgen"          # <meta name="generator" content="reportgen">
CLOSING_CLASS = "closing"        # <p class="closing">: a right-aligned closing line
ADDRESSEE_CLASS = "addressee"    # <p class="addressee">: the flush-left addressee line
LEVEL_ATTRIBUTE = "data-level"   # the outline level of a heading deeper than h6
