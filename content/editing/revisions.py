"""Staged changes: an edit to live content is written into a pending `Revision`, not the live row.

A revision holds every editable value of the item (and, for a page, of each section) as it will be
published, with the rendered HTML beside it. Each part (the item's own fields, each section)
carries its own edit counter, so the edit form's version check (content/editing/forms.py) works
per part: two editors on different sections of one page both keep their text, and two on the same
part get the usual conflict screen. Every write happens under a row lock on the revision.

Drafts (never published) are edited directly, as they are not public; they too reach the public
only through an approved revision. Site-wide texts have no draft state: one added in the admin is
kept from visitors (`Snippet.public`) until its first approval, and staged after that.
"""

import hashlib
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from content.markdown.render import render_markdown, render_with_glossary
from content.models import (
    INTRO_ANCHOR,
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    Guide,
    MarkdownContent,
    Page,
    Revision,
    RevisionState,
    Section,
    Snippet,
    Status,
    glossary_entries,
    section_anchor,
)
from content.workflow_models import OPEN_STATES, overlay, overlay_section

from .documents import SECTION_FIELDS
from .locking import EditConflict

# The same models as the medical review dates (content/editing/reviews.py REVIEWED_MODELS).
STAGED_MODELS = (Page, Guide, Snippet, DrugFacts, DosingSchedule, ExternalLink)
# Set only by an approval (content/editing/signoff.py), never by an edit form.
SIGNED_FIELDS = ("medically_reviewed_on", "reviewed_by", "approval_code")
NOT_STAGED = {"status", "version", "seed_fingerprint", *SIGNED_FIELDS}


def staged_field_names(model: type[models.Model]) -> list[str]:
    """The fields a revision holds: what an editor can change, not what an approval sets."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in NOT_STAGED
    ]


def is_staged(obj) -> bool:
    """True when an edit to `obj` must wait for medical review instead of changing it."""
    if obj is None or obj.pk is None or type(obj) not in STAGED_MODELS:
        return False
    return is_public(obj)


def is_public(obj) -> bool:
    """Whether visitors see the item now (a site-wide text once approved, else a published one)."""
    if isinstance(obj, Snippet):
        return obj.public
    return getattr(obj, "status", Status.PUBLISHED) == Status.PUBLISHED


def _to_json(field: models.Field, value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return field.value_to_string(field.model(**{field.attname: value}))


def _values(obj, names) -> dict:
    return {name: _to_json(obj._meta.get_field(name), getattr(obj, name)) for name in names}


def live_snapshot(obj) -> dict:
    """The live item's editable values (and its sections'), as a revision stores them."""
    snapshot = {"fields": _values(obj, staged_field_names(type(obj))), "sections": {}}
    if isinstance(obj, Page):
        for section in Section.objects.filter(page_id=obj.pk).order_by("order", "pk"):
            snapshot["sections"][str(section.pk)] = _values(section, SECTION_FIELDS)
    return snapshot


def _section_versions(obj) -> dict[str, int]:
    if not isinstance(obj, Page):
        return {}
    return {
        str(pk): v for pk, v in Section.objects.filter(page_id=obj.pk).values_list("pk", "version")
    }


def _fresh_data(obj, snapshot: dict) -> dict:
    # Each part's counter starts where the live part's version is, so a form opened on the live
    # item before the revision existed is checked against the same number.
    versions = _section_versions(obj)
    return {
        "fields": dict(snapshot["fields"]),
        "version": obj.version,
        "sections": {
            key: {"values": dict(values), "version": versions.get(key, 0), "deleted": False}
            for key, values in snapshot["sections"].items()
        },
    }


def pending_revision(obj) -> Revision | None:
    """The item's open revision (being edited, waiting for review, sent back or scheduled)."""
    if obj is None or obj.pk is None:
        return None
    return (
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            state__in=OPEN_STATES,
        )
        .select_related("created_by", "submitted_by")
        .first()
    )


def data_digest(data: dict) -> str:
    """A SHA-256 of a revision's content: what a reviewer saw is exactly what they sign."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# Reading a revision -------------------------------------------------------------------------------


def staged_section_forms(revision: Revision) -> list[dict]:
    """Initial values of the sections that exist only in the revision, for the page's form."""
    forms = []
    for key, part in revision.data.get("sections", {}).items():
        if key.isdigit() or part.get("deleted"):
            continue
        section = Section()
        overlay_section(section, part)
        values = {name: getattr(section, name) for name in SECTION_FIELDS}
        forms.append({**values, "edit_key": key, "edit_version": part["version"]})
    return sorted(forms, key=lambda values: (values["order"], values["edit_key"]))


