"""Admin pages that span every kind of content: the medical reviews that are due, and what was
recently deleted (with a way back)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.db.models import Q
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .admin import DUE_SOON_DAYS
from .models import DosingSchedule, DrugFacts, ExternalLink, Guide, Page, Section, Snippet

REVIEWED_MODELS = (Page, Guide, Snippet, DrugFacts, DosingSchedule, ExternalLink)
DELETED_SHOWN_DAYS = 90


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
    opts = obj._meta
    return DueReview(
        kind=str(opts.verbose_name).capitalize(),
        title=str(obj),
        change_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
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
        "due_soon_days": DUE_SOON_DAYS,
        "today": today,
    }
    return TemplateResponse(request, "admin/content/review_overdue.html", context)


@dataclass
class DeletedItem:
    kind: str
    title: str
    deleted_on: object
    deleted_by: str
    restore_url: str
    note: str = ""


def _may_restore(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


def recently_deleted(user, since) -> list[DeletedItem]:
    """Items deleted since `since` that are still gone, newest first, each with its restore page.

    A section deleted together with its page is not listed: it comes back with the page.
    """
    items = []
    live_pages = set(Page.objects.values_list("pk", flat=True))
    for model in (*REVIEWED_MODELS, Section):
        if not _may_restore(user, model):
            continue
        records = (
            model.history.filter(history_type="-", history_date__gte=since)
            .exclude(id__in=model.objects.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")
        )
        seen = set()
        for record in records:
            if record.id in seen or (model is Section and record.page_id not in live_pages):
                continue
            seen.add(record.id)
            opts = model._meta
            items.append(
                DeletedItem(
                    kind=str(opts.verbose_name).capitalize(),
                    title=str(record.instance),
                    deleted_on=record.history_date,
                    deleted_by=(
                        record.history_user.get_username() if record.history_user else "the system"
                    ),
                    restore_url=reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                        args=[record.id, record.history_id],
                    ),
                    note="with its sections" if model is Page else "",
                )
            )
    return sorted(items, key=lambda item: item.deleted_on, reverse=True)


def recently_deleted_view(request: HttpRequest) -> TemplateResponse:
    """What editors deleted in the last weeks, each one a click from coming back."""
    since = timezone.now() - timedelta(days=DELETED_SHOWN_DAYS)
    context = {
        **admin.site.each_context(request),
        "title": "Recently deleted",
        "items": recently_deleted(request.user, since),
        "days": DELETED_SHOWN_DAYS,
    }
    return TemplateResponse(request, "admin/content/recently_deleted.html", context)
