"""The production tier for real: the site set up as in production (bench/run.py's `Site`),
gunicorn with its config file, and Debian's nginx in front with deploy/nginx/pomsite.conf.

Missing nginx on a developer's machine: skipped. In CI (.ci/run installs it): a failure.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from bench.run import Site
from deploy.tier import BROTLI_MODULE, Nginx


@pytest.fixture(scope="module")
def tier():
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # The tier sets up a site of its own on SQLite: CI's second run would repeat it as is.
        pytest.skip("runs once, in the SQLite run")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").is_file():
        message = "nginx is missing (.ci/run installs it with apt)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    workdir = Path(tempfile.mkdtemp(prefix="pomsite-tier-test-"))
    site = Site(workdir)
    # One worker with two threads: two slow clients would be enough to stop it on its own.
    site.env |= {"GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}
    site.env.pop("DATABASE_URL", None)
    site.postgres_name = None
    try:
        site.prepare()
        site.start()
        with Nginx(
            site.port, workdir / "static", workdir / "media", page_files=site.page_files
        ) as proxy:
            yield site, proxy
    finally:
        site.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def get(port: int, path: str, headers: dict | None = None, method: str = "GET", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1"} | (headers or {}))
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


US = {"Cookie": "us_audience=yes"}


def slow_clients(port: int, count: int) -> list[socket.socket]:
    """Connections that send the start of a request and then one header byte now and then."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(sock)
    return sockets


def trickle(sockets: list[socket.socket], seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.sendall(b"a")
        time.sleep(0.5)


def test_slow_header_connections_do_not_stop_the_site_behind_nginx(tier):
    site, proxy = tier
    sockets = slow_clients(proxy.port, 40)
    try:
        trickle(sockets, 1)
        answered = [get(proxy.port, path, US)[0] for path in ["/safety/", "/", "/guides/"] * 3]
    finally:
        for sock in sockets:
            sock.close()
    assert answered == [200] * 9


def test_gunicorn_alone_is_stopped_by_a_few_slow_header_connections(tier):
    """Why nginx is in front: the same probe straight to gunicorn gets no answer."""
    site, proxy = tier
    sockets = slow_clients(site.port, 4)
    try:
        trickle(sockets, 1)
        with pytest.raises((TimeoutError, socket.timeout)):
            connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=3)
            connection.request("GET", "/safety/", headers=US)
            connection.getresponse()
    finally:
        for sock in sockets:
            sock.close()


def test_public_pages_come_from_the_micro_cache_keyed_on_the_audience_cookie_only(tier):
    site, proxy = tier
    other_cookies = {"Cookie": "_ga=GA1.2.3; us_audience=yes; theme=dark"}
    first = get(proxy.port, "/safety/", US)
    second = page_file(proxy, "/safety/", other_cookies)  # the file gunicorn wrote for US
    assert first[0] == second[0] == 200
    assert second[2] == first[2]
    # A page with a query string comes from the micro-cache, keyed the same way.
    for _ in range(3):
        get(proxy.port, "/guides/?page=1", US)
        third = get(proxy.port, "/guides/?page=1", other_cookies)
        if third[1]["x-proxy-cache"] == "HIT":
            break
    assert third[1]["x-proxy-cache"] == "HIT"
    unconfirmed = get(proxy.port, "/safety/")
    assert unconfirmed[2] != first[2]  # the question comes first: another copy


def test_junk_query_strings_are_served_from_the_cached_page(tier):
    site, proxy = tier
    get(proxy.port, "/support/", US)
    status, headers, _ = get(proxy.port, "/support/?utm_source=mail&page=abc", US)
    assert status == 200 and headers["x-proxy-cache"] == "HIT"


def test_editors_bypass_the_micro_cache(tier):
    site, proxy = tier
    get(proxy.port, "/safety/", US)
    status, headers, _ = get(proxy.port, "/safety/", {"Cookie": "us_audience=yes; sessionid=abc"})
    assert headers["x-proxy-cache"] == "BYPASS"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_arrive_compressed_as_the_browser_asks(tier, encoding):
    site, proxy = tier
    plain = get(proxy.port, "/taking-pomalyst/", US)
    status, headers, body = get(
        proxy.port, "/taking-pomalyst/", US | {"Accept-Encoding": f"{encoding}, deflate"}
    )
    assert status == 200 and headers["content-encoding"] == encoding
    assert len(body) <= 14 * 1024 < len(plain[2])


