"""The medical-review workflow's records: staged revisions, signed approvals, the audit trail.

The public site never reads these tables: a change to live content waits in a `Revision` until a
medical reviewer signs it (`Approval`), and only then is it copied into the live item. Approvals
and audit events are append-only. The machinery is in content/editing/ (revisions.py,
signoff.py, audit.py); docs/editing.md explains the workflow.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class RevisionState(models.TextChoices):
    DRAFT = "draft", "Being edited"
    SUBMITTED = "submitted", "Waiting for medical review"
    APPROVED = "approved", "Approved, waiting for its go-live time"
    REJECTED = "rejected", "Sent back to the editor"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Replaced by a later change"
    DISCARDED = "discarded", "Discarded by an editor"


# A revision in one of these states is the item's pending change: there is at most one.
OPEN_STATES = (
    RevisionState.DRAFT,
    RevisionState.SUBMITTED,
    RevisionState.APPROVED,
    RevisionState.REJECTED,
)


class Revision(models.Model):
    """A staged change to one live item (and, for a page, its sections).

    `data` holds every editable value as it will be published: `{"fields": {...}, "version": n,
    "sections": {key: {"values": {...}, "version": n, "deleted": bool}}}`, keyed by section id or
    by a new key for a section added here; each part has its own edit counter, so two editors
    working on different parts both keep their text. `html` holds the rendered HTML of each
    Markdown text, so a preview needs no re-render. `base` is the live item as the revision
    started from it (`base_version`): parts nobody changed here follow the live item.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    label = models.CharField("item", max_length=200)
    data = models.JSONField(default=dict)
    html = models.JSONField(default=dict)
    base = models.JSONField(default=dict)
    base_version = models.PositiveIntegerField(default=0)
    state = models.CharField(
        "state", max_length=10, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    edit_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="revisions_created",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)
    # Everyone who wrote into it: none of them may approve it.
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="revisions_edited", blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="revisions_submitted",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField("latest comment", blank=True)
    go_live_at = models.DateTimeField("goes live at", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    # Saving a revision changes nothing the public sees (pomsite/page_cache.py).
    affects_public_pages = False

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "pending change"
        permissions = [("approve_revision", "Can approve changes as a medical reviewer")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state__in=[state.value for state in OPEN_STATES]),
                name="one_pending_revision_per_item",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]

    def __str__(self) -> str:
        return f"Change to “{self.label}” ({self.get_state_display().lower()})"

    def built_item(self):
        """The item as it will be once this revision is published: unsaved, for previews and
        checks. A page carries its sections, as the revision has them, in `staged_sections`."""
        model = self.content_type.model_class()
        obj = model._default_manager.filter(pk=self.object_id).first()
        if obj is None:
            return None
        overlay(obj, self.data)
        for name, html in self.html.get("fields", {}).items():
            setattr(obj, name, html)
        if hasattr(obj, "sections"):
            obj.staged_sections = self.staged_sections(obj)
        return obj

    def staged_sections(self, page) -> list:
        """The page's sections as the revision has them, in order (unsaved instances)."""
        section_model = page.sections.model
        sections = []
        for key, part in self.data.get("sections", {}).items():
            if part.get("deleted"):
                continue
            section = section_model(page=page, pk=int(key) if key.isdigit() else None)
            overlay_section(section, part)
            section.stage_key = key
            section.body_html = self.html.get("sections", {}).get(key, "")
            sections.append(section)
        return sorted(sections, key=lambda s: (s.order, s.pk or 0, s.stage_key))


def _apply(obj, values: dict) -> None:
    for name, value in values.items():
        setattr(obj, name, obj._meta.get_field(name).to_python(value))


def overlay(obj, data: dict) -> None:
    """Put a revision's field values on an (unsaved) instance, with its edit counter."""
    _apply(obj, data["fields"])
    obj.version = data["version"]


def overlay_section(section, part: dict) -> None:
    _apply(section, part["values"])
    section.version = part["version"]


class AppendOnly(models.Model):
    """A record that is written once and never changed or deleted."""

    affects_public_pages = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"{self._meta.verbose_name} records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name} records cannot be deleted.")


class Approval(AppendOnly):
    """A medical reviewer's signature on the exact content of one revision."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="approvals")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approvals"
    )
    reviewer_name = models.CharField("reviewer's name", max_length=200)
    signed_at = models.DateTimeField("signed at")
    meaning = models.CharField("meaning of the signature", max_length=200)
    approval_code = models.CharField("approval code", max_length=40, unique=True)
    data_digest = models.CharField("SHA-256 of the approved content", max_length=64)

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = "approval"

    def __str__(self) -> str:
        return f"{self.approval_code}: {self.revision.label}"


class AuditAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for medical review"
    SENT_BACK = "sent-back", "Sent back to the editor"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Taken offline"
    RESTORED = "restored", "Restored"
    BACK_TO_REVIEW = "back-review", "Back to medical review (a fact changed)"
    DISCARDED = "discarded", "Pending change discarded"


class AuditEvent(AppendOnly):
    """Who did what to which item, and when: kept for every step of the workflow."""

    action = models.CharField("action", max_length=12, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField("when", auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveIntegerField()
    label = models.CharField("item", max_length=200)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, null=True, blank=True)
    comment = models.TextField("comment", blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit event"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.label}"
