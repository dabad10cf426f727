"""Admin edit forms: the version check (no lost update) and the Markdown checks."""

from django import forms
from django.core.exceptions import ValidationError

from .checks import check_markdown
from .locking import describe_conflict


class EditForm(forms.ModelForm):
    """A model form that refuses out-of-date saves and checks the Markdown it carries.

    `markdown_fields` maps each Markdown field to the level of the heading its text sits under
    on the public page (1 under the page title, 2 under a section heading).
    """

    markdown_fields: dict[str, int] = {}
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
        for name, parent_level in self.markdown_fields.items():
            value = cleaned.get(name)
            if value is None:
                continue
            cleaned[name] = value = value.replace("\r\n", "\n")
            findings = check_markdown(value, parent_level)
            for error in findings.errors:
                self.add_error(name, error)
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
    markdown_fields = {"body": 2}

    def clean(self) -> dict:
        cleaned = super().clean()
        deleting = cleaned.get("DELETE")
        if not deleting and not (cleaned.get("body") or "").strip() and not cleaned.get("figure"):
            self.add_error("body", "This section is empty. Write its text, or choose a picture.")
        return cleaned
