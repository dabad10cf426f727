"""Admin edit forms: the version check (no lost update) and the Markdown checks."""

import datetime
import hashlib

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from content.models import OnExpiry, Section, Status, active_claim_rules

from .checks import check_markdown, claim_messages, plain_texts
from .locking import describe_conflict, save_if_unchanged
from .publishing import required_reason, section_problems
from .revisions import current_part, overlay_section, staged_section_forms
from .schedule import SITE_TIME, expiry_problem, go_live_problem

CLOCK_CHANGE = (
    f"The clocks change at this hour on this day ({SITE_TIME}), so this time is missing or "
    "happens twice. Choose a time before 1:00 or from 3:00 on."
)


def fingerprint(value) -> str:
    """A short digest of a field value, the same for what the form showed and what came back."""
    if isinstance(value, models.Model):
        value = value.pk
    elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(datetime.UTC)  # as stored, and as the form read it back
    elif isinstance(value, list | tuple | models.QuerySet):
        value = sorted(str(getattr(item, "pk", item)) for item in value)
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").strip()
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class GoLiveWidget(AdminSplitDateTime):
    """The admin's date and time boxes (with its calendar and clock), each box labelled.

    Widgets are drawn by Django's form renderer, which finds templates in the apps only, so this
    one lives in content/templates/ rather than in the project's templates/.
    """

    template_name = "content/widgets/go_live.html"


class GoLiveField(forms.SplitDateTimeField):
    """The "go live at" date and time, in the site's time zone, with plain messages."""

    widget = GoLiveWidget
    default_error_messages = {
        "invalid_date": "Enter a real date, such as 2026-12-24.",
        "invalid_time": "Enter a time such as 09:30 or 14:30 (24-hour clock).",
        "incomplete": "Enter both the date and the time.",
    }

    def compress(self, data_list):
        if data_list and len([part for part in data_list if part in self.empty_values]) == 1:
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            return super().compress(data_list)
        except ValidationError as error:
            if getattr(error, "code", None) == "ambiguous_timezone":
                raise ValidationError(CLOCK_CHANGE, code="clock_change") from error
            raise


