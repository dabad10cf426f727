"""Every saved version, what changed between two of them, and restoring one (django-simple-history);
a page and its sections as one document; what was recently deleted, with a way back.

A restore is saved like an edit, through the version check (content/editing/locking.py), so it
never overwrites a save made while the old version was on screen.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

from content.models import AuditAction, Page, Section

from . import audit, documents, revisions
from .diffs import field_changes
from .locking import EditConflict
from .publishing import admin_url, item_path
from .reviews import REVIEWED_MODELS

DELETED_SHOWN_DAYS = 90


class HistoryAdmin(SimpleHistoryAdmin):
    """The history list, a "what changed" page between two versions, and a guarded restore."""

    object_history_list_template = "admin/content/object_history_list.html"

    def get_urls(self):
        return [
            item_path(self, "history/compare", self.compare_view, "compare"),
            *super().get_urls(),
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit() or not str(object_id).isdigit():
            raise Http404("No such version.")
        request.restoring_version = True
        version = self.model.history.filter(id=object_id, history_id=version_id)
        extra_context = {
            **(extra_context or {}),
            "version": version.select_related("history_user").first(),
            # A deleted item comes back as a draft (ContentAdmin.save_model): the screen says so.
            "restoring_deleted": not self.model._default_manager.filter(pk=object_id).exists(),
        }
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict:
            self.message_user(
                request,
                "Someone saved this item while you were looking at the old version, so it was "
                "not restored. Check the history again, then restore it if you still want to.",
                messages.ERROR,
            )
            return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view_title(self, request, obj) -> str:
        return f"Earlier versions of “{obj}”"

    def history_form_view_title(self, request, obj) -> str:
        if self.revert_disabled(request, obj):
            return f"An earlier version of “{obj}”"
        return f"Restore an earlier version of “{obj}”?"

    def response_change(self, request, obj):
        if getattr(request, "restored_as_draft", False):
            message = (
                f"“{obj}” is back as a draft. It is not public: submit it for medical review, "
                "and it goes back on the site once a reviewer approves it."
            )
        elif getattr(request, "restoring_version", False):
            message = (
                f"“{obj}” is restored: the version you chose is now the current one. The version "
                "it replaced is kept in its earlier versions."
            )
        else:
            return super().response_change(request, obj)
        self.message_user(request, message)
        return HttpResponseRedirect(admin_url(self.model, "change", obj.pk))

    def compare_view(self, request, object_id):
        """What changed between two saved versions, as a readable word-by-word difference."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such item.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        records = obj.history.select_related("history_user")
        newer = self._record(records, request.GET.get("to")) or records.first()
        if newer is None:
            raise Http404("This item has no saved versions yet.")
        older = (
            self._record(records, request.GET.get("from"))
            or records.filter(history_date__lt=newer.history_date).first()
        )
        names = [f.name for f in newer.tracked_fields if f.editable and not f.is_relation]
        changes = []
        if older is not None:
            changes = field_changes(
                self.model,
                {name: getattr(older, name) for name in names},
                {name: getattr(newer, name) for name in names},
                names,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"What changed: {obj}",
            "opts": self.model._meta,
            "object": obj,
            "older": older,
            "newer": newer,
            "changes": changes,
            "history_url": admin_url(self.model, "history", obj.pk),
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/content/compare.html", context)

    @staticmethod
    def _record(records, history_id):
        if history_id and str(history_id).isdigit():
            return get_object_or_404(records, history_id=int(history_id))
        return None


def restore_sections_deleted_with(page: Page, user) -> None:
    """Bring back the sections that were deleted together with `page` (a page is one document)."""
    deletion = page.history.filter(history_type="-").order_by("-history_date").first()
    if deletion is None:
        return
    records = Section.history.filter(
        page_id=page.pk,
        history_type="-",
        history_date__gte=deletion.history_date - timedelta(minutes=1),
        history_date__lte=deletion.history_date,
    ).order_by("-history_date")
    restored = set(Section.objects.filter(page=page).values_list("pk", flat=True))
    for record in records:
        if record.id in restored:
            continue
        restored.add(record.id)
        section = record.instance
        section._history_user = user
        section._change_reason = "Restored with its page"
        section.save()


class PageDocumentAdmin(HistoryAdmin):
    """A page and its sections are one document: one history, one difference, one restore."""

    def history_view(self, request, object_id, extra_context=None):
        """A page and its sections are one document with one history: every save of either,
        each with what it changed and a way back; deleted sections are listed too."""
        if not str(object_id).isdigit():
            raise Http404("No such page.")
        existing = Section.objects.filter(page_id=object_id).values("pk")
        deleted = (
            Section.history.filter(page_id=object_id, history_type="-")
            .exclude(id__in=existing)
            .select_related("history_user")
            .order_by("-history_date")
        )
        extra_context = {
            **(extra_context or {}),
            "deleted_sections": deleted,
            "timeline": documents.timeline(int(object_id)),
        }
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        document = item_path(self, "history/document", self.document_view, "document")
        return [document, *super().get_urls()]

    def document_view(self, request, object_id):
        """One moment of the page's history: what that save changed, and a restore of the whole
        page (its fields and its sections) to how it was right after it."""
        page = self.get_object(request, object_id)
        if page is None:
            raise Http404("No such page.")
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        try:
            moment = datetime.fromisoformat(request.GET.get("at", ""))
        except ValueError:
            raise Http404("No such moment in this page's history.") from None
        if timezone.is_naive(moment):
            raise Http404("No such moment in this page's history.")
        target = documents.snapshot_at(page.pk, moment)
        if target.page is None:
            raise Http404("The page did not exist at that moment.")
        can_restore = self.has_change_permission(request, page)
        if request.method == "POST" and can_restore and request.POST.get("confirm") == "yes":
            if revisions.is_staged(page):
                revision = revisions.stage_document(page, target, request.user)
                audit.record(AuditAction.RESTORED, request.user, page, revision, "For review")
                self.message_user(
                    request,
                    "The page and its sections as they were then are now its pending change: "
                    "submit it for medical review to put them back on the site.",
                )
                return HttpResponseRedirect(admin_url(self.model, "change", page.pk))
            documents.restore(page, target, request.user)
            audit.record(AuditAction.RESTORED, request.user, page, comment="Page and sections")
            self.message_user(request, "The page and its sections are back as they were then.")
            return HttpResponseRedirect(admin_url(self.model, "change", page.pk))
        before = documents.snapshot_at(page.pk, moment - timedelta(microseconds=1))
        context = {
            **self.admin_site.each_context(request),
            "title": f"“{page}” on {date_format(timezone.localtime(moment), 'DATETIME_FORMAT')}",
            "opts": self.model._meta,
            "object": page,
            "saved_changes": documents.document_changes(before, target),
            "restore_changes": documents.document_changes(documents.current_snapshot(page), target),
            "can_restore": can_restore,
            "history_url": admin_url(self.model, "history", page.pk),
        }
        return TemplateResponse(request, "admin/content/page_document.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.restoring_deleted:
            restore_sections_deleted_with(obj, request.user)


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
            items.append(
                DeletedItem(
                    kind=str(model._meta.verbose_name).capitalize(),
                    title=str(record.instance),
                    deleted_on=record.history_date,
                    deleted_by=(
                        record.history_user.get_username() if record.history_user else "the system"
                    ),
                    restore_url=admin_url(model, "simple_history", record.id, record.history_id),
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
