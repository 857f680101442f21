"""End-to-end tests: a real Chromium through pytest-playwright, the harness's own plugin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every flow runs on each wording and each markup at least once: the portal's own wording with
# the classic markup; a relocation guide's with the modern one (the login form revealed in
# place, other paths); and every undocumented sentence reworded with the single-sign-on markup
# (the form collapsed on every arrival, other paths and names, a cookie banner in the way).
VARIANTS = [
    pytest.param(("official", "classic"), id="official-classic"),
    pytest.param(("guide", "modern"), id="guide-modern"),
    pytest.param(("paraphrase", "sso"), id="paraphrase-sso"),
]
