"""Error pages that need no database, and a 503 instead of a traceback when the database is down.

The 400, 500 and 503 pages are plain templates (templates/error_page.html) rendered without a
request or context processors, so they render whatever else is broken. The 404 page keeps the
site's frame but is given empty site-wide texts, so it needs no database either.
"""

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers

from pomsite import db_deadline

logger = logging.getLogger(__name__)

DATABASE_OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_OUTAGE_ERRORS)


def loggable_path(request: HttpRequest) -> str:
    """The path for a log line: no query string, and escaped so it cannot start a new line."""
    return request.path.encode("unicode_escape").decode("ascii")[:300]


def plain_error_response(
    status: int, template_name: str = "error_page.html", **context
) -> HttpResponse:
    """A styled error page made without the request, the database or any context processor."""
    response = HttpResponse(loader.render_to_string(template_name, context), status=status)
    add_never_cache_headers(response)
    return response


def service_unavailable() -> HttpResponse:
    response = plain_error_response(503, "503.html")
    response["Retry-After"] = str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    response.database_outage = True  # read by the page cache (pomsite/page_cache.py)
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # "snippets" and "medwatch" from the context processor would query the database; the 404
    # needs none (its MedWatch line uses the FDA's own address and number).
    return render(request, "404.html", {"snippets": {}, "medwatch": None}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return plain_error_response(400, "400.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Called while the exception is being handled, so it can tell an outage."""
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable()
    return plain_error_response(500, "500.html")


class DatabaseOutageMiddleware:
    """Turn "the database is unreachable" into a styled 503 with Retry-After, never a traceback.

    pomsite.page_cache.LastGoodCopyMiddleware (inner to this one) gets the first chance to serve
    a stored copy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Every database call this request makes is bounded (pomsite/db_deadline.py).
        with db_deadline.web_request(settings.DATABASE_QUERY_TIMEOUT):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.error(
            "Database unavailable (%s: %s) for %s %s",
            type(exception).__name__,
            str(exception).splitlines()[0] if str(exception) else "",
            request.method,
            loggable_path(request),
        )
        return service_unavailable()