class EditForm(forms.ModelForm):
    """A model form that refuses out-of-date saves and checks the Markdown text its model declares
    (`MarkdownText`: the level of the heading the text sits under decides the headings allowed).

    The form carries the version it was opened with (`edit_version`) and a digest of each value
    it showed (`edit_seen`). A field counts as edited only when the editor changed it in this
    form, so an untouched form (a section nobody edited here) is neither saved nor a conflict,
    even when someone else changed that item meanwhile.
    """

    editor = None  # the logged-in user, set by the admin for the conflict message
    restoring = False  # set by the admin when an earlier or deleted version is brought back
    restoring_deleted = False  # set by the admin when a deleted item is brought back
    # Set by the admin: False only for a draft that stays a draft. Words that may not be published
    # are then a warning (the draft is saved, nothing is lost); otherwise they stop the save.
    goes_public = True
    staged = False  # set by the admin when the save goes into a pending revision

    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)
    edit_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    # In a pending revision, the key of a section that exists only there ("new-...").
    edit_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = str(
            self.initial.get("edit_version", self.instance.version)
        )
        self.fields["edit_seen"].initial = self._digest(
            {name: self.get_initial_for_field(self.fields[name], name) for name in self._names}
        )
        self.conflict = None
        self.edited_fields: list[str] | None = None
        self.markdown_warnings: list[str] = []

    @property
    def _names(self) -> list[str]:
        # The form's own fields: not the ones a formset adds later (id, the parent, DELETE).
        return [name for name in self.base_fields if not name.startswith("edit_")]

    @staticmethod
    def _digest(values: dict) -> str:
        return ",".join(f"{name}:{fingerprint(value)}" for name, value in values.items())

    def _seen(self) -> dict[str, str] | None:
        """The digests the form was opened with, or None if they did not come back whole."""
        raw = self.cleaned_data.get("edit_seen") or ""
        seen = dict(part.partition(":")[::2] for part in raw.split(",") if ":" in part)
        return seen if set(seen) == set(self._names) else None

    @property
    def is_change(self) -> bool:
        if self.staged and self.stage_key.startswith("new-"):
            return True
        return self.instance.pk is not None and not self.instance._state.adding

    @property
    def stage_key(self) -> str:
        """Where this form's values live in a pending revision: "" for the item's own fields,
        else the section's key (its id, or "new-..." for a section added in the revision)."""
        data = getattr(self, "cleaned_data", None) or {}
        key = data.get("edit_key") or self.initial.get("edit_key") or ""
        if key:
            return key
        if self._meta.model is Section and self.instance.pk is not None:
            return str(self.instance.pk)
        return ""

    def _current(self):
        """The stored values this form must be compared with: the live row, or the part of the
        pending revision this form edits."""
        if self.staged:
            return current_part(self.instance, self.stage_key)
        return type(self.instance)._default_manager.filter(pk=self.instance.pk).first()

    @property
    def expected_version(self) -> int | None:
        try:
            return int(self.cleaned_data.get("edit_version") or "")
        except ValueError:
            return None

    def has_changed(self) -> bool:
        if self.edited_fields is None:
            return super().has_changed()
        return bool(self.edited_fields)

    def clean(self) -> dict:
        cleaned = super().clean()
        text = getattr(self._meta.model, "markdown_text", None)
        if text is not None and cleaned.get(text.name) is not None:
            cleaned[text.name] = value = cleaned[text.name].replace("\r\n", "\n")
            findings = check_markdown(value, text.heading_level)
            for error in findings.errors:
                self.add_error(text.name, error)
            self.markdown_warnings += findings.warnings
            self._report_claims(text.name, findings.claims)
        markdown_name = text.name if text is not None else ""
        rules = None
        for name in self._names:
            if name != markdown_name and plain_texts({name: cleaned.get(name)}):
                rules = active_claim_rules() if rules is None else rules
                self._report_claims(name, claim_messages(cleaned[name], rules=rules))
        if "expires_on" in self.fields:
            self._check_schedule(cleaned)
        if self.is_change:
            self.edited_fields = self._edited_fields(cleaned)
            if self.edited_fields or cleaned.get("DELETE"):
                self._check_version()
        return cleaned

    def _report_claims(self, name: str, claims: list[str]) -> None:
        if self.cleaned_data.get("DELETE"):
            return
        for claim in claims:
            if self.goes_public:
                self.add_error(
                    name,
                    f"{claim} Change these words: this text is public, or you chose to publish "
                    "it. (A draft may keep them until it is published.)",
                )
            elif self.staged:
                self.markdown_warnings.append(
                    "Saved as a change waiting for medical review, but it cannot be submitted "
                    f"or published with these words: {claim}"
                )
            else:
                self.markdown_warnings.append(
                    f"Saved as a draft, but it cannot be published with these words: {claim}"
                )

    def _check_schedule(self, cleaned: dict) -> None:
        """A new expiry date from today on, nothing published that would expire at once, and a
        "go live at" time in the future on a draft with no Markdown errors."""
        changed = set(self.changed_data)
        expires = cleaned.get("expires_on")
        if changed & {"expires_on", "on_expiry"}:
            self.instance.expired_at = None  # the new date or choice is acted on afresh
        problem = expiry_problem(expires) if expires and "expires_on" in changed else None
        if (
            problem is None
            and self.goes_public
            and getattr(self.instance, "status", None) == Status.DRAFT
            and expires
            and expires <= timezone.localdate()
            and cleaned.get("on_expiry") == OnExpiry.TAKE_OFFLINE
        ):
            problem = (
                "This date has passed, so it would be taken offline again at once. Set a later "
                "date, or leave it empty, before you submit it for review."
            )
        if problem:
            self.add_error("expires_on", problem)
        if cleaned.get("on_expiry") == OnExpiry.TAKE_OFFLINE and self.is_change:
            reason = required_reason(self.instance)
            if reason:
                self.add_error("on_expiry", reason)
        moment = cleaned.get("publish_at")
        if moment:
            problem = self._go_live_problem(moment, expires)
            if problem:
                self.add_error("publish_at", problem)

    def _go_live_problem(self, moment, expires) -> str | None:
        problem = go_live_problem(moment)
        if problem:
            return problem
        if expires and timezone.localdate(moment) >= expires:
            return "This is on or after the expiry date below, so it would go live expired."
        text = getattr(self._meta.model, "markdown_text", None)
        if (text and text.name in self.errors) or section_problems(self.instance):
            return (
                "A draft can be scheduled only when its text has no errors. Fix the errors "
                "marked on this page (or in its sections), then set the time again."
            )
        return None

    def _edited_fields(self, cleaned: dict) -> list[str]:
        names = [name for name in self._names if name in cleaned]
        seen = self._seen()
        if self.restoring or seen is None:
            return names
        return [name for name in names if fingerprint(cleaned[name]) != seen[name]]

    def _check_version(self) -> None:
        current = self._current()
        if current is None and self.restoring_deleted:
            return
        if current is None:
            raise ValidationError(
                "Someone deleted this item while you were editing it, so it cannot be saved. "
                "Your text is still below: copy what you need before you leave this page.",
                code="deleted",
            )
        if self.expected_version == current.version:
            return
        names = [name for name in self._names if name in self.cleaned_data]
        submitted = {name: self.cleaned_data[name] for name in names}
        self.conflict = describe_conflict(current, submitted, names, editor=self.editor)
        # The form now carries the stored version, and the stored values of every field this
        # editor did not change: saving again, after reading the difference, is a deliberate
        # choice to keep this text, and cannot undo the other editor's other changes.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = str(current.version)
        stored = forms.models.model_to_dict(current, fields=names)
        for name in names:
            if name not in (self.edited_fields or names):
                self.data[self.add_prefix(name)] = self.fields[name].prepare_value(stored[name])
        self.data[self.add_prefix("edit_seen")] = self._digest(stored)
        raise ValidationError(self.conflict.message, code="edit_conflict")


