"""gunicorn's one line per request, without personal data, and its own errors on stdout.

The line holds the time, method, path, status, size, duration and whether the page came from the
page cache. Never the query string (it can hold what a visitor typed), cookies, the referrer, the
user agent or the client's address. The path is logged as it arrived, still percent-encoded, so a
crafted address cannot write a fake line into the log.

gunicorn's own messages about requests it refuses (a malformed request line, a bad header) name
the client's address and quote the request line with its query string: they are rewritten to
say what was wrong only. Repeated messages are counted, not written (pomsite/log_filters.py).
"""

import re
import sys
from urllib.parse import urlsplit

from gunicorn.glogging import Logger

from pomsite.log_filters import RepeatedRecords

ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms cache=%({x-page-cache}o)s'
# Atoms gunicorn offers that could carry personal data; blanked even if the format asks for them.
PERSONAL_ATOMS = ("h", "r", "q", "f", "a", "u")
MAX_LOGGED_PATH = 300


INVALID_REQUEST = re.compile(r"Invalid request from ip=.*?: (?P<error>[^:'\"(]*)")


class GunicornLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(RepeatedRecords(seconds=10))

    def _set_handler(self, log, output, fmt, stream=None):
        # gunicorn sends its error log to stderr; everything goes to stdout here.
        super()._set_handler(log, output, fmt, stream=sys.stdout if output == "-" else stream)

    def warning(self, msg, *args, **kwargs):
        refused = INVALID_REQUEST.match(msg) if isinstance(msg, str) else None
        if refused:
            # Neither the address nor the request line, only what was wrong with it.
            msg, args = "Refused an invalid request: %s", (refused["error"].strip()[:80],)
        super().warning(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith("Error handling request"):
            args = tuple(_path_only(arg) for arg in args)
        super().exception(msg, *args, **kwargs)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        raw_path = environ.get("RAW_URI", "-").split("?", 1)[0]
        printable = "".join(c if c.isprintable() and c not in ' "' else "?" for c in raw_path)
        atoms["U"] = printable[:MAX_LOGGED_PATH]
        for name in PERSONAL_ATOMS:
            atoms[name] = "-"
        return {k: v for k, v in atoms.items() if not k.endswith("}i")}


def _path_only(value: object) -> object:
    """A request URI without its query string, and printable: for gunicorn's error lines."""
    if not isinstance(value, str) or not (value.startswith("/") or "?" in value):
        return value
    path = urlsplit(value).path
    return "".join(c if c.isprintable() and c not in ' "' else "?" for c in path)[:MAX_LOGGED_PATH]