def current_part(instance, key: str):
    """What an edit form on a staged item must compare with: the part as the pending revision
    has it (with its edit counter), or the live row when the revision does not hold it."""
    if isinstance(instance, Section):
        page = Page.objects.filter(pk=instance.page_id).first()
        revision = pending_revision(page)
        part = revision.data["sections"].get(key) if revision is not None else None
        if part is None:
            return Section.objects.filter(pk=int(key)).first() if key.isdigit() else None
        if part.get("deleted"):
            return None
        section = Section(page=page, pk=int(key) if key.isdigit() else None)
        overlay_section(section, part)
        return section
    live = type(instance)._default_manager.filter(pk=instance.pk).first()
    revision = pending_revision(live)
    if revision is not None:
        overlay(live, revision.data)
    return live


def render_html(model: type[models.Model], data: dict) -> dict:
    """The stored HTML of every Markdown text in `data`, as saving the item would make it."""
    if model is Page:
        entries = glossary_entries()
        intro = data["fields"].get("intro", "")
        intro_html, used = render_with_glossary(intro, INTRO_ANCHOR + "--", entries)
        html = {"fields": {"intro_html": intro_html}, "sections": {}}
        parts = [(k, p) for k, p in data["sections"].items() if not p.get("deleted")]
        parts.sort(key=lambda kp: (kp[1]["values"].get("order") or 0, kp[0]))
        for key, part in parts:
            values = part["values"]
            prefix = f"{values.get('anchor') or key}--"
            html["sections"][key], used = render_with_glossary(
                values.get("body", ""), prefix, entries, used
            )
        return html
    if not issubclass(model, MarkdownContent):
        return {"fields": {}}
    obj = model()
    overlay(obj, {**data, "version": 0})
    text = model.markdown_text
    source = getattr(obj, text.name)
    rendered = render_markdown(
        source, anchor_prefix=obj.heading_id_prefix(), glossary=obj.glossary()
    )
    return {"fields": {text.html_name: rendered}}


# Writing into a revision --------------------------------------------------------------------------


def _locked_revision(obj, user) -> Revision:
    """The item's open revision, locked for this transaction; started from the live item if none.

    When the live item changed since the revision started (say a withdrawal), parts nobody
    changed in the revision follow the live item, and the revision starts from the new version."""
    model = type(obj)
    live = model._default_manager.select_for_update().get(pk=obj.pk)
    content_type = ContentType.objects.get_for_model(model)
    revision = (
        Revision.objects.select_for_update()
        .filter(content_type=content_type, object_id=obj.pk, state__in=OPEN_STATES)
        .first()
    )
    snapshot = live_snapshot(live)
    if revision is None:
        revision = Revision.objects.create(
            content_type=content_type,
            object_id=obj.pk,
            label=str(live)[:200],
            data=_fresh_data(live, snapshot),
            base=snapshot,
            base_version=live.version,
            created_by=user,
        )
    elif revision.base_version != live.version:
        _rebase(revision, live, snapshot)
    return revision


def _rebase(revision: Revision, live, snapshot: dict) -> None:
    data, base = revision.data, revision.base
    for name, value in snapshot["fields"].items():
        if data["fields"].get(name) == base["fields"].get(name):
            data["fields"][name] = value
    versions = _section_versions(live)
    for key, values in snapshot["sections"].items():
        part = data["sections"].get(key)
        if part is None:
            data["sections"][key] = {"values": values, "version": versions[key], "deleted": False}
        elif part["values"] == base["sections"].get(key):
            part["values"] = values
    revision.base, revision.base_version = snapshot, live.version


@dataclass
class StagedPart:
    """One part of an edit form to write into the revision."""

    key: str  # "" for the item's own fields, else a section key
    values: dict  # field name -> cleaned value (only the fields the editor changed)
    expected_version: int | None
    deleted: bool = False


