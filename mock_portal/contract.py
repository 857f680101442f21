"""What the test-control API can offer, by name, and the two contracts the mock can serve.

``full`` is everything this mock offers; ``base`` is what any portal's test API is expected to
offer (citizens and their outbox), so the harness can be shown to run on a staging portal that
has nothing more. A light module: the command line reads it to offer ``--contract``.
"""

from __future__ import annotations

NAME = "portal-sentinel test-control"
VERSION = 1

# In the order GET /__test__/ lists them.
CAPABILITIES = ("citizens", "outbox", "accounts", "clock", "faults", "wording", "markup", "reset")
CONTRACTS: dict[str, tuple[str, ...]] = {
    "full": CAPABILITIES,
    "base": ("citizens", "outbox"),
}
DEFAULT = "full"
