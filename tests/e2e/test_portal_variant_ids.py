"""Test ids of the portal variants say what a test runs on: on a portal given by URL the
default variant is the portal's own wording and markup, ``as-served``, not the mock's
``official-classic``."""

from __future__ import annotations

import re

import pytest

from tests.helpers import run_pytest

pytestmark = pytest.mark.slow

SELECTED = ("tests/e2e/test_flows.py", "--collect-only", "-k", "end_to_end and login")
VARIANT_ID = re.compile(r"\[chromium-login-([a-z-]+)\]")


def variant_ids(output: str) -> list[str]:
    return VARIANT_ID.findall(output)


def test_on_the_bundled_mock_the_ids_name_each_variant() -> None:
    done = run_pytest(*SELECTED)
    assert done.returncode == 0, done.stdout[-2000:]
    assert variant_ids(done.stdout) == ["official-classic", "guide-modern", "paraphrase-sso"]


def test_on_a_url_the_default_variant_is_as_served() -> None:
    # Collection only: nothing is asked of the URL.
    done = run_pytest(*SELECTED, "--base-url", "http://127.0.0.1:9")
    assert done.returncode == 0, done.stdout[-2000:]
    assert variant_ids(done.stdout) == ["as-served", "guide-modern", "paraphrase-sso"]


def test_a_url_given_in_the_environment_counts_too() -> None:
    done = run_pytest(*SELECTED, env={"PYTEST_BASE_URL": "http://127.0.0.1:9"})
    assert done.returncode == 0, done.stdout[-2000:]
    assert variant_ids(done.stdout)[0] == "as-served"
