"""One gunicorn worker takes only its share of the connections (pomsite/gunicorn.conf.py's
worker_connections), so the others are left for the other workers and their CPUs."""

import os
import socket
import time
from pathlib import Path

import pytest

THREADS = 4  # the config's default
SHARE = 4 * THREADS


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers (not the scheduler loop it also starts)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [
        int(pid)
        for pid in children
        if b"run_schedule" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def connections_held(pid: int, port: int) -> int:
    """Established TCP connections on `port` whose sockets this process holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    held = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01" and fields[9] in inodes:
            held += 1
    return held


@pytest.mark.skipif(not Path("/proc/net/tcp").is_file(), reason="needs Linux's /proc")
def test_a_worker_holds_at_most_four_connections_per_thread(gunicorn_site):
    server = gunicorn_site()
    [worker] = worker_pids(server.process.pid)
    clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(SHARE + 8)]
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and connections_held(worker, server.port) < SHARE:
            time.sleep(0.05)
        time.sleep(0.3)  # time to take more, if it would
        assert connections_held(worker, server.port) == SHARE
    finally:
        for client in clients:
            client.close()
    # The ones left waiting are taken once others close: the server still answers.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
        client.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert client.recv(64).startswith(b"HTTP/1.1 ")