class SectionForm(EditForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        deleting = cleaned.get("DELETE")
        if not deleting and not (cleaned.get("body") or "").strip() and not cleaned.get("figure"):
            self.add_error("body", "This section is empty. Write its text, or choose a picture.")
        return cleaned


class VersionedInlineFormSet(BaseInlineFormSet):
    """Inline forms are checked like the main form; a section to delete is checked as well.

    Only the sections edited in this form are saved, each under the same row-locked version
    check as a save from the section's own page, so one lock covers every path that writes it.
    """

    def __init__(self, *args, staged_revision=None, **kwargs) -> None:
        self.staged_revision = staged_revision
        if staged_revision is not None:
            kwargs["initial"] = staged_section_forms(staged_revision)
        super().__init__(*args, **kwargs)
        if staged_revision is not None:
            self.extra = max(self.extra, len(kwargs["initial"]))

    def get_queryset(self):
        """On a page with a pending revision: its sections as the revision has them."""
        if self.staged_revision is None:
            return super().get_queryset()
        if not hasattr(self, "_staged_objects"):
            parts = self.staged_revision.data.get("sections", {})
            objects = []
            for section in super().get_queryset():
                part = parts.get(str(section.pk))
                if part is not None and part.get("deleted"):
                    continue
                if part is not None:
                    overlay_section(section, part)
                objects.append(section)
            self._staged_objects = sorted(objects, key=lambda s: (s.order, s.pk))
        return self._staged_objects

    def save_existing(self, form, obj, commit=True):
        obj = form.save(commit=False)
        if commit:
            save_if_unchanged(obj, form.expected_version)
        return obj

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form) and getattr(form, "conflict", None):
                raise ValidationError(
                    f"The section “{form.conflict.title}” was changed by someone else after you "
                    "opened this page, so it was not deleted. Read it again, then delete it if "
                    "you still want to."
                )
