"""Public pages written out as files, for nginx to serve as it serves a static file.

nginx's micro-cache (deploy/nginx/pomsite.conf) answers a page from its cache file: it looks up
the key, reads the file and parses the ~1 KB of headers stored with the page on every hit, about
a third more CPU than a static file. So nginx first looks for a plain file of the page, and gunicorn
writes that file when it serves the page, from its own page cache (pomsite/page_cache.py):

- nginx names the file it would serve in the request's `X-Page-File` header:
  `/<second>/<scheme>/<host>/<us|unconfirmed>/<path>/page.<br|gz|html>`, where <second> is
  nginx's $time_iso8601, the current second ("2026-12-03T05:47:02+00:00"). It looks for a file
  only for a GET or HEAD without a query string or an editor's cookie, and only in the folder of
  the current second.
- gunicorn writes the file only if that name is exactly the one this request would have
  (its scheme, host, audience state, path and encoding; the second now or just before), the answer
  is a shareable page (a page-cache hit, or a page just stored under a generation that is still
  current) and its headers are exactly those nginx will send with the file (`X-Page-File-Headers`,
  plus the Content-Type nginx gives it). Anything else and nothing is written, and nginx goes
  on answering from its micro-cache.
- It writes the file for that second and the next. A file is served only during its own second,
  so a save or a withdrawal reaches visitors within 2 seconds, as through the micro-cache, on
  every host (each host's gunicorn checks the generation shared by all of them). Folders more
  than a few seconds old are removed by whichever process starts a new one.

Set `DJANGO_PAGE_FILES_DIR` to the folder nginx's `@PAGE_FILES@` names, on the same host (a
tmpfs such as /run/pomsite/pages is ideal), readable by nginx's user. Unset, nothing is written.
"""

import logging
import os
import re
import shutil
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.middleware.security import SecurityMiddleware

logger = logging.getLogger(__name__)

# request.META's names for nginx's request headers.
FILE_HEADER = "HTTP_X_PAGE_FILE"
HEADERS_HEADER = "HTTP_X_PAGE_FILE_HEADERS"
CONTENT_TYPE = "text/html; charset=utf-8"  # nginx's default_type for page files
FILE_NAMES = {"br": "page.br", "gzip": "page.gz", "identity": "page.html"}
# Headers nginx sets itself, or that a page file does not carry.
NOT_COMPARED = {"content-type", "content-length", "content-encoding", "x-page-cache"}
FOLDERS_KEPT = 3  # seconds of folders before the current one
_NAME = re.compile(
    r"/(?P<second>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2})"
    r"/(?P<scheme>https?)/(?P<host>[a-z0-9][a-z0-9.-]{0,252})"
    r"/(?P<state>us|unconfirmed)(?P<path>/(?:[a-z0-9-]+/){0,8})(?P<file>page\.(?:br|gz|html))"
)
_warned: set[str] = set()
_warned_lock = threading.Lock()


def _warn_once(reason: str, *args) -> None:
    """One warning per reason and process: a misconfiguration must not fill the log."""
    with _warned_lock:
        if reason in _warned:
            return
        _warned.add(reason)
    logger.warning(reason, *args)


def _outer_headers(request: HttpRequest) -> dict[str, str]:
    """The headers SecurityMiddleware (outside the page cache) adds to every answer."""
    blank = SecurityMiddleware(lambda r: None).process_response(request, HttpResponse())
    return dict(blank.items())


def parse_headers(value: str) -> dict[str, str]:
    """nginx's `Name: value|Name: value` list, names in lower case; an empty value is no header."""
    headers = {}
    for part in value.split("|"):
        name, _, header_value = part.partition(":")
        if header_value.strip():
            headers[name.strip().lower()] = header_value.strip()
    return headers


def _comparable(headers: dict[str, str]) -> dict[str, str]:
    """Names in lower case; the CSP's directives in a fixed order (django-csp's order differs from
    one process to the next)."""
    headers = {name.lower(): value for name, value in headers.items()}
    if "content-security-policy" in headers:
        directives = (d.strip() for d in headers["content-security-policy"].split(";"))
        headers["content-security-policy"] = "; ".join(sorted(d for d in directives if d))
    return {name: value for name, value in headers.items() if name not in NOT_COMPARED}


def wanted_file(request: HttpRequest, encoding: str, state: str, now: float) -> re.Match | None:
    """nginx's name for this request's page file, if it is exactly this request's (see above)."""
    match = _NAME.fullmatch(request.META.get(FILE_HEADER, ""))
    if match is None or request.META.get("QUERY_STRING"):
        return None
    host, _port = split_domain_port(request.get_host())
    expected = (request.scheme, host.lower(), state, request.path, FILE_NAMES[encoding])
    if (match["scheme"], match["host"], match["state"], match["path"], match["file"]) != expected:
        return None
    # nginx's clock is this host's, read at most a moment earlier: never a later second.
    second = _moment(match["second"])
    if second is None or not int(now) - 1 <= second.timestamp() <= int(now):
        return None
    return match


def _moment(name: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(name)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def same_headers(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether nginx would send the file with exactly the headers gunicorn sends the page with."""
    if response.get("Content-Type") != CONTENT_TYPE:
        return False
    ours = _comparable(dict(response.items()) | _outer_headers(request))
    theirs = _comparable(parse_headers(request.META.get(HEADERS_HEADER, "")))
    if ours != theirs:
        differ = sorted(set(ours.items()) ^ set(theirs.items()))
        _warn_once(
            "No page files: nginx's page headers differ from the site's (%s). "
            "Update deploy/nginx/pomsite.conf.",
            ", ".join(sorted({name for name, _ in differ})),
        )
        return False
    return True


def _make_folder(path: Path) -> bool:
    """Create `path` readable by nginx; whether this call created it."""
    try:
        path.mkdir()
    except FileExistsError:
        return False
    path.chmod(0o755)
    return True


def _remove_old_folders(root: Path, now: datetime) -> None:
    oldest_kept = now.timestamp() - FOLDERS_KEPT
    for folder in root.iterdir():
        moment = _moment(folder.name)
        if moment is not None and moment.timestamp() < oldest_kept:
            shutil.rmtree(folder, ignore_errors=True)


def _write(root: Path, second: datetime, relative: str, body: bytes) -> None:
    """`body` as root/<second>/<relative>, whole or not at all (a rename)."""
    folder = root / second.isoformat()
    if _make_folder(folder):
        _remove_old_folders(root, second)
    target = folder / relative
    if target.is_file():
        return
    for part in reversed(target.parents):
        if len(part.parts) > len(folder.parts):
            _make_folder(part)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(descriptor, 0o644)  # whatever the umask: nginx's user reads it
        file.write(body)
    os.replace(temporary, target)


def offer(request: HttpRequest, response: HttpResponse, encoding: str, state: str) -> None:
    """Write `response`, a shareable page as gunicorn sends it, as the file nginx asked for, for
    this second and the next, if everything above holds."""
    root = settings.PAGE_FILES_DIR
    if not root:
        return
    match = wanted_file(request, encoding, state, time.time())
    if match is None or not same_headers(request, response):
        return
    relative = f"{match['scheme']}/{match['host']}/{match['state']}{match['path']}{match['file']}"
    try:
        second = _moment(match["second"])
        for moment in (second, second + timedelta(seconds=1)):
            _write(Path(root), moment, relative, response.content)
    except OSError as error:
        _warn_once("Could not write page files in %s (%s)", root, error)
