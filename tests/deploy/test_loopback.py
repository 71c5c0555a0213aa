"""The port a test or bench gives its server is one no outgoing connection can take."""

import socket

from backfile.loopback import ephemeral_start, free_port


def test_the_port_is_free_and_below_the_range_outgoing_connections_use():
    port = free_port()
    assert port < ephemeral_start()
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))  # still free