def stage(obj, parts: list[StagedPart], user) -> Revision:
    """Write the edited parts into the item's revision, each under its own version check.

    Raises EditConflict when a part changed after the form was opened (nothing is written)."""
    with transaction.atomic():
        revision = _locked_revision(obj, user)
        data = revision.data
        for part in parts:
            if not part.key:
                target, model = data, type(obj)
            else:
                target, model = data["sections"].get(part.key), Section
                if target is None and not part.key.startswith("new-"):
                    raise EditConflict(f"section {part.key} is not in the revision")
                if target is None:
                    target = {"values": {}, "version": 0, "deleted": False}
                    data["sections"][part.key] = target
            if part.expected_version is not None and target["version"] != part.expected_version:
                raise EditConflict(
                    f"{revision!r} part {part.key or 'fields'}: expected "
                    f"{part.expected_version}, found {target['version']}"
                )
            values = target["fields"] if not part.key else target["values"]
            for name, value in part.values.items():
                values[name] = _to_json(model._meta.get_field(name), value)
            if part.key and "heading" in values:
                values["anchor"] = section_anchor(
                    values.get("heading") or "",
                    values.get("anchor") or "",
                    values.get("order") or 0,
                )
            target["version"] += 1
            if part.key:
                target["deleted"] = part.deleted
        revision.html = render_html(type(obj), data)
        revision.edit_count += 1
        if revision.state != RevisionState.DRAFT:
            # An edit after submission (or after a send-back) takes it out of review.
            revision.state = RevisionState.DRAFT
        revision.save()
        revision.editors.add(user)
        return revision


def stage_document(page: Page, target, user) -> Revision:
    """Restoring a live page to an earlier moment (`target`, a documents.Snapshot) stages it:
    the restored text goes public only after review, like any other change."""
    revision = pending_revision(page)
    if revision is not None:
        keys = {k for k, part in revision.data["sections"].items() if not part.get("deleted")}
        known = set(revision.data["sections"])
    else:
        keys = known = {str(pk) for pk in page.sections.values_list("pk", flat=True)}
    wanted = {str(section_id): values for section_id, values in target.sections.items()}
    parts = [StagedPart("", {n: v for n, v in target.page.items()}, None)]
    parts += [StagedPart(key, {}, None, deleted=True) for key in keys - set(wanted)]
    for key, values in wanted.items():
        parts.append(StagedPart(key if key in known else f"new-{key}", dict(values), None))
    return stage(page, parts, user)


def refresh_from_live(obj, user) -> Revision:
    """For a draft: the revision becomes exactly the draft as saved now (submitting a draft)."""
    with transaction.atomic():
        revision = _locked_revision(obj, user)
        live = type(obj)._default_manager.get(pk=obj.pk)
        snapshot = live_snapshot(live)
        revision.data = _fresh_data(live, snapshot)
        revision.base, revision.base_version = snapshot, live.version
        revision.html = render_html(type(obj), revision.data)
        revision.label = str(live)[:200]
        revision.state = RevisionState.DRAFT
        revision.save()
        revision.editors.add(user)
        return revision


def copy_into(obj, revision: Revision) -> None:
    """Put the revision's values on the live item (to be saved by the caller); its version
    stays the stored one, so the caller's save is still checked."""
    version = obj.version
    overlay(obj, revision.data)
    obj.version = version


def copy_sections(page: Page, revision: Revision, user, reason: str) -> None:
    """Make the page's sections match the revision: create, update and delete."""
    current = {str(s.pk): s for s in Section.objects.select_for_update().filter(page=page)}
    wanted = {s.stage_key: s for s in revision.staged_sections(page)}
    for key, section in current.items():
        if key not in wanted:
            section._history_user, section._change_reason = user, reason
            section.delete()
    for key, staged in wanted.items():
        section = current.get(key) or Section(page=page)
        if key in current and all(
            getattr(section, n) == getattr(staged, n) for n in SECTION_FIELDS
        ):
            continue
        for name in SECTION_FIELDS:
            setattr(section, name, getattr(staged, name))
        section._history_user, section._change_reason = user, reason
        section.save()


def is_outdated(revision: Revision) -> bool:
    model = revision.content_type.model_class()
    version = model._default_manager.filter(pk=revision.object_id).values_list("version", flat=True)
    return version.first() != revision.base_version


def mark(revision: Revision, state: str, **changes) -> None:
    revision.state = state
    for name, value in changes.items():
        setattr(revision, name, value)
    revision.updated_at = timezone.now()
    revision.save()
