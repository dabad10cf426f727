"""gunicorn's one line per request, without personal data, and its own errors on stdout.

The line holds the time, method, path, status, size, duration and whether the page came from the
page cache. Never the query string (it can hold what a visitor typed), cookies, the referrer, the
user agent or the client's address. The path is logged as it arrived, still percent-encoded, so a
crafted address cannot write a fake line into the log.
"""

import sys

from gunicorn.glogging import Logger

ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms cache=%({x-page-cache}o)s'
# Atoms gunicorn offers that could carry personal data; blanked even if the format asks for them.
PERSONAL_ATOMS = ("h", "r", "q", "f", "a", "u")
MAX_LOGGED_PATH = 300


class GunicornLogger(Logger):
    def _set_handler(self, log, output, fmt, stream=None):
        # gunicorn sends its error log to stderr; everything goes to stdout here.
        super()._set_handler(log, output, fmt, stream=sys.stdout if output == "-" else stream)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        raw_path = environ.get("RAW_URI", "-").split("?", 1)[0]
        printable = "".join(c if c.isprintable() and c not in ' "' else "?" for c in raw_path)
        atoms["U"] = printable[:MAX_LOGGED_PATH]
        for name in PERSONAL_ATOMS:
            atoms[name] = "-"
        return {k: v for k, v in atoms.items() if not k.endswith("}i")}
