"""Logs: one line per request and every error, on stdout, with no secrets or personal data."""

import http.client
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from pomsite.request_log import ACCESS_LOG_FORMAT, GunicornLogger

ACCESS_LINE = re.compile(r'^\[[^\]]+\] "(?P<method>[A-Z]+) (?P<path>\S+)" (?P<status>\d{3}) ')

PERSONAL = {
    "query": "email=someone%40example.com&name=Jane+Doe",
    "cookie": "sessionid=SESSION-SECRET-123; us_audience=yes",
    "user_agent": "SecretAgent/1.0 (private device)",
    "referer": "https://referrer.example/search?q=my+diagnosis",
    "authorization": "Basic c2VjcmV0OnBhc3N3b3Jk",
}
MUST_NOT_APPEAR = [
    "someone", "Jane", "SESSION-SECRET-123", "SecretAgent", "referrer.example", "diagnosis",
    "c2VjcmV0", "127.0.0.1 -",
]  # fmt: skip


def format_access_line(environ: dict, response_headers: list[tuple[str, str]]) -> str:
    logger = GunicornLogger(Config())
    response = SimpleNamespace(status="200 OK", sent=1234, headers=response_headers)
    request = SimpleNamespace(headers=[(k.upper(), v) for k, v in environ.items() if k.islower()])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=42))
    return ACCESS_LOG_FORMAT % logger.atoms_wrapper_class(atoms)


def test_access_line_holds_method_path_status_size_time_and_cache_state():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/safety/?{PERSONAL['query']}",
        "PATH_INFO": "/safety/",
        "QUERY_STRING": PERSONAL["query"],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": PERSONAL["user_agent"],
        "HTTP_REFERER": PERSONAL["referer"],
        "cookie": PERSONAL["cookie"],
    }
    line = format_access_line(environ, [("X-Page-Cache", "hit")])
    assert re.fullmatch(r'\[[^\]]+\] "GET /safety/" 200 1234 42ms cache=hit', line), line
    for secret in [*MUST_NOT_APPEAR, "203.0.113.9"]:
        assert secret not in line


def test_a_crafted_path_cannot_forge_a_log_line():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": '/a\n[01/Jan/2030:00:00:00] "GET /admin/" 200',
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    line = format_access_line(environ, [])
    assert "\n" not in line
    assert line.count('"') == 2


@pytest.mark.parametrize("atom", ["%(h)s", "%(r)s", "%(q)s", "%(a)s", "%(f)s", "%({cookie}i)s"])
def test_personal_data_stays_out_even_if_the_format_asks_for_it(atom):
    logger = GunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/?{PERSONAL['query']}",
        "QUERY_STRING": PERSONAL["query"],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": PERSONAL["user_agent"],
        "HTTP_REFERER": PERSONAL["referer"],
    }
    request = SimpleNamespace(headers=[("COOKIE", PERSONAL["cookie"])])
    response = SimpleNamespace(status="200 OK", sent=1, headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(0))
    assert atom % logger.atoms_wrapper_class(atoms) == "-"


def request(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_gunicorn_writes_one_clean_line_per_request_and_errors_to_stdout(gunicorn_site):
    """The real server with the repo's config. Its database has no tables, so a page fails with
    a database error: that error must be on stdout too."""
    server = gunicorn_site("--threads", "2")
    headers = {
        "Cookie": PERSONAL["cookie"],
        "User-Agent": PERSONAL["user_agent"],
        "Referer": PERSONAL["referer"],
        "Authorization": PERSONAL["authorization"],
    }
    statuses = [
        request(server.port, f"/robots.txt?{PERSONAL['query']}", headers),
        request(server.port, "/no/such/page/", headers),
        request(server.port, f"/safety/?{PERSONAL['query']}", headers),
        request(server.port, "/a%0A%5B01/Jan/2030%5D%20%22GET%20/admin/%22%20200/", headers),
    ]
    stdout, stderr = server.stop()

    assert statuses == [200, 404, 503, 404]
    access_lines = [m for m in map(ACCESS_LINE.match, stdout.splitlines()) if m]
    # Threads may write their lines in either order; each request has exactly one.
    assert sorted((m["path"], m["status"]) for m in access_lines) == sorted(
        [
            ("/robots.txt", "200"),
            ("/no/such/page/", "404"),
            ("/safety/", "503"),
            ("/a%0A%5B01/Jan/2030%5D%20%22GET%20/admin/%22%20200/", "404"),
        ]
    )
    assert re.search(r"\[ERROR\] pomsite\.errors: Database unavailable .* GET /safety/", stdout)
    assert "[INFO] Booting worker" in stdout  # gunicorn's own messages are on stdout too
    for secret in MUST_NOT_APPEAR:
        assert secret not in stdout + stderr
    assert "[ERROR]" not in stderr and "Traceback" not in stderr


def test_outage_log_line_cannot_be_split_by_a_crafted_path(caplog):
    from django.db import OperationalError
    from django.test import RequestFactory

    from pomsite.errors import DatabaseOutageMiddleware

    request = RequestFactory().get("/a%0AFAKE%20LINE/?email=someone@example.com")
    middleware = DatabaseOutageMiddleware(lambda request: None)
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response.status_code == 503
    [record] = caplog.records
    message = record.getMessage()
    assert "\n" not in message
    assert "/a\\nFAKE LINE/" in message
    assert "someone" not in message
