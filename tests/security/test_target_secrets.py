"""A staging portal's URL may carry credentials (basic authentication) or a key in its query.
The browser sends them and records them with every request, so a failed check's trace, note
and message would keep them: they are scrubbed as the citizen's data is, in every encoding."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.evidence import url_secrets
from tests.helpers import dead_portal, monitor_dead_portal_once
from tests.security.leaks import Scanner

USER = "qa-monitor"
PASSWORD = "Tgt+S3cr3t&x"
KEY = "k3y-Of-The-Staging"


def test_a_urls_user_password_and_query_are_its_secrets() -> None:
    found = url_secrets(f"https://{USER}:Tgt%2BS3cr3t%26x@staging.example.pt/?key={KEY}&a=1")
    assert {USER, PASSWORD, KEY, f"key={KEY}&a=1"} <= found
    assert url_secrets("https://staging.example.pt/app") == set()


@pytest.mark.slow
def test_a_failed_checks_evidence_keeps_nothing_of_the_targets_credentials(
    tmp_path: Path,
) -> None:
    address = urlsplit(dead_portal()).netloc
    target = f"http://{USER}:Tgt%2BS3cr3t%26x@{address}/?key={KEY}"
    data = tmp_path / "monitor"
    done = monitor_dead_portal_once(data, target=target)
    assert done.returncode == 1, done.stdout + done.stderr
    [folder] = (data / "evidence").iterdir()
    assert (folder / "trace.zip").is_file()  # there is a trace, and it was scanned
    scanner = Scanner([USER, PASSWORD, KEY])
    leaks = scanner.files(data) + scanner.text(done.stdout + done.stderr, "output")
    assert leaks == [], "\n".join(map(str, leaks))
