"""What every content admin shares (docs/editing.md); content/admin.py registers the models.

- history, differences between versions and restore (content/editing/history.py);
- the edit-version check (content/editing/locking.py), so a second save never overwrites the first;
- Markdown checks with plain messages (content/editing/checks.py) and the reading grade;
- the status is never a form field: "Save and publish" and the list actions change it.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from markdownx.models import MarkdownxField

from content.markdown.readability import describe_grade, is_above_target
from content.models import Status

from .forms import EditForm, GoLiveField, GoLiveWidget, VersionedInlineFormSet
from .history import HistoryAdmin
from .locking import EditConflict, save_if_unchanged
from .publishing import PublishingAdmin, admin_url, publish_selected, unpublish_selected
from .reviews import ReviewDueFilter, ScheduleFilter
from .schedule import expiry_outcome, site_time
from .widgets import EditorMarkdownWidget

REVIEW_FIELDSET = (
    "Medical review",
    {
        "fields": (
            "medically_reviewed_on",
            "reviewed_by",
            "next_review_due",
            "needs_verification",
            "review_note",
        )
    },
)
PUBLISHABLE_LIST = ("status_label", "schedule", "last_reviewed", "review_due")
PUBLISHABLE_FILTERS = ("status", ScheduleFilter, ReviewDueFilter, "needs_verification")
SCHEDULE_FIELDSET_TITLE = "Schedule and expiry"
SITE_WIDE_EXPIRY_HELP = (
    "The date this text is no longer approved for use. On that date it is flagged for editors. "
    "Site-wide texts are never taken offline: pages need them. Leave empty if it does not expire."
)


class MarkdownEditor:
    """Markdown fields get the editor with the live preview, set up from the model's declaration."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, MarkdownxField):
            kwargs["widget"] = EditorMarkdownWidget(db_field.model.markdown_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ContentAdmin(MarkdownEditor, PublishingAdmin, HistoryAdmin):
    """What every content admin shares (see the module docstring)."""

    form = EditForm
    save_on_top = True

    class Media:
        css = {"all": ["content/admin/admin.css"]}

    # Forms ------------------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {
            "editor": request.user,
            "restoring": getattr(request, "restoring_version", False),
            "restoring_deleted": self._is_deleted(obj),
            "changes_status": request.method == "POST" and "_publish" in request.POST,
        }
        return type(form.__name__, (form,), attrs)

    def _is_deleted(self, obj) -> bool:
        """True for an item shown from its history after it was deleted (so it can come back)."""
        return obj is not None and not self.model._default_manager.filter(pk=obj.pk).exists()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "publish_at":
            kwargs |= {"form_class": GoLiveField, "widget": GoLiveWidget}
        if db_field.name == "expires_on" and not hasattr(self.model, "status"):
            kwargs["help_text"] = SITE_WIDE_EXPIRY_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        first = fieldsets[0][1]
        first["fields"] = [*first["fields"], "edit_version", "edit_seen"]
        schedule = self.schedule_fields(obj)
        if schedule:
            titles = [name for name, _ in fieldsets]
            where = titles.index(REVIEW_FIELDSET[0]) if REVIEW_FIELDSET[0] in titles else None
            fieldsets.insert(
                len(fieldsets) if where is None else where,
                (SCHEDULE_FIELDSET_TITLE, {"fields": schedule}),
            )
        return fieldsets

    def schedule_fields(self, obj) -> list[str]:
        """The form's scheduling fields: the time to go live (drafts only), the expiry date, and
        what the expiry does (only for items that can go offline)."""
        fields = []
        if hasattr(self.model, "publish_at") and (obj is None or obj.status == Status.DRAFT):
            fields.append("publish_at")
        if hasattr(self.model, "expires_on"):
            fields.append("expires_on")
        if hasattr(self.model, "status"):
            fields.append("on_expiry")
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not hasattr(self.model, "status") or not self.has_change_permission(request):
            return actions
        for action in (publish_selected, unpublish_selected):
            actions[action.__name__] = self.get_action(action)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["is_publishable"] = hasattr(self.model, "status")
        context["is_published"] = obj is not None and getattr(obj, "status", "") == Status.PUBLISHED
        forms = [context["adminform"].form]
        for inline in context.get("inline_admin_formsets", []):
            forms += inline.formset.forms
        context["conflicts"] = [form.conflict for form in forms if getattr(form, "conflict", None)]
        context["schedule_notes"] = schedule_notes(obj) if obj is not None else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if hasattr(self.model, "status"):
            readonly.append("status")
        if obj is not None and self.required_key_field and self.required_reason(obj):
            readonly.append(self.required_key_field)
        return readonly

    # Saving -----------------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between this form's check and its save (a double click, say). The
            # transaction was rolled back; checking the same form again now shows the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if hasattr(obj, "status") and "_publish" in request.POST:
            obj.status = Status.PUBLISHED
            obj.publish_at = None
            obj._change_reason = "Published"
        if not change or form.restoring_deleted:
            obj.save()  # a new item, or a deleted one brought back from its history
        elif form.has_changed() or form.changes_status:
            save_if_unchanged(obj, form.expected_version)
        # Otherwise nothing of the item itself was edited here (only its sections, perhaps):
        # re-saving it from this form could undo someone else's change to it.
        if getattr(obj, "publish_at", None) and obj.status == Status.DRAFT:
            self.message_user(request, f"Scheduled: it goes live on {site_time(obj.publish_at)}.")

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance._history_user = request.user
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and not form.has_changed() and any(fs.has_changed() for fs in formsets):
            # Its sections changed: the page's "last changed" date follows them.
            type(form.instance)._default_manager.filter(pk=form.instance.pk).update(
                updated_at=timezone.now()
            )
        self.report_on_text(request, form, formsets)

    def report_on_text(self, request, form, formsets) -> None:
        """After saving: the reading grade of each Markdown text, and any Markdown warnings."""
        notes, above = [], False
        text = getattr(self.model, "markdown_text", None)
        if text is not None:
            grade = form.instance.reading_grade
            label = form.fields[text.name].label if text.name in form.fields else text.name
            notes.append(f"{label}: {describe_grade(grade)}")
            above |= is_above_target(grade)
        warnings = list(form.markdown_warnings)
        for formset in formsets:
            for inline_form in formset.forms:
                instance = inline_form.instance
                if instance.pk is None or not hasattr(instance, "reading_grade"):
                    continue
                notes.append(f"“{instance}”: {describe_grade(instance.reading_grade)}")
                above |= is_above_target(instance.reading_grade)
                warnings += getattr(inline_form, "markdown_warnings", [])
        if notes:
            level = messages.WARNING if above else messages.INFO
            self.message_user(request, " ".join(notes), level)
        for warning in warnings:
            self.message_user(request, warning, messages.WARNING)

    def response_change(self, request, obj):
        if "_unpublish" in request.POST:
            return HttpResponseRedirect(admin_url(self.model, "take_offline", obj.pk))
        if "_publish" in request.POST and hasattr(obj, "get_absolute_url"):
            self.message_user(
                request,
                format_html(
                    'Published: it is public at <a href="{0}">{0}</a>.', obj.get_absolute_url()
                ),
            )
        return super().response_change(request, obj)

    # List columns -----------------------------------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        css = "published" if obj.status == Status.PUBLISHED else "draft"
        label = obj.get_status_display()
        return format_html('<span class="status status--{}">{}</span>', css, label)

    @admin.display(description="schedule and expiry")
    def schedule(self, obj):
        notes = schedule_notes(obj)
        return format_html_join(mark_safe("<br>"), "{}", ((note,) for note in notes)) or "–"

    @admin.display(description="last reviewed", ordering="medically_reviewed_on")
    def last_reviewed(self, obj):
        return obj.medically_reviewed_on or "Never"

    @admin.display(description="next review due", ordering="next_review_due")
    def review_due(self, obj):
        due = obj.next_review_due
        if due is None:
            return "Not set"
        if due < timezone.localdate():
            return format_html('<span class="overdue">Overdue since {}</span>', due)
        return due

    @admin.display(description="reading grade", ordering="reading_grade")
    def grade(self, obj):
        return grade_label(obj.reading_grade)


def schedule_notes(obj) -> list[str]:
    """What is planned for an item, or what its expiry did, in words (lists and the edit page)."""
    notes = []
    moment = getattr(obj, "publish_at", None)
    if moment and obj.status == Status.DRAFT:
        if moment > timezone.now():
            notes.append(f"Goes live on {site_time(moment)}.")
        else:
            notes.append(
                f"Due to go live on {site_time(moment)}, but not published yet. Open it: if "
                "its text has errors, fix them and set a new time."
            )
    expires = getattr(obj, "expires_on", None)
    if getattr(obj, "expired_at", None):
        notes.append(f"Expired on {date_format(expires)}. {expiry_outcome(obj)}")
    elif expires:
        notes.append(f"Expires on {date_format(expires)}.")
    return notes


def grade_label(grade: float | None):
    if grade is None:
        return "Too short"
    if is_above_target(grade):
        return format_html('<span class="grade grade--high">{} (above 8)</span>', grade)
    return format_html('<span class="grade">{}</span>', grade)


class VersionedInline(MarkdownEditor, admin.StackedInline):
    """An inline whose forms are checked like the main form (version and Markdown)."""

    formset = VersionedInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"editor": request.user})
        return formset
