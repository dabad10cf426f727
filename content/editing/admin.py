"""What every content admin shares (docs/editing.md); content/admin.py registers the models.

- history, differences between versions and restore (content/editing/history.py);
- the edit-version check (content/editing/locking.py), so a second save never overwrites the first;
- Markdown checks with plain messages (content/editing/checks.py) and the reading grade;
- the status is never a form field: only an approved revision publishes (content/editing/
  signoff.py), and "Save, then take offline…" withdraws;
- edits to live content are staged in a pending revision (content/editing/revisions.py).
"""

from uuid import uuid4

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from markdownx.models import MarkdownxField

from content.markdown.readability import (
    describe_saved_grades,
    grade_target,
    grade_text,
    is_above_target,
)
from content.models import AuditAction, Section, Snippet, Status

from . import audit, revisions, signoff
from .forms import EditForm, GoLiveField, GoLiveWidget, VersionedInlineFormSet
from .history import HistoryAdmin
from .locking import EditConflict, save_if_unchanged
from .publishing import PublishingAdmin, admin_url, unpublish_selected
from .reviews import ReviewDueFilter, ScheduleFilter
from .schedule import expiry_outcome, site_time
from .widgets import EditorMarkdownWidget

REVIEW_FIELDSET = (
    "Medical review",
    {
        "fields": (
            "medically_reviewed_on",
            "reviewed_by",
            "approval_code",
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


def attrs_restoring(request) -> bool:
    return getattr(request, "restoring_version", False)


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
            "goes_public": goes_public(request, obj, self.model),
            "staged": revisions.is_staged(obj) and not attrs_restoring(request),
        }
        return type(form.__name__, (form,), attrs)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if getattr(request, "editing_change_form", False) and revisions.is_staged(obj):
            # The edit form shows the pending change, if there is one, not the live item.
            revision = revisions.pending_revision(obj)
            if revision is not None:
                revisions.overlay(obj, revision.data)
            obj.pending_revision = revision
        return obj

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        revision = getattr(obj, "pending_revision", None)
        if revision is not None and inline.model is Section:
            kwargs["staged_revision"] = revision
        return kwargs

    def get_formsets_with_inlines(self, request, obj=None):
        staged = revisions.is_staged(obj) and not attrs_restoring(request)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if staged:
                formset.form = type(formset.form.__name__, (formset.form,), {"staged": True})
            yield formset, inline

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
        first["fields"] = [*first["fields"], "edit_version", "edit_seen", "edit_key"]
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
        actions[unpublish_selected.__name__] = self.get_action(unpublish_selected)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["is_publishable"] = hasattr(self.model, "status")
        context["is_published"] = obj is not None and getattr(obj, "status", "") == Status.PUBLISHED
        context["is_staged"] = revisions.is_staged(obj)
        context["is_reviewed_model"] = self.model in revisions.STAGED_MODELS
        revision = getattr(obj, "pending_revision", None)
        context["pending_revision"] = revision
        if revision is not None:
            context["revision_url"] = admin_url(type(revision), "review", revision.pk)
            context["discard_url"] = admin_url(type(revision), "discard", revision.pk)
            context["can_discard"] = signoff.discard_refusal(revision, request.user) is None
        if obj is not None and obj.pk is not None and context["is_reviewed_model"]:
            context["events_url"] = audit.item_events_url(obj)
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
        # Only an approval sets these (the other reviewed kinds keep their review date editable).
        signed = revisions.SIGNED_FIELDS if self.model in revisions.STAGED_MODELS else ()
        if hasattr(self.model, "approval_code"):
            signed = {*signed, "approval_code"}
        readonly += [name for name in signed if name not in readonly]
        if obj is not None and self.required_key_field and self.required_reason(obj):
            readonly.append(self.required_key_field)
        return readonly

    # Saving -----------------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request.editing_change_form = True
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between this form's check and its save (a double click, say). The
            # transaction was rolled back; checking the same form again now shows the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        restoring = getattr(request, "restoring_version", False)
        if form.staged or (restoring and revisions.is_staged(self._live(obj))):
            self._stage_main_form(request, obj, form, restoring)
            return
        if form.restoring_deleted:
            comment = bring_back_as_draft(obj)
            request.restored_as_draft = hasattr(obj, "status") or isinstance(obj, Snippet)
            obj.save()
            audit.record(AuditAction.RESTORED, request.user, obj, comment=comment)
        elif not change:
            if isinstance(obj, Snippet):
                obj.public = False  # a new site-wide text waits for medical review
            obj.save()
        elif form.has_changed():
            save_if_unchanged(obj, form.expected_version)
        # Otherwise nothing of the item itself was edited here (only its sections, perhaps):
        # re-saving it from this form could undo someone else's change to it.
        if restoring and change and not form.restoring_deleted:
            audit.record(AuditAction.RESTORED, request.user, obj, comment="From its history")
        if getattr(obj, "publish_at", None) and obj.status == Status.DRAFT:
            self.message_user(
                request,
                f"Scheduled: it goes live on {site_time(obj.publish_at)} once a medical "
                "reviewer approves it.",
            )

    def _live(self, obj):
        return self.model._default_manager.filter(pk=obj.pk).first() if obj.pk else None

    def _stage_main_form(self, request, obj, form, restoring: bool) -> None:
        """A live item's edit goes into its pending revision; the inline forms add theirs in
        save_formset, and save_related writes them all at once under the revision's lock."""
        names = revisions.staged_field_names(self.model)
        if restoring:
            values = {name: getattr(obj, name) for name in names}
            revision = revisions.stage(obj, [revisions.StagedPart("", values, None)], request.user)
            audit.record(
                AuditAction.RESTORED, request.user, obj, revision, "From its history, for review"
            )
            return
        edited = [name for name in (form.edited_fields or []) if name in names]
        request.staged_parts = []
        if edited:
            values = {name: form.cleaned_data[name] for name in edited}
            request.staged_parts.append(revisions.StagedPart("", values, form.expected_version))

    def save_formset(self, request, form, formset, change):
        if getattr(request, "staged_parts", None) is not None and formset.model is Section:
            request.staged_parts += self._staged_sections(formset)
            # Nothing was saved: the admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        for inline_form in formset.forms:
            inline_form.instance._history_user = request.user
        super().save_formset(request, form, formset, change)

    @staticmethod
    def _staged_sections(formset) -> list:
        parts = []
        for inline_form in formset.forms:
            deleting = formset._should_delete_form(inline_form)
            if not inline_form.has_changed() and not deleting:
                continue
            key = inline_form.stage_key
            if deleting:
                if key:
                    parts.append(
                        revisions.StagedPart(key, {}, inline_form.expected_version, deleted=True)
                    )
                continue
            names = [n for n in revisions.SECTION_FIELDS if n in inline_form.cleaned_data]
            if key:
                edited = [n for n in (inline_form.edited_fields or names) if n in names]
                values = {name: inline_form.cleaned_data[name] for name in edited}
                parts.append(revisions.StagedPart(key, values, inline_form.expected_version))
            else:
                values = {name: inline_form.cleaned_data[name] for name in names}
                parts.append(revisions.StagedPart(f"new-{uuid4().hex[:10]}", values, None))
        return parts

    def save_related(self, request, form, formsets, change):
        parts = getattr(request, "staged_parts", None)
        if parts is not None:
            for formset in formsets:
                self.save_formset(request, form, formset, change)
            if parts:
                form.instance.pending_revision = revisions.stage(form.instance, parts, request.user)
                self.message_user(
                    request,
                    "Saved as a pending change: the public still sees the approved version "
                    "until a medical reviewer approves it.",
                    messages.INFO,
                )
            elif not {"_submit", "_unpublish"} & set(request.POST):
                self.message_user(
                    request, "Nothing was changed, so nothing was saved.", messages.INFO
                )
            warnings = list(form.markdown_warnings)
            for formset in formsets:
                for inline_form in formset.forms:
                    warnings += getattr(inline_form, "markdown_warnings", [])
            for warning in warnings:
                self.message_user(request, warning, messages.WARNING)
            return
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

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # After a live item's edit is kept as a pending change, Django's own "was changed
        # successfully" (naming the item by its edited title) would say the opposite of the
        # truth: the public page did not change. Ours says what happened.
        if level == messages.SUCCESS and getattr(request, "staged_parts", None) is not None:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def response_change(self, request, obj):
        if "_unpublish" in request.POST:
            return HttpResponseRedirect(admin_url(self.model, "take_offline", obj.pk))
        if "_submit" in request.POST and self.model in revisions.STAGED_MODELS:
            return self._submit(request, obj)
        return super().response_change(request, obj)

    def _submit(self, request, obj):
        """Send the item's pending change (or, for a draft, the draft as saved) for review."""
        live = self._live(obj)
        if revisions.is_staged(live):
            revision = revisions.pending_revision(live)
            if revision is None and getattr(live, "needs_verification", False):
                # Nothing to change, but a medical reviewer must check the text again (a fact
                # it uses changed): the reviewer approves it as it is.
                revision = revisions.refresh_from_live(live, request.user)
        else:
            revision = revisions.refresh_from_live(live, request.user)
        if revision is None:
            self.message_user(
                request,
                "There is no change to submit: the form matches the live version. (A text "
                "marked “to be verified by medical review” can be submitted unchanged.)",
                messages.WARNING,
            )
            return HttpResponseRedirect(admin_url(self.model, "change", obj.pk))
        try:
            signoff.submit(revision, request.user)
        except signoff.SignOffRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(admin_url(self.model, "change", obj.pk))
        self.message_user(
            request,
            "Submitted for medical review. The public page does not change until a reviewer "
            "approves it.",
        )
        return HttpResponseRedirect(admin_url(type(revision), "review", revision.pk))

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


def bring_back_as_draft(obj) -> str:
    """A deleted item comes back as a draft, whatever it was when deleted: nothing reaches the
    public again without a medical reviewer's sign-off. Returns the audit comment."""
    if isinstance(obj, Snippet):
        obj.public = False  # a site-wide text has no draft: it is hidden until approved
        return "Deleted site-wide text brought back, hidden until a medical reviewer approves it"
    if not hasattr(obj, "status"):
        return "Deleted item brought back"  # a section: it follows its page
    was = obj.get_status_display().lower()
    obj.status = Status.DRAFT
    return f"Deleted item brought back as a draft (it was {was}); it needs medical review"


def goes_public(request, obj, model) -> bool:
    """Whether a save puts the item's words on the way to the public: the editor submits them for
    medical review, or the item is public and its edits are not staged in a pending revision
    (words that may not be published then stop the save; otherwise they are a warning)."""
    if request.method == "POST" and "_submit" in request.POST:
        return True
    holder = getattr(obj, "page", None) if obj is not None and hasattr(obj, "page_id") else obj
    if holder is None:
        # A new item starts as a draft, if it has drafts; a new site-wide text waits for review.
        return not hasattr(model, "status") and model is not Snippet
    if revisions.is_staged(holder):
        return False  # the change waits in a pending revision: not public until approved
    return revisions.is_public(holder)


def schedule_notes(obj) -> list[str]:
    """What is planned for an item, or what its expiry did, in words (lists and the edit page)."""
    notes = []
    moment = getattr(obj, "publish_at", None)
    if moment and obj.status == Status.DRAFT:
        if moment > timezone.now():
            notes.append(f"Goes live on {site_time(moment)} once a medical reviewer approves it.")
        else:
            notes.append(
                f"Was to go live on {site_time(moment)}, but no medical reviewer approved it by "
                "then. Submit it for review; the reviewer chooses when it goes live."
            )
    expires = getattr(obj, "expires_on", None)
    if getattr(obj, "expired_at", None):
        notes.append(f"Expired on {date_format(expires)}. {expiry_outcome(obj)}")
    elif expires:
        notes.append(f"Expires on {date_format(expires)}.")
    return notes


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
        public = goes_public(request, obj, self.parent_model)
        attrs = {"editor": request.user, "goes_public": public}
        formset.form = type(formset.form.__name__, (formset.form,), attrs)
        return formset
