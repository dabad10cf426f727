"""Every saved version, what changed between two of them, and restoring one (django-simple-history).

A restore is saved like an edit, through the version check (content/editing/locking.py), so it
never overwrites a save made while the old version was on screen.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from .diffs import field_changes
from .locking import EditConflict
from .publishing import admin_url, item_path


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


def deleted_children(model, parent_field: str, parent_id):
    """History records of deleted children (a page's sections), newest first, for a way back."""
    if not str(parent_id).isdigit():
        return []
    existing = model.objects.filter(**{parent_field: parent_id}).values("pk")
    return (
        model.history.filter(**{parent_field: parent_id}, history_type="-")
        .exclude(id__in=existing)
        .select_related("history_user")
        .order_by("-history_date")
    )
