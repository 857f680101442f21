"""``sentinel mock --wording/--markup/--contract``: the portal as it starts, and bad values."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from mock_portal import markup, wording
from runtime.mock_process import READY_PREFIX
from tests.conftest import TOKEN
from tests.helpers import run_sentinel
from tests.portal import server as mock_server
from tests.portal.browserless import Screen
from tests.portal.conftest import GUIDE, OFFICIAL


def login_choice(client: httpx.Client) -> Screen:
    return Screen(client, client.get("/")).click("Iniciar sessão")


def test_the_startup_wording_and_markup_are_served_and_survive_a_reset(tmp_path: Path) -> None:
    with (
        mock_server.running(tmp_path / "p.db", TOKEN, wording="guide", markup="modern") as server,
        mock_server.api_client(server, TOKEN) as api,
        httpx.Client(base_url=server.url, follow_redirects=True) as client,
    ):
        choice = login_choice(client)
        assert choice.url.endswith("/app/entrar")  # the modern path
        assert GUIDE["ss_user"] in choice.text
        # Changed through the API as before, and back to the startup choice on a reset:
        # a reset gives the portal as this process was started, not another one.
        api.post("/__test__/markup", json={"style": "classic"}).raise_for_status()
        api.post("/__test__/wording", json={"profile": "official"}).raise_for_status()
        choice = login_choice(client)
        assert choice.url.endswith("/login")
        assert OFFICIAL["ss_user"] in choice.text
        api.post("/__test__/reset").raise_for_status()
        choice = login_choice(client)
        assert choice.url.endswith("/app/entrar")
        assert GUIDE["ss_user"] in choice.text


def refused(*args: str) -> str:
    """Run ``sentinel mock ARGS``, which must refuse at once: the one line it prints."""
    try:
        done = run_sentinel("mock", "--port", "0", *args, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"sentinel mock {' '.join(args)} started a portal instead of refusing")
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert READY_PREFIX not in output
    assert "Traceback" not in output
    [line] = done.stderr.strip().splitlines()
    return line


@pytest.mark.parametrize(
    ("option", "value", "offered"),
    [
        ("--contract", "extended", ("full", "base")),
        ("--wording", "slang", tuple(wording.PROFILES)),
        ("--markup", "brutalist", markup.STYLES),
    ],
)
def test_a_bad_contract_wording_or_markup_is_refused_in_one_line(
    option: str, value: str, offered: tuple[str, ...]
) -> None:
    line = refused(option, value)
    assert f"{option}: invalid choice: {value!r}" in line
    for name in offered:  # the line says what would do
        assert name in line


def test_the_help_offers_every_profile_and_style_the_portal_has() -> None:
    done = run_sentinel("mock", "--help", timeout=20)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    for name in (*wording.PROFILES, *markup.STYLES, "full", "base"):
        assert name in text
