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
