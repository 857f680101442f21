from __future__ import annotations

import socket

from sentinel.mock_server import bind, url_of


def test_the_socket_listens_on_a_free_port_and_names_tcp() -> None:
    # Naming the protocol lets asyncio turn on TCP_NODELAY for every accepted connection.
    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert url_of(sock).startswith("http://127.0.0.1:")
        with socket.create_connection(sock.getsockname()):
            pass  # listening before the URL is announced: a client can connect at once
    finally:
        sock.close()


def test_a_token_that_looks_like_an_option_still_starts_the_portal(tmp_path) -> None:
    import httpx

    from runtime.mock_process import start_in_background

    # token_urlsafe can start with "-"; it must never be read as an option.
    mock = start_in_background(tmp_path / "portal.db", "-starts-with-a-dash", "code_ttl_minutes=5")
    try:
        response = httpx.post(
            f"{mock.url}/__test__/reset", headers={"X-Test-Token": "-starts-with-a-dash"}
        )
        assert response.status_code == 200
    finally:
        mock.stop()


def test_only_loopback_addresses_count_as_loopback() -> None:
    from sentinel.mock_server import is_loopback

    assert all(map(is_loopback, ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"]))
    # A name other than localhost is never looked up: it could resolve to anything.
    exposed = ["0.0.0.0", "::", "", "192.168.1.10", "portal.example", "127.0.0.1.example"]  # noqa: S104
    assert not any(map(is_loopback, exposed))
