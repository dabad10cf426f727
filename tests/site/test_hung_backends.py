"""A database or a Redis that stops answering (rather than refusing) must not hold the site.

Each case runs the site in another process, as tests/site/test_graceful_failure.py does, against a
server that accepts connections and then says nothing. Before the bounds, each of these requests
waited forever; the test's own limit (60 s) is only there to turn such a hang into a failure.
"""

import json
import os
import socket

import pytest

from pomsite import db_deadline

SITE_SCRIPT = """
import json, os, socket, threading, time
if os.environ.get("REAL_DATABASE"):
    # A proxy in front of the real server that can freeze: it keeps every connection open and
    # stops passing bytes, as a stopped server does.
    host, port = os.environ["REAL_DATABASE"].split(":")
    frozen = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    def pipe(source, target):
        while True:
            data = source.recv(65536)
            if not data:
                return
            while frozen.is_set():
                frozen.wait(3600)
            target.sendall(data)
    def serve():
        while True:
            client, _ = listener.accept()
            if frozen.is_set():
                continue  # accepted, never answered
            upstream = socket.create_connection((host, int(port)))
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].replace(
        os.environ["REAL_DATABASE"], "127.0.0.1:%d" % listener.getsockname()[1])
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
def visit(url):
    started = time.monotonic()
    r = client.get(url)
    seconds = time.monotonic() - started
    return {"status": r.status_code, "body": r.content.decode(), "seconds": seconds}
results = {}
if os.environ.get("REAL_DATABASE"):
    results["before"] = visit("/health/")
    frozen.set()
    # What the WSGI handler does as each request starts (Django's test client does not):
    # a kept connection is health-checked before its first query.
    from django.db import close_old_connections
    close_old_connections()
    results["frozen"] = visit("/health/")
    close_old_connections()
    results["frozen_again"] = visit("/health/")
else:
    results["page"] = visit(os.environ.get("PAGE", "/no/such/page/"))
    results["health"] = visit("/health/")
print("RESULTS " + json.dumps(results))
"""


@pytest.fixture
def silent_server():
    """Accepts connections (the kernel completes them) and never answers."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    yield listener.getsockname()[1]
    listener.close()


def test_a_database_server_that_never_answers_gives_the_503_not_a_hang(
    silent_server, run_site_script
):
    results = run_site_script(
        SITE_SCRIPT,
        timeout=60,
        DATABASE_URL=f"postgres://pomsite:pw@127.0.0.1:{silent_server}/pomsite",
        PAGE="/safety/",
    )
    assert results["page"]["status"] == 503
    assert "<h1>Back in a moment</h1>" in results["page"]["body"]
    assert results["health"]["status"] == 503
    assert json.loads(results["health"]["body"])["database"] == "unavailable"


def test_a_redis_that_never_answers_leaves_the_pages_to_the_database(
    silent_server, tmp_path, run_site_script
):
    results = run_site_script(
        SITE_SCRIPT,
        timeout=60,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL=f"redis://127.0.0.1:{silent_server}/0",
        PAGE="/robots.txt",
    )
    assert results["page"]["status"] == 200
    assert results["health"]["status"] == 503
    assert json.loads(results["health"]["body"])["cache"] == "unavailable"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a real PostgreSQL server (the CI's second run, .ci/with-postgres)",
)
def test_a_postgresql_server_that_freezes_mid_connection_gives_the_503_not_a_hang(run_site_script):
    from urllib.parse import urlsplit

    real = urlsplit(os.environ["DATABASE_URL"])
    results = run_site_script(
        SITE_SCRIPT,
        timeout=60,
        DATABASE_URL=os.environ["DATABASE_URL"],
        REAL_DATABASE=f"{real.hostname}:{real.port}",
    )
    assert results["before"]["status"] == 200
    for visit in (results["frozen"], results["frozen_again"]):
        assert visit["status"] == 503
        assert json.loads(visit["body"])["database"] == "unavailable"
    # The kept connection fails its health check by silence (0.5 s); connecting again to the
    # same silent server would add connect_timeout (2 s, libpq's least) to the same request.
    assert results["frozen"]["seconds"] < 1.5, results["frozen"]["seconds"]


def test_the_watchdog_ends_a_wait_on_a_silent_socket_during_a_web_request():
    ours, silent_peer = socket.socketpair()
    with ours, silent_peer, db_deadline.web_request(0.2), db_deadline.bounded(ours.fileno):
        assert ours.recv(1) == b""  # the socket was shut down: the wait ended


def test_outside_a_web_request_nothing_is_bounded():
    """Migrations and other commands may run long statements."""
    ours, silent_peer = socket.socketpair()
    with ours, silent_peer:
        ours.settimeout(0.5)
        with db_deadline.bounded(ours.fileno), pytest.raises(TimeoutError):
            ours.recv(1)
        silent_peer.sendall(b"x")
        assert ours.recv(1) == b"x"  # still open


def test_the_bounds_are_in_the_settings(settings):
    from pomsite.cache_url import cache_from_url

    redis_options = cache_from_url("redis://cache.internal:6379/0")["OPTIONS"]
    assert redis_options["socket_timeout"] <= 1 and redis_options["socket_connect_timeout"] <= 1
    assert settings.DATABASE_QUERY_TIMEOUT <= 2
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["timeout"] <= 2
    else:
        assert options["connect_timeout"] <= 2
