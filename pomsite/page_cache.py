"""Public pages served from the shared cache, and never stale after an editor's save.

Why not Django's per-site cache middleware: it keys on the whole Cookie header when a page varies
on cookies (so every visitor gets a private copy), cannot be told that an editor changed a page
except by waiting for the timeout, and has nothing to fall back on when the database is down.

How it works:
- A *generation* number lives in the cache itself, so every app server sharing the cache reads
  the same one (with the default local-memory cache, in a file cache shared by the host's worker
  processes, pomsite/number_cache.py). Any save or delete of a content model bumps it. Each
  stored page is tagged with the number its request started under, and a copy whose tag is not
  the current number is a miss: the next request after a save renders fresh content.
- Only anonymous GET/HEAD requests for public pages are cached (pomsite.audience says which
  addresses are public pages): a request carrying any cookie other than the US-audience gate
  cookie or the CSRF cookie (a session, messages) is passed straight through. The key holds the
  gate state as pomsite.audience reads it, the scheme, the host, the path and the *valid*
  values of the query parameters that page reads (`PAGE_CACHE_QUERY_PARAMS`); anything else
  in the query is left out of the key, so junk neither fills the cache nor bypasses it. A page is
  stored only from a request whose query is already in that normal form, and only if the view
  read no other parameter (a page that reads `?q=` is never stored).
- A response is stored only if it is a 200 that sets no cookie, is not private/no-store/no-cache,
  and varies on nothing but Cookie. Stored responses carry `Vary: Cookie` and a Cache-Control a
  CDN can use (`public, max-age=0, s-maxage=...`).
- A stored page is compressed once, with Brotli and with gzip, when it is stored; each encoding
  is kept under its own key as a whole response, every header set, so a hit takes out of the
  cache only the bytes it sends, never compresses anything and builds nothing. With a shared
  cache (Redis) the generation number and the page come back in one round trip.
- Each stored page is also kept as a "last good copy", tagged with the number of withdrawals so
  far; while the database is unreachable that copy is served instead of an error page
  (pomsite.errors makes the 503). Withdrawing an item (unpublishing or deleting it) bumps that
  number, so every last good copy becomes unreachable and withdrawn medical text is never served
  again, not even during an outage.
- Behind nginx, a page served from here or just stored is also written out as a file for nginx
  to serve as it serves a static file (pomsite/page_files.py), if nginx asked for it.
- The cache being down is not an outage: pages are rendered as if nothing were cached, and for
  `PAGE_CACHE_RETRY_SECONDS` the cache is not asked again (a hung Redis costs one client timeout
  per worker, not one per request). Likewise, once the database has failed, cacheable pages that
  are not in the cache get their last good copy or the 503 at once for `DATABASE_RETRY_SECONDS`,
  while one request at a time tries the database again.

Two middleware, like Django's own Update/FetchFromCache pair. `PublicPageCacheMiddleware` sits
right after WhiteNoise: a stored page already carries the headers the inner middleware added
(CSP, Permissions-Policy, X-Frame-Options...), so a hit skips them all and costs little more
than a static file (docs/performance.md). `LastGoodCopyMiddleware` sits inside the
database-outage middleware, whose 503 must come second: exceptions go to the inner one first.
Only SecurityMiddleware and WhiteNoise are outside, and they add their headers to every response.
"""

import functools
import gzip
import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from functools import wraps

import brotli
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.cache import cc_delim_re, patch_vary_headers

from pomsite import audience, page_files
from pomsite.errors import is_database_outage, loggable_path, service_unavailable

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
# Bumped when an item is withdrawn: the last good copies are stored under it (see the docstring).
WITHDRAWAL_KEY = "page-cache:withdrawals"
# Where the generation number lives: the shared cache, or with a local-memory cache a file cache
# that every worker process on the host shares (settings.py).
GENERATION_CACHE = "page-generation"
CACHE_HEADER = "X-Page-Cache"
NOT_CACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}
# Compressed once per stored page, so the slowest, smallest settings are affordable.
BROTLI_QUALITY = 11
GZIP_LEVEL = 9
# Part of every key: a change of what is stored makes older entries unreachable.
FORMAT = 3


