"""What the test-control API can offer, by name, and the contracts the mock can serve.

``full`` is everything this mock offers; ``base`` is what any portal's test API is expected to
offer (citizens and their outbox), so the harness can be shown to run on a staging portal that
has nothing more; ``mail`` is a staging portal whose codes go out only by email and SMS: its
API provisions citizens, and ``GET /__test__/outbox`` answers 404 like any call not offered,
so codes must be read from a mailbox or an SMS webhook (start the mock with ``--smtp`` and
``--sms-webhook``). A light module: the command line reads it to offer ``--contract``.
"""

from __future__ import annotations

NAME = "portal-sentinel test-control"
VERSION = 1

# In the order GET /__test__/ lists them.
CAPABILITIES = ("citizens", "outbox", "accounts", "clock", "faults", "wording", "markup", "reset")
CONTRACTS: dict[str, tuple[str, ...]] = {
    "full": CAPABILITIES,
    "base": ("citizens", "outbox"),
    "mail": ("citizens",),
}
# In words, for ``sentinel mock --help``.
DESCRIPTIONS = {
    "full": "everything this mock offers",
    "base": "citizens and outbox only, as a staging portal may",
    "mail": "citizens only: a staging portal whose codes go out only by email and SMS",
}
DEFAULT = "full"
