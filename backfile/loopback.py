"""A free port on the loopback for a server that a test, bench or script starts.

Binding port 0 would give a port from the kernel's ephemeral range, the range it
also hands to outgoing connections. Two things can then go wrong before the server
has bound it: another program's connection can take the port, and a client polling
the port can connect to itself (TCP's simultaneous open) and read its own request
back as the answer. A port below the range is never handed out that way.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

EPHEMERAL = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 10_000  # below are the well-known and registered services most machines run


def ephemeral_start() -> int:
    try:
        return int(EPHEMERAL.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default; other systems start higher still


def free_port(host: str = "127.0.0.1") -> int:
    """A port on `host` that nothing has bound, from below the ephemeral range."""
    below = ephemeral_start()
    if below > LOWEST:
        for port in random.sample(range(LOWEST, below), min(200, below - LOWEST)):
            with socket.socket() as probe:
                try:
                    probe.bind((host, port))
                except OSError:
                    continue
                return port
    with socket.socket() as probe:  # a machine whose whole range is ephemeral
        probe.bind((host, 0))
        return probe.getsockname()[1]
