"""Admin edit forms: the version check (no lost update) and the Markdown checks."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .checks import check_markdown
from .locking import describe_conflict


class EditForm(forms.ModelForm):
    """A model form that refuses out-of-date saves and checks the Markdown text its model declares
    (`MarkdownText`: the level of the heading the text sits under decides the headings allowed)."""

    editor = None  # the logged-in user, set by the admin for the conflict message
    restoring_deleted = False  # set by the admin when a deleted item is brought back

    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version
        self.conflict = None
        self.markdown_warnings: list[str] = []

    @property
    def is_change(self) -> bool:
        return self.instance.pk is not None and not self.instance._state.adding

    @property
    def expected_version(self) -> int | None:
        try:
            return int(self.cleaned_data.get("edit_version") or "")
        except ValueError:
            return None

    def clean(self) -> dict:
        cleaned = super().clean()
        text = getattr(self._meta.model, "markdown_text", None)
        if text is not None and cleaned.get(text.name) is not None:
            cleaned[text.name] = value = cleaned[text.name].replace("\r\n", "\n")
            findings = check_markdown(value, text.heading_level)
            for error in findings.errors:
                self.add_error(text.name, error)
            self.markdown_warnings += findings.warnings
        if self.is_change:
            self._check_version()
        return cleaned

    def _check_version(self) -> None:
        current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
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
        names = [name for name in self._meta.fields or self.fields if name in self.cleaned_data]
        names = [name for name in names if name != "edit_version"]
        submitted = {name: self.cleaned_data[name] for name in names}
        self.conflict = describe_conflict(current, submitted, names, editor=self.editor)
        # The form now carries the stored version: saving again, after reading the difference,
        # is a deliberate choice to keep this text.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = str(current.version)
        raise ValidationError(self.conflict.message, code="edit_conflict")


class SectionForm(EditForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        deleting = cleaned.get("DELETE")
        if not deleting and not (cleaned.get("body") or "").strip() and not cleaned.get("figure"):
            self.add_error("body", "This section is empty. Write its text, or choose a picture.")
        return cleaned


class VersionedInlineFormSet(BaseInlineFormSet):
    """Inline forms are checked like the main form; a section to delete is checked as well."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form) and getattr(form, "conflict", None):
                raise ValidationError(
                    f"The section “{form.conflict.title}” was changed by someone else after you "
                    "opened this page, so it was not deleted. Read it again, then delete it if "
                    "you still want to."
                )