class _Breaker:
    """After a failure, say "do not try" for a few seconds; then let one request at a time try."""

    def __init__(self) -> None:
        self.until = 0.0
        self.lock = threading.Lock()

    def allows(self, pause: float) -> bool:
        if not self.until:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.until:
                return False
            self.until = now + pause  # this request tries; the others keep the fallback
            return True

    def failed(self, pause: float) -> None:
        if pause:
            self.until = time.monotonic() + pause

    def succeeded(self) -> None:
        self.until = 0.0


cache_breaker = _Breaker()
database_breaker = _Breaker()


def _fresh_generation() -> int:
    # Random rather than 1, so a number can never be reused after the key has been evicted
    # while pages stored under an old number are still in the cache.
    return secrets.randbits(48)


def _current(key: str) -> int:
    store = caches[GENERATION_CACHE]
    number = store.get(key)
    if number is None:
        store.add(key, _fresh_generation(), timeout=None)
        number = store.get(key)
    return number


def current_generation() -> int:
    return _current(GENERATION_KEY)


def _bump(key: str) -> None:
    store = caches[GENERATION_CACHE]
    try:
        try:
            store.incr(key)
        except ValueError:  # no number yet (or evicted): any fresh one will do
            store.add(key, _fresh_generation(), timeout=None)
    except Exception:  # the cache is down: nothing is being served from it either
        logger.exception("Could not invalidate the page cache")


def bump_generation() -> None:
    """Make every cached page unreachable, on every app server sharing the cache."""
    _bump(GENERATION_KEY)


def forget_last_good_copies() -> None:
    """Make every last good copy unreachable: something public was withdrawn."""
    _bump(WITHDRAWAL_KEY)


def _is_invalidating(sender) -> bool:
    # A model can say its rows are never shown to the public (staged changes, audit records).
    if not getattr(sender, "affects_public_pages", True):
        return False
    return sender._meta.app_label in settings.PAGE_CACHE_INVALIDATED_BY


def _note_published_before(sender, instance, raw=False, **kwargs) -> None:
    if raw or not _is_invalidating(sender) or not hasattr(instance, "status") or not instance.pk:
        return
    before = sender._default_manager.filter(pk=instance.pk).values_list("status", flat=True)
    instance._page_cache_was_published = before.first() == "published"


def _content_saved(sender, instance, **kwargs) -> None:
    if not _is_invalidating(sender):
        return
    withdrawn = getattr(instance, "_page_cache_was_published", False) and (
        instance.status != "published"
    )
    _content_changed(withdrawn)


def _content_deleted(sender, **kwargs) -> None:
    if _is_invalidating(sender):
        _content_changed(withdrawn=True)


def _content_changed(withdrawn: bool) -> None:
    # Now, so this request and the next see the change at once; and again after the commit, so
    # a page rendered by another request from the not-yet-committed data cannot outlive it.
    bump_generation()
    transaction.on_commit(bump_generation)
    if withdrawn:
        forget_last_good_copies()
        transaction.on_commit(forget_last_good_copies)


def connect_signals() -> None:
    pre_save.connect(_note_published_before, dispatch_uid="page_cache_pre_save")
    post_save.connect(_content_saved, dispatch_uid="page_cache_post_save")
    post_delete.connect(_content_deleted, dispatch_uid="page_cache_post_delete")


def _is_cacheable_request(request: HttpRequest) -> bool:
    harmless_cookies = {settings.AUDIENCE_GATE_COOKIE, settings.CSRF_COOKIE_NAME}
    return (
        request.method in {"GET", "HEAD"}
        and not set(request.COOKIES) - harmless_cookies
        and audience.is_public_page(request.path)
    )


def normalised_query(request: HttpRequest, params: dict[str, str]) -> str:
    """The query string as the cache sees it: only the valid values of the parameters this page
    reads (`params`: name -> pattern of a valid value), in a fixed order."""
    query = QueryDict(mutable=True)
    for name, pattern in sorted(params.items()):
        value = request.GET.get(name)
        if value is not None and re.fullmatch(pattern, value):
            query[name] = value
    return query.urlencode()


