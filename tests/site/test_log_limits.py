"""Anonymous requests cannot fill the log: repeated errors are counted, forged hosts are one
warning line, and gunicorn's refusals name neither the client nor the query string."""

import io
import logging
import socket

import pytest
from django.test import Client

from pomsite.log_filters import RepeatedRecords


@pytest.fixture
def log_lines():
    """What the site's console handler writes, as a list of lines."""
    [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    for log_filter in console.filters:  # what earlier tests logged is not counted here
        if isinstance(log_filter, RepeatedRecords):
            log_filter.windows.clear()
    stream = io.StringIO()
    previous = console.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    console.setStream(previous)


def test_an_outage_writes_a_few_lines_not_one_per_request(published_page, database_down, log_lines):
    database_down()
    client = Client(raise_request_exception=False)
    statuses = {client.get(f"/safety/?n={n}").status_code for n in range(300)}
    assert statuses == {503}
    lines = log_lines()
    assert 1 <= sum("Database unavailable" in line for line in lines) <= 2
    assert len(lines) <= 6


def test_a_different_error_is_still_logged_during_a_flood(published_page, database_down, log_lines):
    database_down()
    client = Client(raise_request_exception=False)
    for _ in range(50):
        client.get("/safety/")
    logging.getLogger("content").error("A different problem")
    assert any("A different problem" in line for line in log_lines())


def test_forged_hosts_are_one_warning_line_without_a_traceback(db, log_lines):
    client = Client(raise_request_exception=False)
    for n in range(100):
        assert client.get("/", headers={"host": f"evil{n}.example"}).status_code == 400
    lines = log_lines()
    assert len(lines) == 1
    assert "[WARNING]" in lines[0] and "Host header" in lines[0]
    assert "evil" not in lines[0]


def test_gunicorn_refusals_name_neither_the_client_nor_the_query(gunicorn_site):
    server = gunicorn_site()
    malformed = [
        b"GET /safety/?email=someone@example.com HTTP/9.9\r\n\r\n",
        b"GET /safety/?email=someone@example.com HTTP/1.1\r\nBad Header\r\n\r\n",
        b"G(T /safety/?email=someone@example.com HTTP/1.1\r\n\r\n",
    ] * 20
    answers = []
    for raw in malformed:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(raw)
            answers.append(connection.recv(100)[:12])
    stdout, stderr = server.stop()
    assert all(answer.startswith(b"HTTP/1.1 4") for answer in answers), answers
    output = stdout + stderr
    assert "someone" not in output
    assert "ip=" not in output
    assert "127.0.0.1:" not in output.replace(f"127.0.0.1:{server.port}", "")  # only its own
    refusals = [line for line in output.splitlines() if "invalid request" in line.lower()]
    assert 1 <= len(refusals) <= 6  # counted, not one line per request


def test_a_cache_outage_is_one_line_without_a_traceback(
    published_page, page_cache_on, cache_server_down, log_lines
):
    with cache_server_down:
        for _ in range(20):
            assert Client().get("/safety/").status_code == 200
    lines = log_lines()
    assert any("Page cache unavailable" in line for line in lines)
    assert not any("Traceback" in line for line in lines)
