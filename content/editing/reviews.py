"""Medical review dates: the list filter, and the page of the reviews due across all content."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from content.editing.publishing import admin_url
from content.models import DosingSchedule, DrugFacts, ExternalLink, Guide, Page, Snippet

REVIEWED_MODELS = (Page, Guide, Snippet, DrugFacts, DosingSchedule, ExternalLink)
DUE_SOON_DAYS = 30


class ReviewDueFilter(admin.SimpleListFilter):
    """Items whose medical review is overdue, due soon, or not planned."""

    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (
            ("overdue", "Overdue"),
            ("due-soon", f"Due in the next {DUE_SOON_DAYS} days"),
            ("not-planned", "No review date set"),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "due-soon":
            return queryset.filter(
                next_review_due__gte=today,
                next_review_due__lte=today + timedelta(days=DUE_SOON_DAYS),
            )
        if self.value() == "not-planned":
            return queryset.filter(next_review_due__isnull=True)
        return queryset


@dataclass
class DueReview:
    kind: str
    title: str
    change_url: str
    due: date
    reviewed_on: date | None
    reviewed_by: str
    status: str


def _can_view(user, model) -> bool:
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


def reviews_due(user, until: date) -> list[DueReview]:
    """Every item the user may see whose next medical review is due before `until`."""
    due = []
    for model in REVIEWED_MODELS:
        if not _can_view(user, model):
            continue
        opts = model._meta
        for obj in model.objects.filter(next_review_due__lt=until).order_by("next_review_due"):
            due.append(
                DueReview(
                    kind=str(opts.verbose_name).capitalize(),
                    title=str(obj),
                    change_url=admin_url(model, "change", obj.pk),
                    due=obj.next_review_due,
                    reviewed_on=obj.medically_reviewed_on,
                    reviewed_by=obj.reviewed_by,
                    status=obj.get_status_display() if hasattr(obj, "status") else "Site-wide",
                )
            )
    return sorted(due, key=lambda item: item.due)


def review_overdue(request: HttpRequest) -> TemplateResponse:
    """Overdue reviews first, then those due within the next weeks, across all content."""
    today = timezone.localdate()
    items = reviews_due(request.user, today + timedelta(days=DUE_SOON_DAYS + 1))
    context = {
        **admin.site.each_context(request),
        "title": "Medical reviews due",
        "overdue": [item for item in items if item.due < today],
        "due_soon": [item for item in items if item.due >= today],
        "due_soon_days": DUE_SOON_DAYS,
        "today": today,
    }
    return TemplateResponse(request, "admin/content/review_overdue.html", context)
