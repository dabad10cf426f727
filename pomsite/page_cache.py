"""Public pages served from the shared cache, and never stale after an editor's save.

Why not Django's per-site cache middleware: it keys on the whole Cookie header when a page varies
on cookies (so every visitor gets a private copy), cannot be told that an editor changed a page
except by waiting for the timeout, and has nothing to fall back on when the database is down.

How it works:
- A *generation* number lives in the cache itself, so every app server sharing the cache reads
  the same one (with the default local-memory cache, in a file cache shared by the host's worker
  processes). Any save or delete of a content model bumps it; page keys include it, so the next
  request after a save misses and renders fresh content. Old copies simply expire.
- Only anonymous GET/HEAD requests for public pages are cached (pomsite.audience says which
  addresses are public pages): a request carrying any cookie other than the US-audience gate
  cookie or the CSRF cookie (a session, messages) is passed straight through. The key holds the
  gate state as pomsite.audience reads it, the scheme, the host and the path with the query.
- A response is stored only if it is a 200 that sets no cookie, is not private/no-store/no-cache,
  and varies on nothing but Cookie. Stored responses carry `Vary: Cookie` and a Cache-Control a
  CDN can use (`public, max-age=0, s-maxage=...`).
- Each stored page is also kept under a generation-free "last good copy" key; while the database
  is unreachable that copy is served instead of an error page (pomsite.errors makes the 503).
- The cache being down is not an outage: pages are rendered as if nothing were cached.

Two middleware, like Django's own Update/FetchFromCache pair. `PublicPageCacheMiddleware` sits
right after WhiteNoise: a stored page already carries the headers the inner middleware added
(CSP, Permissions-Policy, X-Frame-Options...), so a hit skips them all and costs little more
than a static file (docs/performance.md). `LastGoodCopyMiddleware` sits inside the
database-outage middleware, whose 503 must come second: exceptions go to the inner one first.
Only SecurityMiddleware and WhiteNoise are outside, and they add their headers to every response.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers

from pomsite import audience
from pomsite.errors import is_database_outage, loggable_path

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
# Where the generation number lives: the shared cache, or with a local-memory cache a file cache
# that every worker process on the host shares (settings.py).
GENERATION_CACHE = "page-generation"
CACHE_HEADER = "X-Page-Cache"
NOT_CACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}


def _fresh_generation() -> int:
    # Random rather than 1, so a number can never be reused after the key has been evicted
    # while pages stored under an old number are still in the cache.
    return secrets.randbits(48)


def current_generation() -> int:
    store = caches[GENERATION_CACHE]
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = store.get(GENERATION_KEY)
    return generation


def bump_generation() -> None:
    """Make every cached page unreachable, on every app server sharing the cache."""
    store = caches[GENERATION_CACHE]
    try:
        try:
            store.incr(GENERATION_KEY)
        except ValueError:  # no number yet (or evicted): any fresh one will do
            store.add(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception:  # the cache is down: nothing is being served from it either
        logger.exception("Could not invalidate the page cache")


def _content_changed(sender, **kwargs) -> None:
    if sender._meta.app_label not in settings.PAGE_CACHE_INVALIDATED_BY:
        return
    # Now, so this request and the next see the change at once; and again after the commit, so
    # a page rendered by another request from the not-yet-committed data cannot outlive it.
    bump_generation()
    transaction.on_commit(bump_generation)


def connect_signals() -> None:
    post_save.connect(_content_changed, dispatch_uid="page_cache_post_save")
    post_delete.connect(_content_changed, dispatch_uid="page_cache_post_delete")


def _is_cacheable_request(request: HttpRequest) -> bool:
    harmless_cookies = {settings.AUDIENCE_GATE_COOKIE, settings.CSRF_COOKIE_NAME}
    return (
        request.method in {"GET", "HEAD"}
        and not set(request.COOKIES) - harmless_cookies
        and audience.is_public_page(request.path)
        and set(request.GET) <= set(settings.PAGE_CACHE_QUERY_PARAMS)
    )


def _is_cacheable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):
        return False
    directives = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & NOT_CACHEABLE_DIRECTIVES:
        return False
    varies = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return varies <= {"cookie"}


def _serialise(response: HttpResponse) -> tuple:
    headers = [(k, v) for k, v in response.items() if k.lower() != CACHE_HEADER.lower()]
    return (response.status_code, headers, response.content)


def _deserialise(stored: tuple, state: str) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[CACHE_HEADER] = state
    return response


class PublicPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the cache (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_SECONDS or not _is_cacheable_request(request):
            return self.get_response(request)

        page_id = self._page_id(request)
        request.page_cache_last_good_key = f"page-cache:last:{page_id}"
        try:
            key = f"page-cache:{current_generation()}:{page_id}"
            stored = cache.get(key)
        except Exception:
            logger.warning("Page cache unavailable; rendering without it", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return _deserialise(stored, "hit")

        response = self.get_response(request)
        if _is_cacheable_response(response):
            self._add_public_headers(response)
            stored = _serialise(response)
            try:
                cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
                cache.set(
                    request.page_cache_last_good_key, stored, settings.PAGE_CACHE_STALE_SECONDS
                )
            except Exception:
                logger.warning("Page cache unavailable; page not stored", exc_info=True)
            response[CACHE_HEADER] = "miss"
        return response

    @staticmethod
    def _page_id(request: HttpRequest) -> str:
        # get_host() checks the Host header against ALLOWED_HOSTS (400 otherwise), so a forged
        # host can never poison the cache.
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
        return f"{audience.gate_state(request)}:{digest}"

    @staticmethod
    def _add_public_headers(response: HttpResponse) -> None:
        patch_vary_headers(response, ["Cookie"])
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = (
                f"public, max-age=0, s-maxage={settings.PAGE_CACHE_CDN_SECONDS}, "
                "stale-if-error=86400"
            )


class LastGoodCopyMiddleware:
    """While the database is down, serve the last good copy of a public page (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """While the database is down, serve the last good copy of a public page if there is one."""
        last_good_key = getattr(request, "page_cache_last_good_key", None)
        if last_good_key is None or not is_database_outage(exception):
            return None
        try:
            stored = cache.get(last_good_key)
        except Exception:
            return None
        if stored is None:
            return None
        logger.error(
            "Database unavailable (%s); served the last cached copy of %s",
            type(exception).__name__,
            loggable_path(request),
        )
        response = _deserialise(stored, "stale")
        response["Cache-Control"] = "no-cache"
        return response
