"""``fixtures.browser.has_display``: ``--headed`` is refused up front without a display, and
with a ``$DISPLAY`` whose X server is gone (a stale ``:99`` left by an earlier xvfb-run)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures import browser


@pytest.fixture
def sockets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An X11 socket folder of the test's own, with a server listening as display 7."""
    monkeypatch.setattr(browser, "X11_SOCKETS", tmp_path)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen()
        yield tmp_path


@pytest.mark.parametrize("display", [":7", ":7.0", "unix:7", "unix:7.1"])
def test_a_display_whose_server_listens_is_one(
    sockets: Path, monkeypatch: pytest.MonkeyPatch, display: str
) -> None:
    monkeypatch.setenv("DISPLAY", display)
    assert browser.has_display()


@pytest.mark.parametrize("display", [":99", ":99.0", "unix:99", ""])
def test_a_display_whose_server_is_gone_is_none(
    sockets: Path, monkeypatch: pytest.MonkeyPatch, display: str
) -> None:
    monkeypatch.setenv("DISPLAY", display)
    assert not browser.has_display()


def test_a_display_on_another_host_is_let_through(
    sockets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", "workstation.example.org:10.0")  # X over TCP, or ssh -X
    assert browser.has_display()
