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

from . import preview
from .facts import MEDWATCH_URL, is_fact_source, values_for
from .figures import cycle_chart
from .markdown.render import render_markdown
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
    Snippet,
    Status,
    Urgency,
    WarningSign,
    glossary_entries,
    linked_page_html,
)

GUIDES_PER_PAGE = 20


def can_preview_drafts(request: HttpRequest) -> bool:
    """Staff see drafts at their real address. A visitor without a session cookie is never
    looked up, so public pages cost no session or user query."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    return user.is_active and user.is_staff


def _requested_revision(request: HttpRequest, drafts: bool) -> Revision | None:
    """The pending change `?revision=<id>` asks to preview, for staff who may change or approve
    that kind of item. Nobody else's request reads the revision table (not even to refuse)."""
    if not drafts:
        return None  # not even read: the page cache keeps answers that read no unknown query
    raw = request.GET.get("revision")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Http404("No such pending change.")
    revision = Revision.objects.filter(pk=int(raw)).select_related("content_type").first()
    model = revision.content_type.model_class() if revision is not None else None
    if model is None:
        raise Http404("No such pending change.")
    opts, user = model._meta, request.user
    if not (
        user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        or user.has_perm("content.approve_revision")
    ):
        raise Http404("No such pending change.")
    return revision


def _is_for(revision: Revision, item) -> bool:
    opts = type(item)._meta
    return (
        revision.object_id == item.pk
        and revision.content_type.app_label == opts.app_label
        and revision.content_type.model == opts.model_name
    )


# Records shown on many pages (the frame, the pictures, the fact values in the text): a pending
# change to one is previewed on a public page with its values put in place (content/preview.py).
SITE_WIDE_MODELS = (Snippet, DrugFacts, DosingSchedule, ExternalLink)


def _with_pending_record(revision: Revision, respond: Callable[[], HttpResponse]) -> HttpResponse:
    """The answer of `respond`, rendered with the revision's site-wide record in place of the
    live one. A revision of another page or guide has nothing to show here."""
    if revision.content_type.model_class() not in SITE_WIDE_MODELS:
        raise Http404("No such pending change.")
    item = revision.built_item()
    if item is None:
        raise Http404("No such pending change.")
    with preview.showing(item):
        return respond()


def _shows_a_fact() -> bool:
    item = preview.shown_item()
    return item is not None and is_fact_source(type(item))


def _refill_facts(page: Page, sections: list[Section]) -> None:
    """While a pending drug fact is shown, render again the page's texts that use fact tags:
    their stored HTML holds the live values."""
    if not _shows_a_fact():
        return
    facts = values_for(page.intro, *(section.body for section in sections))
    if facts is None:
        return
    page.intro_html, section_htmls = linked_page_html(
        page.intro, sections, glossary_entries(), facts
    )
    for section, html in zip(sections, section_htmls, strict=True):
        section.body_html = html


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
    schedules = preview.swap_all(_visible(DosingSchedule, drafts))
    return {"cycle_charts": [cycle_chart(s) for s in schedules]}, schedules


def _external_links(drafts: bool) -> tuple[dict, list]:
    links = preview.swap_all(_visible(ExternalLink, drafts))
    return {"external_links": links}, links


def _drug_facts(drafts: bool) -> tuple[dict, list]:
    facts = preview.swap(_visible(DrugFacts, drafts).order_by("-updated_at").first())
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
    pending = _requested_revision(request, drafts)
    if pending is None or _is_for(pending, page):
        return _page_response(request, page, sections, drafts, pending)

    def respond() -> HttpResponse:
        _refill_facts(page, sections)
        return _page_response(request, page, sections, drafts, None, shown_change=pending)

    return _with_pending_record(pending, respond)


def _page_response(
    request: HttpRequest,
    page: Page,
    sections: list[Section],
    drafts: bool,
    pending: Revision | None,
    shown_change: Revision | None = None,
) -> HttpResponse:
    """The page; with `pending`, as that change to it will make it. `shown_change` is a pending
    change to a site-wide record being shown on it (for the banner)."""
    context = {"page": page, "sections": sections, "review": page, "pending": shown_change}
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
    pending = _requested_revision(request, drafts)
    if pending is None or _is_for(pending, guide):
        shown = pending.built_item() if pending is not None else guide
        return _guide_response(request, shown, drafts, pending)

    def respond() -> HttpResponse:
        return _guide_response(request, guide, drafts, pending)

    return _with_pending_record(pending, respond)


def _guide_response(request: HttpRequest, guide: Guide, drafts: bool, pending) -> HttpResponse:
    facts = values_for(guide.body) if _shows_a_fact() else None
    if facts is not None:  # a pending drug fact is shown: its value, not the stored one
        guide.body_html = render_markdown(guide.body, glossary=glossary_entries(), facts=facts)
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
            url=MEDWATCH_URL,
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
    pending = _requested_revision(request, drafts)

    def respond() -> HttpResponse:
        shown = preview.swap(link)
        context = {"link": shown, "review": shown, "pending": pending}
        return _render(request, "content/leaving.html", context, drafts, [shown])

    return respond() if pending is None else _with_pending_record(pending, respond)


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
