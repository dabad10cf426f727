"""The editor's endpoints beside each Markdown text box: the live preview and the reading grade.

Both are for logged-in staff only (the markdownx package leaves its own preview open).
"""

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from content.facts import FACTS, fact_values, values_for
from content.markdown.readability import describe_grade, is_above_target, reading_grade
from content.markdown.render import render_markdown
from content.models import glossary_entries, section_anchor

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _preview_anchor_prefix(request: HttpRequest) -> str:
    """The heading-id prefix the saved text will get (see Section.save and widgets.py)."""
    anchor = request.GET.get("anchor", "")[:200]
    heading = request.GET.get("heading", "")[:200]
    if anchor and not SLUG.fullmatch(anchor):
        anchor = slugify(anchor)
    if not (anchor or heading):
        return ""
    return section_anchor(heading, anchor) + "--"


def _too_long(content: str) -> bool:
    return len(content) > settings.MARKDOWN_MAX_CHARS


@staff_member_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview: the same pipeline, and the same heading ids, as the page."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("There is no text to preview.")
    if _too_long(content):
        return HttpResponse(
            f"This text is too long to preview: at most {settings.MARKDOWN_MAX_CHARS:,} "
            "characters.",
            status=413,
            content_type="text/plain; charset=utf-8",
        )
    html = render_markdown(
        content,
        anchor_prefix=_preview_anchor_prefix(request),
        glossary=glossary_entries(),
        facts=values_for(content),
    )
    return HttpResponse(html)


@staff_member_required
@require_POST
def reading_grade_view(request: HttpRequest) -> JsonResponse:
    """The live reading grade shown under each Markdown editor."""
    content = request.POST.get("content", "")
    if _too_long(content):
        return JsonResponse({"grade": None, "above": True, "message": "This text is too long."})
    grade = reading_grade(content, values_for(content))
    return JsonResponse(
        {"grade": grade, "above": is_above_target(grade), "message": describe_grade(grade)}
    )


def fact_tags_view(request: HttpRequest) -> TemplateResponse:
    """The fact tags an editor can write, each with its current value and where it comes from."""
    values = fact_values()
    rows = [{"fact": fact, "value": values.get(fact.key)} for fact in FACTS]
    context = {**admin.site.each_context(request), "title": "Fact tags", "rows": rows}
    return TemplateResponse(request, "admin/content/fact_tags.html", context)
