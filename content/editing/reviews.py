"""Medical review dates and expiry: the list filters, and the page of the reviews due (and the
expired items) across all content."""

from dataclasses import dataclass
from datetime import date, timedelta
from textwrap import shorten

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.db.models import Q
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from content.editing.publishing import admin_url
from content.models import (
    AuditAction,
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    Guide,
    Page,
    Snippet,
    Status,
)

from . import audit
from .schedule import expiring_models, expiry_outcome, publishable_models

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


class ScheduleFilter(admin.SimpleListFilter):
    """Drafts scheduled to go live, and items that expired or expire soon."""

    title = "schedule"
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        choices = [
            ("expired", "Expired"),
            ("expires-soon", f"Expires in the next {DUE_SOON_DAYS} days"),
        ]
        if hasattr(model_admin.model, "publish_at"):
            choices.insert(0, ("scheduled", "Scheduled to go live"))
        return choices

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "scheduled":
            if not hasattr(queryset.model, "publish_at"):
                return queryset.none()
            return queryset.filter(status=Status.DRAFT, publish_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(expired_at__isnull=False)
        if self.value() == "expires-soon":
            return queryset.filter(
                expired_at=None, expires_on__lte=today + timedelta(days=DUE_SOON_DAYS)
            )
        return queryset


@dataclass
class ExpiredItem:
    kind: str
    title: str
    change_url: str
    expired_on: date
    outcome: str


def expired_items(user) -> list[ExpiredItem]:
    """Every item the user may see that has expired, with what its expiry did."""
    found = []
    for model in expiring_models():
        if not _can_view(user, model):
            continue
        for obj in model.objects.filter(expired_at__isnull=False):
            found.append(
                ExpiredItem(
                    kind=str(obj._meta.verbose_name).capitalize(),
                    title=str(obj),
                    change_url=admin_url(model, "change", obj.pk),
                    expired_on=obj.expires_on,
                    outcome=expiry_outcome(obj),
                )
            )
    return sorted(found, key=lambda item: (item.expired_on, item.kind, item.title))


def scheduled_count(user) -> int:
    """How many drafts the user may see are scheduled to go live."""
    return sum(
        model.objects.filter(status=Status.DRAFT, publish_at__isnull=False).count()
        for model in publishable_models()
        if _can_view(user, model)
    )


@dataclass
class DueReview:
    kind: str
    title: str
    change_url: str
    due: date | None
    reviewed_on: date | None
    reviewed_by: str
    status: str
    to_verify: bool = False


def _due_review(obj) -> DueReview:
    return DueReview(
        kind=str(obj._meta.verbose_name).capitalize(),
        title=str(obj),
        change_url=admin_url(type(obj), "change", obj.pk),
        due=obj.next_review_due,
        reviewed_on=obj.medically_reviewed_on,
        reviewed_by=obj.reviewed_by,
        status=obj.get_status_display() if hasattr(obj, "status") else "Site-wide",
        to_verify=obj.needs_verification,
    )


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
        for obj in model.objects.filter(next_review_due__lt=until).order_by("next_review_due"):
            due.append(_due_review(obj))
    return sorted(due, key=lambda item: item.due)


# What the public page shows as "awaiting medical review" (MedicalReview.has_signed_review).
AWAITING_REVIEW = Q(medically_reviewed_on=None) | Q(reviewed_by="") | Q(needs_verification=True)


def reviews_awaited(user) -> list[DueReview]:
    """Every item the user may see that has no signed medical review, or is to be verified."""
    awaited = []
    for model in REVIEWED_MODELS:
        if not _can_view(user, model):
            continue
        for obj in model.objects.filter(AWAITING_REVIEW):
            awaited.append(_due_review(obj))
    return sorted(awaited, key=lambda item: (item.kind, item.title))


def review_overdue(request: HttpRequest) -> TemplateResponse:
    """Overdue reviews first, then those due within the next weeks, across all content."""
    today = timezone.localdate()
    items = reviews_due(request.user, today + timedelta(days=DUE_SOON_DAYS + 1))
    context = {
        **admin.site.each_context(request),
        "title": "Medical reviews due",
        "overdue": [item for item in items if item.due < today],
        "due_soon": [item for item in items if item.due >= today],
        "awaiting": reviews_awaited(request.user),
        "expired": expired_items(request.user),
        "due_soon_days": DUE_SOON_DAYS,
        "today": today,
    }
    return TemplateResponse(request, "admin/content/review_overdue.html", context)


def send_back_to_review(obj, reason: str) -> None:
    """Put a published text back in front of a medical reviewer, saying why (`reason`).

    The one place that does it: it ticks "to be verified by medical review" (the public page then
    says the text awaits review), adds the reason to the review note and records it in the audit
    trail. An editor then submits the text for review (unchanged, if it needs no change); the
    reviewer's approval clears the tick.
    """
    note = obj.review_note.rstrip()
    obj.review_note = f"{note}\n{reason}" if note else reason
    obj.needs_verification = True
    obj._change_reason = history_reason(reason)
    obj.save(update_fields=["needs_verification", "review_note"])
    audit.record(AuditAction.BACK_TO_REVIEW, None, obj, comment=reason)


def history_reason(reason: str) -> str:
    """A reason short enough for the history's column (100 characters on PostgreSQL)."""
    return shorten(reason, width=100, placeholder="…")
