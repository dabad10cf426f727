"""Site-wide security middleware: the headers Django does not set, and a guard for odd requests.

Django's SecurityMiddleware already sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, and django-csp sends the Content-Security-Policy (settings.py).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

from pomsite.errors import plain_error_response

# The methods this site answers. Anything else (PROPFIND, TRACE, PUT...) gets a 405 here, before
# it can reach a view that might not expect it.
ALLOWED_METHODS = ("GET", "HEAD", "POST")
# Longer than any address of ours; browsers and proxies start failing not far above.
MAX_PATH_LENGTH = 2000
MAX_QUERY_STRING_LENGTH = 2000


class SecurityHeadersMiddleware:
    """Permissions-Policy (every browser feature the site does not use is off) and CORP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(f"{name}=()" for name in settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestGuardMiddleware:
    """Clean 4xx answers for requests no real visitor sends, instead of letting them go deeper."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Longest prefix first: the most specific limit wins.
        self.body_limits = sorted(
            ((reverse(name), limit) for name, limit in settings.REQUEST_BODY_LIMITS.items()),
            key=lambda item: -len(item[0]),
        )

    def body_limit(self, path: str) -> int:
        return next(
            (limit for prefix, limit in self.body_limits if path.startswith(prefix)),
            settings.REQUEST_BODY_DEFAULT_LIMIT,
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            body_length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return plain_error_response(400, "400.html")
        if body_length > self.body_limit(request.path):
            # Refused before anything reads the body, so it is never spooled to disk.
            if request.path.startswith("/markdownx/"):  # the editor shows JSON errors
                limit_mb = self.body_limit(request.path) // (1024 * 1024)
                message = f"This is too large to send: {limit_mb} MB at most."
                return JsonResponse({"error": message}, status=413)
            return plain_error_response(
                413,
                title="That was too much to send",
                message="Please go back and try again with less.",
            )
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS, content=b"Method not allowed.\n")
        query_string = request.META.get("QUERY_STRING", "")
        if len(request.path) > MAX_PATH_LENGTH or len(query_string) > MAX_QUERY_STRING_LENGTH:
            return plain_error_response(
                414,
                title="That web address is too long",
                message="Please check the address, or start again from the home page.",
            )
        if "\x00" in request.path or "%00" in query_string or "\x00" in query_string:
            return plain_error_response(400, "400.html")
        return self.get_response(request)