def _noting_reads(method: Callable, every: bool = False) -> Callable:
    """QueryDict's `method`, first noting which parameter it reads (its first argument), or
    that it reads every one ("*")."""

    @wraps(method)
    def noted(self, *args, **kwargs):
        self.read.add("*" if every else args[0])
        return method(self, *args, **kwargs)

    return noted


class _ReadTrackingQueryDict(QueryDict):
    """request.GET that notes which parameters the view looked at ("*" for all of them)."""

    def __init__(self, query_string=None, mutable=False, encoding=None) -> None:
        self.read: set[str] = set()
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.read = set()

    __getitem__ = _noting_reads(QueryDict.__getitem__)
    _getlist = _noting_reads(QueryDict._getlist)
    __contains__ = _noting_reads(QueryDict.__contains__)
    __iter__ = _noting_reads(QueryDict.__iter__, every=True)
    keys = _noting_reads(QueryDict.keys, every=True)
    lists = _noting_reads(QueryDict.lists, every=True)
    __len__ = _noting_reads(QueryDict.__len__, every=True)
    copy = _noting_reads(QueryDict.copy, every=True)
    urlencode = _noting_reads(QueryDict.urlencode, every=True)


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


ENCODINGS = ("identity", "br", "gzip")


def _encoded_copies(response: HttpResponse) -> dict[str, HttpResponse]:
    """The response three ways, plain, Brotli and gzip (compressed once, here), each a whole
    response with every header set, so a hit only has to take it out of the cache."""
    content = response.content
    bodies = {
        "identity": content,
        "br": brotli.compress(content, quality=BROTLI_QUALITY),
        "gzip": gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0),
    }
    skip = {CACHE_HEADER.lower(), "content-length", "content-encoding"}
    headers = [(k, v) for k, v in response.items() if k.lower() not in skip]
    copies = {}
    for encoding, body in bodies.items():
        copy = HttpResponse(body, status=response.status_code)
        for name, value in headers:
            copy[name] = value
        if encoding != "identity":
            copy["Content-Encoding"] = encoding
        copy["Content-Length"] = str(len(body))
        copy[CACHE_HEADER] = "hit"
        copies[encoding] = copy
    return copies


def _stale(copy: HttpResponse) -> HttpResponse:
    """A last good copy as it is served while the database is down: never kept by a browser."""
    copy[CACHE_HEADER] = "stale"
    copy["Cache-Control"] = "no-cache"
    return copy


@functools.lru_cache(maxsize=64)
def preferred_encoding(accept_encoding: str) -> str:
    """br, gzip or identity: the best the client accepts (a q of 0 refuses)."""
    accepted = set()
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(quality) > 0:
                accepted.add(name.strip())
        except ValueError:
            continue
    return next((name for name in ("br", "gzip") if name in accepted), "identity")


def _encoding(request: HttpRequest) -> str:
    return preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", "")[:200])


def _generation_shares_the_cache() -> bool:
    """Whether the generation numbers live in the page cache itself (Redis, Memcached): then a
    number and a page come back in one round trip."""
    return settings.CACHES.get(GENERATION_CACHE) == settings.CACHES.get("default")


def _fetch(number_key: str, key: str) -> tuple[int, object]:
    """The current number under `number_key` (the generation or the withdrawals) and what is
    stored under `key`."""
    if _generation_shares_the_cache():
        found = cache.get_many([number_key, key])
        number = found.get(number_key)
        if number is None:
            number = _current(number_key)
        return number, found.get(key)
    return _current(number_key), cache.get(key)


def _stored_copy(number_key: str, key: str) -> HttpResponse | None:
    """The copy under `key` if it was stored under the current number, else None."""
    number, stored = _fetch(number_key, key)
    if stored is None or stored[0] != number:
        return None
    return stored[1]


def _last_good_copy(request: HttpRequest) -> HttpResponse | None:
    """The last good copy of this page, unless something was withdrawn since it was stored."""
    key = f"{request.page_cache_last_good_key}:{_encoding(request)}"
    try:
        copy = _stored_copy(WITHDRAWAL_KEY, key)
    except Exception:
        return None
    return None if copy is None else _stale(copy)


