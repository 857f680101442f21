"""End-to-end tests: a real Chromium through pytest-playwright, the harness's own plugin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every flow runs on the portal's own wording with the classic markup, and on a relocation
# guide's wording with the modern markup (the login form revealed in place, other paths).
VARIANTS = [
    pytest.param(("official", "classic"), id="official-classic"),
    pytest.param(("guide", "modern"), id="guide-modern"),
]
