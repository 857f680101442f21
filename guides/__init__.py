"""Step-by-step screenshot guides, in Portuguese and English, made from a real run of a flow.

The guide observer captures each documented step's screen with the element to act on
outlined; renderers write one self-contained HTML file, Markdown with images beside it, and a
PDF. Personal data is masked in every picture and never written in the text.

    sentinel guide --flow registration --lang pt --lang en --format html,md,pdf
"""

from __future__ import annotations
