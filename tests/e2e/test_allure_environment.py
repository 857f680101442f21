"""The Allure environment says what the session tested: the wording and markup its flows ran
on (the mock's default where no test asked for a variant), "as served" for a portal given by
URL, and every xdist worker's share when the session is split."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from runtime.mock_process import start_in_background
from runtime.tokens import TOKEN_ENV
from tests.helpers import run_pytest

pytestmark = pytest.mark.slow

TESTS = """
import pytest

@pytest.mark.parametrize("portal_variant", {variants!r}, indirect=True)
def test_on_a_variant(run_flow, portal_variant):
    pass

def test_on_the_portal_as_it_is(run_flow):
    pass
"""


def environment(tmp_path: Path, variants: list[tuple[str, str]], *args: str, **env: str):
    """Run a session of one test per variant (and one without, unless ``-k`` leaves it out);
    returns its ``environment.properties`` as a dict."""
    module = tmp_path / "test_environment_of_a_session.py"
    module.write_text(TESTS.format(variants=variants), encoding="utf-8")
    results = tmp_path / "results"
    done = run_pytest(str(module), "--alluredir", str(results), *args, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    lines = (results / "environment.properties").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def listed(value: str) -> set[str]:
    return set(value.split(", "))


def test_only_the_variants_the_session_ran_on_are_listed(tmp_path: Path) -> None:
    properties = environment(tmp_path, [("guide", "modern")], "-k", "on_a_variant")
    assert properties["Wording/markup"] == "guide/modern"
    assert properties["Target"].endswith("(bundled mock)")
    assert properties["Browser"].startswith("chromium ")


def test_flows_run_without_a_variant_ran_on_the_mocks_default(tmp_path: Path) -> None:
    properties = environment(tmp_path, [("paraphrase", "sso")])
    assert listed(properties["Wording/markup"]) == {"paraphrase/sso", "official/classic"}


def test_a_portal_given_by_url_is_tested_as_served(tmp_path: Path) -> None:
    token = secrets.token_urlsafe(16)
    mock = start_in_background(tmp_path / "portal.db", token)
    try:
        properties = environment(
            tmp_path, [("official", "classic")], "--base-url", mock.url, **{TOKEN_ENV: token}
        )
    finally:
        mock.stop()
    assert properties["Wording/markup"] == "as served"
    assert properties["Target"] == mock.url


def test_every_worker_of_a_split_session_is_heard(tmp_path: Path) -> None:
    variants = [
        ("guide", "modern"),
        ("paraphrase", "sso"),
        ("guide", "sso"),
        ("paraphrase", "modern"),
    ]
    properties = environment(tmp_path, variants, "-n", "2", "-k", "on_a_variant")
    assert listed(properties["Wording/markup"]) == {"/".join(v) for v in variants}
