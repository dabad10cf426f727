"""Public views. Every one reads through `published()`, so drafts are never public."""

import uuid
from collections.abc import Callable

from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST, require_safe

from .figures import cycle_chart
from .markdown import render_markdown
from .models import (
    Audience,
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    Figure,
    Guide,
    Page,
    Section,
    Status,
)

GUIDES_PER_PAGE = 20


def _published_page(slug: str) -> tuple[Page, list[Section]]:
    """A published page and its sections in one query: each section row brings its page along."""
    sections = list(
        Section.objects.filter(page__slug=slug, page__status=Status.PUBLISHED)
        .select_related("page")
        .order_by("order", "pk")
    )
    if sections:
        return sections[0].page, sections
    return get_object_or_404(Page.objects.published(), slug=slug), []


# What each picture needs from the database; a page loads only what its sections show.
FIGURE_DATA: dict[str, Callable[[], dict]] = {
    Figure.CYCLE_CHART: lambda: {
        "cycle_charts": [cycle_chart(s) for s in DosingSchedule.objects.published()]
    },
    Figure.EXTERNAL_LINKS: lambda: {"external_links": list(ExternalLink.objects.published())},
    Figure.DRUG_FACTS: lambda: {
        "drug_facts": DrugFacts.objects.published().order_by("-updated_at").first()
    },
}


def _render_page(request: HttpRequest, slug: str) -> HttpResponse:
    page, sections = _published_page(slug)
    context = {"page": page, "sections": sections, "reviewed_on": page.medically_reviewed_on}
    for figure in {section.figure for section in sections if section.figure in FIGURE_DATA}:
        context.update(FIGURE_DATA[figure]())
    return render(request, "content/page_detail.html", context)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _render_page(request, "home")


@require_safe
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if slug == "home":
        return redirect("content:home", permanent=True)
    return _render_page(request, slug)


@require_safe
def guide_list(request: HttpRequest) -> HttpResponse:
    audience = request.GET.get("audience", "")
    if audience and audience not in Audience.values:
        raise Http404("No such audience.")
    guides = Guide.objects.published().defer("body", "body_html", "review_note")
    if audience:
        guides = guides.filter(audience=audience)
    paginator = Paginator(guides, GUIDES_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404("No such page of guides.") from error
    dates = [g.medically_reviewed_on for g in page_obj if g.medically_reviewed_on]
    return render(
        request,
        "content/guide_list.html",
        {
            "page_obj": page_obj,
            "guides": page_obj.object_list,
            "audience": audience,
            "audiences": Audience.choices,
            "reviewed_on": max(dates, default=None),
        },
    )


@require_safe
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = get_object_or_404(Guide.objects.published(), slug=slug)
    return render(
        request,
        "content/guide_detail.html",
        {"guide": guide, "reviewed_on": guide.medically_reviewed_on},
    )


@require_safe
def leaving(request: HttpRequest, key: str) -> HttpResponse:
    """The leaving-the-site notice. Only links an editor entered can be destinations."""
    link = get_object_or_404(ExternalLink.objects.published(), key=key)
    return render(
        request, "content/leaving.html", {"link": link, "reviewed_on": link.medically_reviewed_on}
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the cache answer, 503 naming what does not."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    healthy = all(checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error"}
        | {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)
    return response


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any database failure means "not healthy", never a traceback
        return False


def _cache_answers() -> bool:
    key = f"health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key) == "ok"
        cache.delete(key)
        return answered
    except Exception:  # Redis or Memcached down or unreachable
        return False


@staff_member_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview: the same pipeline the public pages use."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("There is no text to preview.")
    return HttpResponse(render_markdown(content))