def _still_current(generation: int) -> bool:
    try:
        return current_generation() == generation
    except Exception:
        return False


class PublicPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the cache (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.query_params = {
            reverse(name): params for name, params in settings.PAGE_CACHE_QUERY_PARAMS.items()
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_SECONDS or not _is_cacheable_request(request):
            return self.get_response(request)

        params = self.query_params.get(request.path)
        query = normalised_query(request, params) if params else ""
        state = audience.gate_state(request)
        page_id = self._page_id(request, query, state)
        encoding = _encoding(request)
        request.page_cache_last_good_key = f"page-cache:{FORMAT}:last:{page_id}"
        if not cache_breaker.allows(settings.PAGE_CACHE_RETRY_SECONDS):
            return self.get_response(request)
        key = f"page-cache:{FORMAT}:{page_id}"
        try:
            generation, stored = _fetch(GENERATION_KEY, f"{key}:{encoding}")
        except Exception as error:
            cache_breaker.failed(settings.PAGE_CACHE_RETRY_SECONDS)
            # One line, no traceback: anonymous requests must not fill the log.
            logger.warning(
                "Page cache unavailable (%s); rendering without it", type(error).__name__
            )
            return self.get_response(request)
        cache_breaker.succeeded()
        if stored is not None and stored[0] == generation:
            if page_files.FILE_HEADER in request.META:  # nginx asks for the page as a file
                page_files.offer(request, stored[1], encoding, state)
            return stored[1]
        if not database_breaker.allows(settings.DATABASE_RETRY_SECONDS):
            return _last_good_copy(request) or service_unavailable()

        request.GET = _ReadTrackingQueryDict(request.META.get("QUERY_STRING", ""), request.encoding)
        response = self.get_response(request)
        if getattr(response, "database_outage", False):
            database_breaker.failed(settings.DATABASE_RETRY_SECONDS)
            return response
        database_breaker.succeeded()
        read_only_known = request.GET.read <= set(params or ())
        in_normal_form = request.META.get("QUERY_STRING", "") == query
        if not (read_only_known and in_normal_form and _is_cacheable_response(response)):
            return response
        self._add_public_headers(response)
        copies = _encoded_copies(response)
        self._store(key, generation, request.page_cache_last_good_key, copies)
        sent = copies[encoding]
        # A page rendered while an editor saved is not written out (it is stored under the
        # generation it started with, where no one will look for it).
        if page_files.FILE_HEADER in request.META and _still_current(generation):
            page_files.offer(request, sent, encoding, state)
        sent[CACHE_HEADER] = "miss"
        return sent

    @staticmethod
    def _store(key: str, generation: int, last_good_key: str, copies: dict) -> None:
        """Each encoding under its own key, tagged with the generation the page was rendered
        under (a later save makes it a miss), and as a last good copy tagged with the number of
        withdrawals so far (a later withdrawal makes it unreachable)."""
        try:
            cache.set_many(
                {f"{key}:{name}": (generation, copy) for name, copy in copies.items()},
                settings.PAGE_CACHE_SECONDS,
            )
            withdrawals = _current(WITHDRAWAL_KEY)
            cache.set_many(
                {f"{last_good_key}:{name}": (withdrawals, copy) for name, copy in copies.items()},
                settings.PAGE_CACHE_STALE_SECONDS,
            )
        except Exception as error:
            logger.warning("Page cache unavailable (%s); page not stored", type(error).__name__)

    @staticmethod
    def _page_id(request: HttpRequest, query: str, state: str) -> str:
        # get_host() checks the Host header against ALLOWED_HOSTS (400 otherwise), so a forged
        # host can never poison the cache.
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
        return f"{state}:{digest}"

    @staticmethod
    def _add_public_headers(response: HttpResponse) -> None:
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
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
        if getattr(request, "page_cache_last_good_key", None) is None:
            return None
        if not is_database_outage(exception):
            return None
        response = _last_good_copy(request)
        if response is None:
            return None
        logger.error(
            "Database unavailable (%s); served the last cached copy of %s",
            type(exception).__name__,
            loggable_path(request),
        )
        response.database_outage = True
        return response
