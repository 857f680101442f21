"""The ``mail_server`` fixture: a real SMTP receiver and Dovecot mailbox (tests/mailserver.py).

Registered for every test folder by ``pytest_plugins`` in tests/conftest.py. One mail server
per test session (per xdist worker); skipped, with the reason, where Dovecot is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import mailserver


@pytest.fixture(scope="session")
def mail_server() -> Iterator[mailserver.MailServer]:
    """``.smtp`` ("127.0.0.1:PORT") takes mail for any address into one mailbox that
    ``.imap_url`` (and ``.imaps_url`` with ``.ca_file``) serves, logged in with
    ``.password``; ``.stop_smtp()``/``.start_smtp()`` take the mail server down and back."""
    if not mailserver.DOVECOT.exists():
        pytest.skip(f"needs Debian's dovecot-imapd ({mailserver.DOVECOT}): run make mailbox")
    with mailserver.running() as server:
        yield server
