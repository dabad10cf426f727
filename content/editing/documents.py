"""A page and its sections as one document: its state at any moment, the difference between two
states, one history, and one restore. Built on the history django-simple-history keeps of both.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.text import capfirst

from content.models import Page, Section

from .diffs import FieldChange, display_value, field_changes, text_diff

PAGE_FIELDS = ("title", "nav_title", "slug", "summary", "intro")
SECTION_FIELDS = ("order", "heading", "anchor", "body", "figure")


@dataclass
class Snapshot:
    """What a page said at one moment: its own fields and its sections (by id), or nothing."""

    page: dict | None
    sections: dict[int, dict] = field(default_factory=dict)

    def ordered_sections(self) -> list[tuple[int, dict]]:
        return sorted(self.sections.items(), key=lambda item: (item[1]["order"], item[0]))


@dataclass
class TimelineEntry:
    """One saved change to the document: to the page itself, or to one of its sections."""

    when: datetime
    who: str
    what: str
    reason: str
    changed: list[str]


def _values(record, names) -> dict:
    return {name: getattr(record, name) for name in names}


def _latest(records, moment: datetime) -> dict:
    """The newest record of each object at or before `moment`, by object id."""
    latest = {}
    for record in records.filter(history_date__lte=moment).order_by("history_date", "history_id"):
        latest[record.id] = record
    return latest


def snapshot_at(page_id: int, moment: datetime) -> Snapshot:
    page_record = _latest(Page.history.filter(id=page_id), moment).get(page_id)
    if page_record is None or page_record.history_type == "-":
        return Snapshot(page=None)
    sections = {
        section_id: _values(record, SECTION_FIELDS)
        for section_id, record in _latest(Section.history.filter(page_id=page_id), moment).items()
        if record.history_type != "-"
    }
    return Snapshot(page=_values(page_record, PAGE_FIELDS), sections=sections)


def current_snapshot(page: Page) -> Snapshot:
    return Snapshot(
        page={name: getattr(page, name) for name in PAGE_FIELDS},
        sections={
            section.pk: {name: getattr(section, name) for name in SECTION_FIELDS}
            for section in page.sections.all()
        },
    )


def _section_label(values: dict) -> str:
    return f"Section “{values['heading']}”"


def _whole_section(values: dict) -> str:
    figure = f"\n[picture: {values['figure']}]" if values["figure"] else ""
    return f"{values['heading']}\n\n{values['body']}{figure}"


def document_changes(before: Snapshot, after: Snapshot) -> list[FieldChange]:
    """Every difference between two states of a page: its fields, and each section's."""
    changes = field_changes(Page, before.page or {}, after.page or {}, list(PAGE_FIELDS))
    for change in changes:
        change.label = f"Page: {change.label}"
    ids = [section_id for section_id, _ in after.ordered_sections()]
    ids += [section_id for section_id in before.sections if section_id not in after.sections]
    for section_id in ids:
        old, new = before.sections.get(section_id), after.sections.get(section_id)
        if old is None:
            changes.append(
                FieldChange(f"{_section_label(new)} (added)", text_diff("", _whole_section(new)))
            )
        elif new is None:
            changes.append(
                FieldChange(f"{_section_label(old)} (deleted)", text_diff(_whole_section(old), ""))
            )
        else:
            for change in field_changes(Section, old, new, list(SECTION_FIELDS)):
                change.label = f"{_section_label(new)}: {change.label}"
                changes.append(change)
    return changes


def timeline(page_id: int) -> list[TimelineEntry]:
    """Every saved change to the page and to its sections, newest first."""
    entries = []
    sources = (
        (Page, "The page", PAGE_FIELDS, Page.history.filter(id=page_id)),
        (Section, "Section", SECTION_FIELDS, Section.history.filter(page_id=page_id)),
    )
    for model, kind, names, records in sources:
        previous = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            changed = []
            if record.history_type == "~" and before is not None:
                changed = [
                    capfirst(str(model._meta.get_field(name).verbose_name))
                    for name in names
                    if getattr(before, name) != getattr(record, name)
                ]
            previous[record.id] = record
            what = kind if model is Page else f"{kind} “{record.heading}”"
            entries.append(
                TimelineEntry(
                    when=record.history_date,
                    who=record.history_user.get_username() if record.history_user else "System",
                    what=f"{what}: {record.get_history_type_display().lower()}",
                    reason=record.history_change_reason or "",
                    changed=changed,
                )
            )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def restore(page: Page, target: Snapshot, user) -> None:
    """Make the page and its sections say what `target` says; the page keeps its status.

    Sections added since are deleted (they stay in "Recently deleted"); sections deleted since
    come back with their old id. Each change is saved, so it has its own history record.
    """
    reason = "Restored to an earlier version"
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        if any(getattr(page, name) != value for name, value in target.page.items()):
            for name, value in target.page.items():
                setattr(page, name, value)
            page._history_user, page._change_reason = user, reason
            page.save()
        current = {section.pk: section for section in page.sections.select_for_update()}
        for section_id, section in current.items():
            if section_id not in target.sections:
                section._history_user, section._change_reason = user, reason
                section.delete()
        for section_id, values in target.ordered_sections():
            section = current.get(section_id) or Section(pk=section_id, page=page)
            if section.pk in current and all(
                display_value(Section._meta.get_field(name), getattr(section, name))
                == display_value(Section._meta.get_field(name), value)
                for name, value in values.items()
            ):
                continue
            for name, value in values.items():
                setattr(section, name, value)
            section._history_user, section._change_reason = user, reason
            section.save()
