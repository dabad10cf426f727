"""Optimistic locking: a save is refused when someone else saved the item after the form opened.

Every versioned item carries a number that goes up on each save (`Versioned.version`). An edit
form sends back the number it was opened with; `save_if_unchanged` compares it with the stored
number under a row lock, inside the admin's transaction, so two saves at the same moment are
checked one after the other. The refused editor sees their own text again, with the difference.
"""

from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from .diffs import FieldChange, field_changes


class EditConflict(Exception):
    """Raised when an item changed after the edit form was opened."""


def save_if_unchanged(obj: models.Model, expected_version: int | None) -> None:
    """Save `obj` only if its stored version is still `expected_version`."""
    with transaction.atomic():
        current = (
            type(obj)
            ._default_manager.select_for_update()
            .filter(pk=obj.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None or current != expected_version:
            raise EditConflict(f"{obj!r}: expected version {expected_version}, found {current}")
        obj.version = current
        obj.save()


@dataclass
class Conflict:
    """What an editor needs to know when their save was refused."""

    message: str
    changes: list[FieldChange] = field(default_factory=list)
    title: str = ""


def _last_change(obj: models.Model) -> tuple[str, str]:
    """Who saved `obj` last and when, in words, from its history."""
    record = obj.history.select_related("history_user").first()
    if record is None:
        return "someone", "a moment ago"
    when = date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    if record.history_user is None:
        reason = record.history_change_reason or ""
        if reason.startswith("Loaded from") or not reason:
            return "the content loader (system)", when
        return f"the site itself ({reason.lower()})", when
    return str(record.history_user.get_username()), when


def describe_conflict(
    current: models.Model, submitted: dict, names: list[str], editor=None
) -> Conflict:
    """Compare the stored item with the editor's submitted values (both by field name)."""
    opts = current._meta
    stored = {name: getattr(current, opts.get_field(name).attname) for name in names}
    changes = field_changes(type(current), stored, submitted, names)
    who, when = _last_change(current)
    if editor is not None and who == editor.get_username():
        who = f"you ({who}), in another window or with an earlier click on Save,"
    thing = f"{opts.verbose_name} “{current}”"
    if not changes:
        message = (
            f"This {thing} was already saved by {who} at {when}, with exactly the text in this "
            "form (perhaps Save was clicked twice). Nothing is lost and nothing more needs saving."
        )
    else:
        message = (
            f"This {thing} was changed by {who} at {when}, after you opened it. Your edit has "
            "not been saved, and your text is still in the form. Compare the saved version with "
            "yours below, keep what you need, then save again."
        )
    return Conflict(message=message, changes=changes, title=str(current))
