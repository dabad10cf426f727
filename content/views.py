"""Public views. Every one reads through `published()`, so drafts are never public."""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_safe

from .figures import cycle_chart
from .models import (
    Audience,
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    Figure,
    Guide,
    Page,
    Revision,
    Section,
    Status,
    Urgency,
    WarningSign,
)

GUIDES_PER_PAGE = 20


def can_preview_drafts(request: HttpRequest) -> bool:
    """Staff see drafts at their real address. A visitor without a session cookie is never
    looked up, so public pages cost no session or user query."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    return user.is_active and user.is_staff


def _pending_change(request: HttpRequest, item, drafts: bool) -> Revision | None:
    """The pending change `?revision=<id>` asks to preview, for staff who may change or approve
    the item. Nobody else's request reads the revision table (not even to refuse)."""
    if not drafts:
        return None  # not even read: the page cache keeps answers that read no unknown query
    raw = request.GET.get("revision")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Http404("No such pending change.")
    opts = item._meta
    user = request.user
    if not (
        user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        or user.has_perm("content.approve_revision")
    ):
        raise Http404("No such pending change.")
    revision = (
        Revision.objects.filter(pk=int(raw), object_id=item.pk)
        .filter(content_type__app_label=opts.app_label, content_type__model=opts.model_name)
        .select_related("content_type")
        .first()
    )
    if revision is None:
        raise Http404("No such pending change.")
    return revision


def _visible(model, drafts: bool) -> QuerySet:
    return model.objects.all() if drafts else model.objects.published()


def last_changed(items) -> datetime | None:
    """When the newest of the items on a page was last changed."""
    return max((item.updated_at for item in items if item.updated_at), default=None)


def _render(
    request: HttpRequest, template: str, context: dict, drafts: bool, shown
) -> HttpResponse:
    """Render a public page; with drafts shown, mark them and keep the answer out of caches."""
    context["draft_items"] = [
        item for item in shown if item.status != Status.PUBLISHED and not context.get("pending")
    ]
    context.setdefault("last_changed", last_changed(shown))
    response = render(request, template, context)
    if drafts:
        add_never_cache_headers(response)  # private, no-store: a staff view is never cached
        patch_vary_headers(response, ["Cookie"])
    return response


def _page_with_sections(slug: str, drafts: bool) -> tuple[Page, list[Section]]:
    """A page and its sections in one query: each section row brings its page along."""
    page_filter = {} if drafts else {"page__status": Status.PUBLISHED}
    sections = list(
        Section.objects.filter(page__slug=slug, **page_filter)
        .select_related("page")
        .order_by("order", "pk")
    )
    if sections:
        return sections[0].page, sections
    return get_object_or_404(_visible(Page, drafts), slug=slug), []


def _cycle_charts(drafts: bool) -> tuple[dict, list]:
    schedules = list(_visible(DosingSchedule, drafts))
    return {"cycle_charts": [cycle_chart(s) for s in schedules]}, schedules


def _external_links(drafts: bool) -> tuple[dict, list]:
    links = list(_visible(ExternalLink, drafts))
    return {"external_links": links}, links


def _drug_facts(drafts: bool) -> tuple[dict, list]:
    facts = _visible(DrugFacts, drafts).order_by("-updated_at").first()
    return {"drug_facts": facts}, [facts] if facts else []


def _warning_signs(drafts: bool) -> tuple[dict, list]:
    signs = list(_visible(WarningSign, drafts))
    context = {
        "emergency_signs": [s for s in signs if s.urgency == Urgency.EMERGENCY],
        "call_signs": [s for s in signs if s.urgency == Urgency.CALL_NOW],
    }
    return context, signs


# What each picture needs from the database; a page loads only what its sections show.
FIGURE_DATA: dict[str, Callable[[bool], tuple[dict, list]]] = {
    Figure.CYCLE_CHART: _cycle_charts,
    Figure.EXTERNAL_LINKS: _external_links,
    Figure.DRUG_FACTS: _drug_facts,
    Figure.WARNING_SIGNS: _warning_signs,
}


def _render_page(request: HttpRequest, slug: str) -> HttpResponse:
    drafts = can_preview_drafts(request)
    page, sections = _page_with_sections(slug, drafts)
    context = {"page": page, "sections": sections, "review": page}
    pending = _pending_change(request, page, drafts)
    if pending is not None:
        page = pending.built_item()
        sections = page.staged_sections
        context.update(page=page, sections=sections, review=page, pending=pending)
    shown = [page]
    for figure in {section.figure for section in sections if section.figure in FIGURE_DATA}:
        figure_context, items = FIGURE_DATA[figure](drafts)
        context.update(figure_context)
        shown += items
    context["last_changed"] = last_changed([*shown, *sections])
    return _render(request, "content/page_detail.html", context, drafts, shown)


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
    return render(
        request,
        "content/guide_list.html",
        {
            "page_obj": page_obj,
            "guides": page_obj.object_list,
            "audience": audience,
            "audiences": Audience.choices,
            "last_changed": last_changed(page_obj),
            "review_per_item": True,
        },
    )


@require_safe
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    drafts = can_preview_drafts(request)
    guide = get_object_or_404(_visible(Guide, drafts), slug=slug)
    pending = _pending_change(request, guide, drafts)
    if pending is not None:
        guide = pending.built_item()
    context = {"guide": guide, "review": guide, "pending": pending}
    return _render(request, "content/guide_detail.html", context, drafts, [guide])


# The links beside the safety summary on every page (fair balance). If an editor ever removes or
# unpublishes one, its notice still leads to the official address.
BUILT_IN_LINKS = {
    link.key: link
    for link in (
        ExternalLink(
            key="prescribing-information",
            title="Prescribing Information and Medication Guide",
            url="https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm"
            "?setid=2b25ef01-5c9e-11e1-b86c-0800200c9a66",
            description="The full US label for POMALYST, with its Medication Guide, on DailyMed.",
            status=Status.PUBLISHED,
        ),
        ExternalLink(
            key="fda-medwatch",
            title="FDA MedWatch",
            url="https://www.fda.gov/medwatch",
            description="Where you can report side effects of prescription medicines to the FDA.",
            status=Status.PUBLISHED,
        ),
    )
}


@require_safe
def leaving(request: HttpRequest, key: str) -> HttpResponse:
    """The leaving-the-site notice. Only links an editor entered (or the built-in links beside
    the safety summary) can be destinations."""
    drafts = can_preview_drafts(request)
    link = _visible(ExternalLink, drafts).filter(key=key).first() or BUILT_IN_LINKS.get(key)
    if link is None:
        raise Http404("No such link.")
    context = {"link": link, "review": link}
    return _render(request, "content/leaving.html", context, drafts, [link])


@require_safe
def leaving_address(request: HttpRequest) -> HttpResponse:
    """Where links to other sites written in Markdown point (`?to=<address>`).

    Only an address an editor entered as a published external link leads on (to its notice);
    any other address is never linked, redirected to, or shown.
    """
    key = ExternalLink.published_key_for(request.GET.get("to", ""))
    if key:
        return redirect("content:leaving", key=key)
    return render(request, "content/leaving_unknown.html", status=404)
