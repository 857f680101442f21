"""End-to-end tests: a real Chromium through pytest-playwright, the harness's own plugin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every flow runs on each wording and each markup at least once: the portal's own wording with
# the classic markup; a relocation guide's with the modern one (the login form revealed in
# place, other paths); and every undocumented sentence reworded with the single-sign-on markup
# (the form collapsed on every arrival, other paths and names, a cookie banner in the way).
# Their test ids come from the plugin (fixtures.portal.pytest_make_parametrize_id), which knows
# the target: "official-classic" on the bundled mock is "as-served" on a portal given by URL,
# which is tested in its own wording and markup.
VARIANTS = [("official", "classic"), ("guide", "modern"), ("paraphrase", "sso")]
