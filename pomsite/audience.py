"""The US-audience gate: a site-wide question, asked once, before the content.

How it works (docs/audience-gate.md says why):
- `AudienceGateMiddleware` marks a public request `audience_gate_open` when the visitor has not
  confirmed (signed-in editors are never asked); `base.html` then renders the question as a
  labelled dialog before the page, on the same URL, and makes the page behind it `inert`. The
  content stays in the HTML, so crawlers (which keep no cookies and get no special case) still
  index it.
- The answer is a plain HTML form posted to `question`, which sets one preference cookie and
  sends the visitor back to a path of this site (`safe_next`), never anywhere else.
- Public responses vary on Cookie; the gate adds no session and no CSRF cookie.
"""

import functools
import unicodedata
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

CONFIRMED = "yes"
MAX_NEXT_LENGTH = 1000
FALLBACK_NEXT = "/"


def safe_next(value: object) -> str:
    """Where to send a visitor after the question: a path on this site, or the home page.

    Path-only on purpose: no scheme, no host, nothing a browser could read as another site
    (`//host`, `/\\host`, encoded slashes, control characters, look-alike Unicode slashes).
    """
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT_LENGTH:
        return FALLBACK_NEXT
    if not value.isascii() or any(unicodedata.category(char)[0] in "CZ" for char in value):
        return FALLBACK_NEXT
    decoded = unquote(value)
    if any(unicodedata.category(char)[0] == "C" for char in decoded):
        return FALLBACK_NEXT
    for candidate in (value, decoded):
        if not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
            return FALLBACK_NEXT
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return FALLBACK_NEXT
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith(gate_prefix()):
        return FALLBACK_NEXT
    return value


def gate_prefix() -> str:
    return reverse("audience_question")


def not_public_prefixes() -> tuple[str, ...]:
    """Addresses that are no public page: the admin, the editor's endpoints, the health check.

    Never gated, and never kept in the page cache (pomsite/page_cache.py asks here, on every
    request, so the answer is kept for as long as the URLs it is reversed from stay the same).
    """
    return _not_public_prefixes(get_urlconf(), get_script_prefix(), settings.ADMIN_URL)


@functools.cache
def _not_public_prefixes(urlconf: str | None, script_prefix: str, admin_url: str) -> tuple:
    return (reverse("admin:index", urlconf), "/markdownx/", reverse("health", urlconf))


def is_public_page(path: str) -> bool:
    return not path.startswith(not_public_prefixes())


def is_gated_path(path: str) -> bool:
    """Every public page is gated; files, robots.txt, the sitemap and the gate itself are not."""
    exact = {reverse("robots_txt"), reverse("sitemap")}
    prefixes = (settings.STATIC_URL, settings.MEDIA_URL, gate_prefix())
    return (
        is_public_page(path)
        and path not in exact
        and not path.startswith(tuple(p for p in prefixes if p))
    )


def has_confirmed(request: HttpRequest) -> bool:
    return request.COOKIES.get(settings.AUDIENCE_GATE_COOKIE) == CONFIRMED


def _is_editor(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def gate_state(request: HttpRequest) -> str:
    """What the gate shows this visitor, as far as a cached page may differ by it."""
    return "us" if has_confirmed(request) else "unconfirmed"


class AudienceGateMiddleware:
    """Marks requests that must show the question first, and makes their responses vary on it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        gated = settings.AUDIENCE_GATE_ENABLED and is_gated_path(request.path)
        # A signed-in editor previewing a change is not one of the visitors the question is
        # for. (Their requests carry a session, so the page cache never stores what they see.)
        request.audience_gate_open = (
            gated and not has_confirmed(request) and not _is_editor(request)
        )
        response = self.get_response(request)
        if gated:
            patch_vary_headers(response, ["Cookie"])
        return response


def _see_other(path: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(path)
    response.status_code = 303  # after a POST, fetch the next page with GET
    return response


def not_us_url(next_path: str) -> str:
    return f"{reverse('audience_not_us')}?{urlencode({'next': next_path})}"


def question_url(next_path: str) -> str:
    return f"{gate_prefix()}?{urlencode({'next': next_path})}"


# Exempt from CSRF on purpose: the answer only sets (or clears) a preference cookie in the
# visitor's own browser; it reads and changes no data and grants nothing. A CSRF token would
# give every public page a CSRF cookie and make it uncacheable. The cookie is SameSite=Lax.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def question(request: HttpRequest) -> HttpResponse:
    """The question as a page of its own (GET), and where every copy of it posts its answer."""
    if request.method != "POST":
        context = {"gate_next": safe_next(request.GET.get("next"))}
        return render(request, "audience/question.html", context)
    next_path = safe_next(request.POST.get("next"))
    answer = request.POST.get("answer")
    if answer == "yes":
        response = _see_other(next_path)
        response.set_cookie(
            settings.AUDIENCE_GATE_COOKIE,
            CONFIRMED,
            max_age=settings.AUDIENCE_GATE_COOKIE_DAYS * 24 * 60 * 60,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
    if answer == "no":
        response = _see_other(not_us_url(next_path))
        response.delete_cookie(settings.AUDIENCE_GATE_COOKIE, samesite="Lax")
        return response
    context = {"gate_next": next_path, "gate_error": True}
    return render(request, "audience/question.html", context, status=400)


@require_safe
def not_us(request: HttpRequest) -> HttpResponse:
    """A respectful page for visitors outside the US, with a way back to the question."""
    next_path = safe_next(request.GET.get("next"))
    return render(request, "audience/not_us.html", {"question_url": question_url(next_path)})