def test_static_files_come_from_nginx_precompressed(tier):
    site, proxy = tier
    manifest = (site.workdir / "static" / "staticfiles.json").read_text()
    hashed = next(
        name
        for name in __import__("json").loads(manifest)["paths"].values()
        if name.endswith(".css")
    )
    status, headers, body = get(proxy.port, f"/static/{hashed}", {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["content-encoding"] == ("br" if BROTLI_MODULE.is_file() else "gzip")
    assert "immutable" in headers["cache-control"]
    assert "x-page-cache" not in headers  # nginx answered, not WhiteNoise


def test_bodies_over_the_limit_are_refused_by_nginx(tier):
    site, proxy = tier
    status, _, _ = get(
        proxy.port, "/audience-check/", method="POST", body=b"answer=yes&next=" + b"a" * 20_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert status == 413


def run_in_site(site, code: str) -> None:
    site.python("-c", "import django; django.setup()\n" + code)


def test_a_withdrawal_and_a_publish_reach_the_proxy_within_two_seconds(tier):
    """The stated bound (docs/deployment.md): one second in the micro-cache, plus the render."""
    site, proxy = tier
    guide = "/guides/" + site.probe("queries")["guide_slug"] + "/"
    assert page_file(proxy, guide, US)[0] == 200  # served from a page file just before
    slug = guide.split("/")[2]
    set_status = (
        "from content.models import Guide\n"
        "g = Guide.objects.get(slug={!r})\ng.status = {!r}\ng.save()"
    )
    run_in_site(site, set_status.format(slug, "draft"))
    time.sleep(2)
    assert get(proxy.port, guide, US)[0] == 404
    # The 404 replaced nginx's copy: there is no withdrawn page left to serve as "stale".
    status, headers, _ = get(proxy.port, guide, US)
    assert (status, headers["x-proxy-cache"]) == (404, "HIT")
    run_in_site(site, set_status.format(slug, "published"))
    time.sleep(2)
    assert get(proxy.port, guide, US)[0] == 200


def test_while_gunicorn_is_down_the_last_copy_is_served(tier):
    site, proxy = tier
    get(proxy.port, "/drug-facts/", US)
    site.server.send_signal(signal.SIGSTOP)  # gunicorn stops answering
    try:
        status, headers, _ = get(proxy.port, "/drug-facts/", US)
    finally:
        site.server.send_signal(signal.SIGCONT)
    assert status == 200
    assert headers["x-proxy-cache"] in {"FILE", "HIT", "STALE", "UPDATING"}


# Pages as files (pomsite/page_files.py) ------------------------------------------------------

# Set by nginx for a file, or by each server for itself.
NOT_THE_PAGE_S = {"date", "server", "connection", "keep-alive", "last-modified", "accept-ranges",
                  "x-page-cache", "x-proxy-cache"}  # fmt: skip


def comparable(headers: dict) -> dict:
    headers = {k: v for k, v in headers.items() if k not in NOT_THE_PAGE_S}
    csp = (d.strip() for d in headers["content-security-policy"].split(";"))
    headers["content-security-policy"] = sorted(d for d in csp if d)  # django-csp's order varies
    return headers


def page_file(proxy, path: str, headers: dict):
    """The page through nginx as a page file: asked until gunicorn has written it (on a busy
    machine, gunicorn may answer too late for nginx's second; then the micro-cache's copy
    answers until it expires)."""
    for _ in range(12):
        answer = get(proxy.port, path, headers)
        if answer[1].get("x-proxy-cache") == "FILE":
            return answer
        time.sleep(0.25)
    raise AssertionError(f"{path} never came from a page file: {answer[1]}")


@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
@pytest.mark.parametrize("cookie", [US, {}], ids=["us", "unconfirmed"])
def test_a_page_file_is_the_page_gunicorn_sends_with_its_headers(tier, encoding, cookie):
    site, proxy = tier
    asked = cookie | {"Accept-Encoding": encoding}
    status, headers, body = page_file(proxy, "/taking-pomalyst/", asked)
    direct = get(site.port, "/taking-pomalyst/", asked)
    assert status == direct[0] == 200
    assert body == direct[2]
    assert comparable(headers) == comparable(direct[1])
    assert "etag" not in headers
    # The access log names the address asked for, not the file.
    time.sleep(1.2)
    log = (proxy.workdir / "access.log").read_text().splitlines()
    assert any('"GET /taking-pomalyst/" 200' in line and "cache=-" in line for line in log)
    assert not any("page.br" in line or "page.gz" in line for line in log)


def test_a_head_request_gets_the_page_file_s_headers(tier):
    site, proxy = tier
    page_file(proxy, "/support/", US)
    status, headers, body = get(proxy.port, "/support/", US, method="HEAD")
    assert (status, headers["x-proxy-cache"], body) == (200, "FILE", b"")


@pytest.mark.parametrize(
    ("path", "headers", "method"),
    [
        ("/support/?utm_source=mail", US, "GET"),  # a query string
        ("/support/", {"Cookie": "us_audience=yes; sessionid=abc"}, "GET"),  # an editor
        ("/support/", {"Cookie": "us_audience=yes; messages=abc"}, "GET"),
        ("/support/", US | {"Content-Type": "application/x-www-form-urlencoded"}, "POST"),
        ("/support/", US, "OPTIONS"),
        ("/support", US, "GET"),  # another address: Django's redirect
        ("/SUPPORT/", US, "GET"),
        ("/support/%0d%0aX-Page-File:%20/etc/passwd/", US, "GET"),
    ],
)
def test_only_a_plain_visitor_s_get_of_a_page_gets_a_page_file(tier, path, headers, method):
    site, proxy = tier
    page_file(proxy, "/support/", US)  # the file is there
    status, answer, _ = get(
        proxy.port, path, headers, method=method, body=b"" if method == "POST" else None
    )
    assert answer.get("x-proxy-cache") != "FILE"
    assert status < 500
    assert answer.get("x-content-type-options") == "nosniff"  # Django answered, not nginx


def test_a_forged_page_file_header_never_reaches_gunicorn(tier):
    site, proxy = tier
    forged = US | {"X-Page-File": "/2030-01-01T00:00:00+00:00/http/127.0.0.1/us/x/page.br",
                   "X-Page-File-Headers": "Vary: Cookie"}  # fmt: skip
    for path in ["/guides/?page=1", "/support/"]:
        assert get(proxy.port, path, forged)[0] == 200
    assert not (site.page_files / "2030-01-01T00:00:00+00:00").exists()
    names = [p.name for p in site.page_files.iterdir()]
    assert names and all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+[+-]\d\d:\d\d", n) for n in names)


def waits_before_gunicorn(proxy, path: str) -> list[float]:
    """From nginx's access log: for each request for `path`, the seconds it spent in nginx
    before gunicorn was asked (the request's time less the upstream's)."""
    waits = []
    for line in (proxy.workdir / "access.log").read_text().splitlines():
        match = re.search(r'"GET (\S+)" \d+ \d+ ([\d.]+)s cache=\S* upstream=([\d.]+)s', line)
        if match and match[1] == path:
            waits.append(float(match[2]) - float(match[3]))
    return waits


def test_answers_nginx_may_not_store_are_never_queued_behind_each_other(tier):
    """A page nginx must not store (a tool rendered per request; during a database outage,
    gunicorn's last good copies) is fetched by every request that asks for it. Held on a
    cache lock, requests waited in half-second steps, up to the lock's timeout, before even
    reaching gunicorn: with a frozen database, past the 3 s a visitor is promised."""
    site, proxy = tier
    path = "/my-calendar/"
    assert "x-page-cache" not in get(proxy.port, path, US)[1]  # not shareable

    def client() -> None:
        for _ in range(4):
            get(proxy.port, path, US)

    clients = [threading.Thread(target=client) for _ in range(6)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    time.sleep(1.5)  # nginx writes its log at least once a second
    waits = waits_before_gunicorn(proxy, path)
    assert len(waits) >= 25
    assert max(waits) < 0.3, sorted(waits)[-5:]
