"""The audit trail: every submission, send-back, approval, publication, withdrawal, restore and
discarded change.

Records are append-only (`AuditEvent` refuses updates and deletes); the admin lists them per item
and site-wide, read-only for everyone.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html

from content.models import AuditEvent, Revision


def record(action: str, user, obj, revision: Revision | None = None, comment: str = "") -> None:
    """Keep one event: who (`user`, None for the system) did `action` to `obj`."""
    AuditEvent.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        label=str(obj)[:200],
        revision=revision,
        comment=comment,
    )


def record_for_revision(action: str, user, revision: Revision, comment: str = "") -> None:
    """Keep one event about a revision's item, even when the item itself is gone."""
    AuditEvent.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        content_type_id=revision.content_type_id,
        object_id=revision.object_id,
        label=revision.label,
        revision=revision,
        comment=comment,
    )


def item_events_url(obj) -> str:
    """The audit list filtered to one item (a link on its edit page)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return (
        f"{reverse('admin:content_auditevent_changelist')}"
        f"?content_type__id__exact={content_type.pk}&object_id={obj.pk}"
    )


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Records nobody adds, changes or deletes from the admin, superusers included."""

    class Media:
        css = {"all": ["content/admin/admin.css"]}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditEventAdmin(ReadOnlyRecordAdmin):
    list_display = ("at", "action", "label", "kind", "user", "revision_link", "comment")
    list_filter = ("action", "at", ("content_type", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "at"
    search_fields = ("label", "comment", "user__username")
    list_select_related = ("user", "content_type", "revision")

    @admin.display(description="kind of item", ordering="content_type")
    def kind(self, event):
        return str(event.content_type.model_class()._meta.verbose_name).capitalize()

    @admin.display(description="change")
    def revision_link(self, event):
        if event.revision_id is None:
            return "–"
        url = reverse("admin:content_revision_review", args=[event.revision_id])
        return format_html('<a href="{}">See the change</a>', url)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in {"content_type__id__exact", "object_id"} or super().lookup_allowed(
            lookup, value, request
        )
