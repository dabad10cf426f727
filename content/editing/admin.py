"""What every content admin shares (docs/editing.md); content/admin.py registers the models.

- history, differences between versions and restore (content/editing/history.py);
- the edit-version check (content/editing/locking.py), so a second save never overwrites the first;
- Markdown checks with plain messages (content/editing/checks.py) and the reading grade;
- the status is never a form field: "Save and publish" and the list actions change it.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField

from content.markdown.readability import (
    describe_saved_grades,
    grade_target,
    grade_text,
    is_above_target,
)
from content.models import Status

from .forms import EditForm, VersionedInlineFormSet
from .history import HistoryAdmin
from .locking import EditConflict, save_if_unchanged
from .publishing import PublishingAdmin, admin_url, publish_selected, unpublish_selected
from .reviews import ReviewDueFilter
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
PUBLISHABLE_LIST = ("status_label", "last_reviewed", "review_due")
PUBLISHABLE_FILTERS = ("status", ReviewDueFilter, "needs_verification")


def time_zone_label() -> str:
    """The site's time zone in words: "New York time" for America/New_York. The admin shows and
    reads every time in it, and says so, instead of Django's "You are 5 hours ahead of server
    time" on each date field (hidden in admin.css; docs/editing.md)."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ") + " time"


class MarkdownEditor:
    """Markdown fields get the editor with the live preview, set up from the model's declaration;
    a date-and-time field says which time zone its time is in."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, MarkdownxField):
            kwargs["widget"] = EditorMarkdownWidget(db_field.model.markdown_text)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            zone = f"The time is {time_zone_label()}."
            field.help_text = f"{field.help_text} {zone}".strip()
        return field


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

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        first = fieldsets[0][1]
        first["fields"] = [*first["fields"], "edit_version", "edit_seen"]
        return fieldsets

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
            obj._change_reason = "Published"
        if not change or form.restoring_deleted:
            obj.save()  # a new item, or a deleted one brought back from its history
        elif form.has_changed() or form.changes_status:
            save_if_unchanged(obj, form.expected_version)
        # Otherwise nothing of the item itself was edited here (only its sections, perhaps):
        # re-saving it from this form could undo someone else's change to it.

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
        """After saving: one short note when a text is above the reading-grade target (which is
        hardest, and how many), and any Markdown warnings."""
        grades = []
        text = getattr(self.model, "markdown_text", None)
        if text is not None:
            label = form.fields[text.name].label if text.name in form.fields else text.name
            grades.append((f"the {str(label).lower()}", form.instance.reading_grade))
        warnings = list(form.markdown_warnings)
        for formset in formsets:
            for inline_form in formset.forms:
                instance = inline_form.instance
                if instance.pk is None or not hasattr(instance, "reading_grade"):
                    continue
                grades.append((f"“{instance}”", instance.reading_grade))
                warnings += getattr(inline_form, "markdown_warnings", [])
        if note := describe_saved_grades(grades):
            self.message_user(request, note, messages.WARNING)
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


def grade_label(grade: float | None):
    if grade is None:
        return "Too short to grade"
    if is_above_target(grade):
        high = '<span class="grade grade--high">{} (above {})</span>'
        return format_html(high, grade_text(grade), grade_target())
    return format_html('<span class="grade">{}</span>', grade_text(grade))


class VersionedInline(MarkdownEditor, admin.StackedInline):
    """An inline whose forms are checked like the main form (version and Markdown)."""

    formset = VersionedInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"editor": request.user})
        return formset
