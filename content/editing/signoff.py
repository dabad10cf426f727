"""Submit, send back, approve and publish: the four-eyes medical sign-off.

- An editor submits a revision; `markdown_problems` must find nothing (it is the one gate every
  check on text plugs into).
- A medical reviewer (permission `content.approve_revision`) sends it back with a comment, or
  approves it: password again (django.contrib.auth's `authenticate`, so a wrong one counts toward
  the django-axes lockout), the stated meaning, and an approval code. Nobody approves a revision
  they created or edited. The revision row is locked, so of two reviewers approving at once
  exactly one wins; an outdated revision (edited after submission, or the live item changed
  since it started) is refused.
- Approval publishes at once or at `go_live_at`: the revision is copied into the live item and
  its sections, which record the reviewer, the date and the approval code.
- An editor discards a change that is being edited, waiting for review or sent back: their own,
  or anyone's once it is abandoned. A signed (approved or published) change is never discarded.
"""

import re
from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from content.models import (
    Approval,
    AuditAction,
    DosingSchedule,
    DrugFacts,
    Figure,
    Page,
    Revision,
    RevisionState,
    Section,
    Snippet,
    SnippetKey,
    Status,
)

from . import audit, revisions
from .diffs import field_changes
from .documents import PAGE_FIELDS, Snapshot, document_changes
from .publishing import admin_url, markdown_problems

APPROVE_PERMISSION = "content.approve_revision"
MEANING = "I approve this content as medically accurate and fairly balanced"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,40}$")
COMMENT_MAX = 2000
# Any editor may discard a change nobody has touched for this long (its author may have left).
ABANDONED_AFTER = timedelta(days=30)
DISCARDABLE = (RevisionState.DRAFT, RevisionState.SUBMITTED, RevisionState.REJECTED)


class SignOffRefused(Exception):
    """A step of the workflow that cannot be taken; the message says why, in plain words."""


def can_approve(user) -> bool:
    return user.is_active and user.has_perm(APPROVE_PERMISSION)


def may_change(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def reviewer_name(user) -> str:
    return (user.get_full_name() or user.get_username())[:200]


# Steps ------------------------------------------------------------------------------------------


def submit(revision: Revision, user) -> None:
    """Send the revision to the medical reviewers, if its text has no problems."""
    with transaction.atomic():
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if revision.state not in {RevisionState.DRAFT, RevisionState.REJECTED}:
            raise SignOffRefused(
                f"This change is {revision.get_state_display().lower()}: it cannot be submitted."
            )
        item = revision.built_item()
        if item is None:
            raise SignOffRefused("The item was deleted, so this change cannot be submitted.")
        problems = markdown_problems(item)
        if problems:
            raise SignOffRefused("Not submitted: fix these problems first. " + " ".join(problems))
        revisions.mark(
            revision, RevisionState.SUBMITTED, submitted_by=user, submitted_at=timezone.now()
        )
        audit.record(AuditAction.SUBMITTED, user, item, revision)


def send_back(revision: Revision, user, comment: str) -> None:
    comment = (comment or "").strip()
    if not comment:
        raise SignOffRefused("Write a comment: the editor needs to know what to change.")
    if len(comment) > COMMENT_MAX:
        raise SignOffRefused(f"The comment is too long: at most {COMMENT_MAX} characters.")
    with transaction.atomic():
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if revision.state != RevisionState.SUBMITTED:
            raise SignOffRefused("This change is no longer waiting for review.")
        revisions.mark(revision, RevisionState.REJECTED, comment=comment)
        live = _live(revision)
        if live is not None:
            audit.record(AuditAction.SENT_BACK, user, live, revision, comment)


def is_abandoned(revision: Revision) -> bool:
    """Nobody has touched the change for a long while, or its author can no longer log in."""
    author = revision.created_by
    if author is not None and not author.is_active:
        return True
    return revision.updated_at <= timezone.now() - ABANDONED_AFTER


def discard_refusal(revision: Revision, user) -> str | None:
    """Why `user` may not discard the revision, in plain words; None when they may."""
    if revision.state == RevisionState.DISCARDED:
        return "This change is already discarded. Nothing more to do."
    if revision.state == RevisionState.APPROVED:
        return (
            "This change is approved, waiting for its go-live time: it cannot be discarded. To "
            "stop it, edit the item: an edit takes the change out of review, and then you can "
            "discard it."
        )
    if revision.state not in DISCARDABLE:
        return (
            f"This change is {revision.get_state_display().lower()}: it cannot be discarded. "
            "To change the public version, make a new change."
        )
    own = revision.created_by_id == user.pk or revision.editors.filter(pk=user.pk).exists()
    if not own and not is_abandoned(revision):
        days = ABANDONED_AFTER.days
        return (
            "Only the editor who started this change, or who edited it, can discard it. Any "
            f"editor can once nobody has touched it for {days} days."
        )
    return None


def discard(revision: Revision, user) -> None:
    """Throw the pending change away: the live item stays exactly as it is. The revision is kept,
    marked discarded, so the record still shows what was proposed."""
    with transaction.atomic():
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        refusal = discard_refusal(revision, user)
        if refusal:
            raise SignOffRefused(refusal)
        revisions.mark(revision, RevisionState.DISCARDED)
        audit.record_for_revision(AuditAction.DISCARDED, user, revision)


def _live(revision: Revision):
    model = revision.content_type.model_class()
    return model._default_manager.filter(pk=revision.object_id).first()


def next_approval_code(when: datetime) -> str:
    prefix = f"POM-{timezone.localtime(when).year}-"
    number = Approval.objects.filter(approval_code__startswith=prefix).count() + 1
    while Approval.objects.filter(approval_code=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


def approve(
    revision_id: int,
    reviewer,
    *,
    digest: str,
    approval_code: str = "",
    go_live_at: datetime | None = None,
    follow_wish: bool = True,
) -> Approval:
    """Sign the revision (the caller has checked the password and the stated meaning).

    With no `go_live_at`, a draft's own wished-for time is used when `follow_wish` is set; the
    approve form sets it False, as it offers that time itself and the reviewer may clear it."""
    now = timezone.now()
    if go_live_at is not None and go_live_at <= now:
        raise SignOffRefused("The go-live time is in the past. Choose a later time, or none.")
    with transaction.atomic():
        revision = Revision.objects.select_for_update().filter(pk=revision_id).first()
        if revision is None:
            raise SignOffRefused("This change no longer exists.")
        if revision.state != RevisionState.SUBMITTED:
            done = revision.approvals.select_related("reviewer").first()
            if done is not None:
                raise SignOffRefused(
                    f"{done.reviewer_name} already approved this change "
                    f"({done.approval_code}). Nothing more to do."
                )
            raise SignOffRefused(
                f"This change is {revision.get_state_display().lower()}, not waiting for review."
            )
        if (
            revision.created_by_id == reviewer.pk
            or revision.editors.filter(pk=reviewer.pk).exists()
        ):
            raise SignOffRefused(
                "You wrote part of this change, so another medical reviewer must approve it."
            )
        if digest != revisions.data_digest(revision.data):
            raise SignOffRefused(
                "This change was edited after you opened it. Read it again before you approve."
            )
        live = _live(revision)
        if live is None:
            raise SignOffRefused("The item was deleted, so this change cannot be approved.")
        type(live)._default_manager.select_for_update().filter(pk=live.pk).first()
        if revisions.is_outdated(revision):
            raise SignOffRefused(
                "The live version changed after this change was started. Send it back, so the "
                "editor can check it against the live text and submit it again."
            )
        item = revision.built_item()
        problems = markdown_problems(item)
        if problems:
            raise SignOffRefused("This change has problems: " + " ".join(problems))
        if go_live_at is None and follow_wish:
            go_live_at = wished_go_live(live, item, now)
        code = approval_code.strip() or next_approval_code(now)
        if Approval.objects.filter(approval_code=code).exists():
            raise SignOffRefused(f"The approval code {code} is already used. Enter another one.")
        try:
            with transaction.atomic():
                approval = Approval.objects.create(
                    revision=revision,
                    reviewer=reviewer,
                    reviewer_name=reviewer_name(reviewer),
                    signed_at=now,
                    meaning=MEANING,
                    approval_code=code,
                    data_digest=digest,
                )
        except IntegrityError:
            raise SignOffRefused(f"The approval code {code} is already used.") from None
        audit.record(AuditAction.APPROVED, reviewer, live, revision, f"Approval {code}")
        if go_live_at is not None:
            revisions.mark(revision, RevisionState.APPROVED, go_live_at=go_live_at)
        else:
            publish(revision, approval)
        return approval


def wished_go_live(live, item, now: datetime | None = None) -> datetime | None:
    """The draft's own "go live at" time, when it is still ahead: the approval's go-live time
    when the reviewer gives none of their own."""
    if getattr(live, "status", None) != Status.DRAFT:
        return None
    moment = getattr(item, "publish_at", None)
    return moment if moment and moment > (now or timezone.now()) else None


def publish(revision: Revision, approval: Approval) -> None:
    """Copy the approved revision into the live item (and its sections) and record the review."""
    with transaction.atomic():
        model = revision.content_type.model_class()
        obj = model._default_manager.select_for_update().get(pk=revision.object_id)
        expiry = (getattr(obj, "expires_on", None), getattr(obj, "on_expiry", None))
        revisions.copy_into(obj, revision)
        if hasattr(obj, "expired_at") and expiry != (obj.expires_on, obj.on_expiry):
            obj.expired_at = None  # the new date or choice is acted on afresh
        if hasattr(obj, "status"):
            obj.status = Status.PUBLISHED
        if isinstance(obj, Snippet):
            obj.public = True  # a new site-wide text is shown from its first approval
        if hasattr(obj, "publish_at"):
            obj.publish_at = None  # the wished-for time is used up: it is live now
        obj.medically_reviewed_on = timezone.localdate(approval.signed_at)
        obj.reviewed_by = approval.reviewer_name
        obj.approval_code = approval.approval_code
        obj.needs_verification = False
        reason = f"Published: approval {approval.approval_code}"
        obj._history_user, obj._change_reason = approval.reviewer, reason
        obj.save()
        if isinstance(obj, Page):
            revisions.copy_sections(obj, revision, approval.reviewer, reason)
        revisions.mark(revision, RevisionState.PUBLISHED, published_at=timezone.now())
        audit.record(AuditAction.PUBLISHED, approval.reviewer, obj, revision, reason)


def publish_due_revisions(now: datetime) -> int:
    """Publish the approved revisions whose go-live time has come; returns how many."""
    published = 0
    due = Revision.objects.filter(state=RevisionState.APPROVED, go_live_at__lte=now)
    # A row another runner or an editor's save holds is skipped, to be tried on the next run
    # (SQLite has no row locks: its writers queue for the whole database instead).
    skip = connection.features.has_select_for_update_skip_locked
    for revision_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            revision = due.filter(pk=revision_id).select_for_update(skip_locked=skip).first()
            if revision is None or revisions.is_outdated(revision):
                continue
            model = revision.content_type.model_class()
            live = model._default_manager.select_for_update(skip_locked=skip)
            if live.filter(pk=revision.object_id).first() is None:
                continue
            publish(revision, revision.approvals.order_by("-signed_at").first())
            published += 1
    return published


def work_waiting_for(user) -> dict:
    """Changes submitted for review (for a reviewer, not their own), and the user's own changes
    still being edited or sent back."""
    base = Revision.objects.select_related("content_type").order_by("-updated_at")
    to_review = []
    if can_approve(user):
        to_review = list(
            base.filter(state=RevisionState.SUBMITTED)
            .exclude(editors=user)
            .exclude(created_by=user)[:50]
        )
    mine = list(
        base.filter(state__in=[RevisionState.DRAFT, RevisionState.REJECTED])
        .filter(Q(created_by=user) | Q(editors=user))
        .distinct()[:50]
    )
    return {"to_review": to_review, "mine": mine}


# Forms ------------------------------------------------------------------------------------------


class SendBackForm(forms.Form):
    # Checked by send_back(), which gives the message.
    comment = forms.CharField(
        label="What must the editor change?",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        required=False,
        help_text="Required. The editor sees this comment with the change.",
    )


class ApproveForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your signature: the password you log in with.",
        error_messages={"required": "Enter your password: it is your signature."},
    )
    meaning = forms.BooleanField(
        label=MEANING,
        required=True,
        error_messages={"required": "Tick this statement: it says what your signature means."},
    )
    approval_code = forms.CharField(
        label="Approval code",
        required=False,
        max_length=40,
        help_text="The material number, such as POM-2026-0001: letters, digits and dashes, at "
        "most 40 characters. Leave empty and the site assigns the next one.",
    )
    go_live_at = forms.DateTimeField(
        label="Go live at (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="New York time. Leave empty to publish as soon as you approve.",
    )
    # Offered only when the editor asked for a go-live time (it is filled in above).
    publish_now = forms.BooleanField(
        label="Publish as soon as I approve, not at the time above",
        required=False,
    )
    digest = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_approval_code(self) -> str:
        code = self.cleaned_data["approval_code"].strip()
        if code and not CODE_PATTERN.fullmatch(code):
            raise forms.ValidationError(
                "Use only letters, digits and dashes (at most 40 characters), such as "
                "POM-2026-0001."
            )
        return code

    def clean_go_live_at(self):
        when = self.cleaned_data.get("go_live_at")
        if self._publishes_now():
            return None  # the reviewer chose to publish at once: the time is not used
        if when is not None and when <= timezone.now():
            raise forms.ValidationError(
                "That time has passed. Choose a time in the future (New York time), or leave it "
                "empty to publish now."
            )
        return when

    def _publishes_now(self) -> bool:
        # Read here, not from cleaned_data: the go-live time is cleaned before this box.
        field = self.fields.get("publish_now")
        if field is None:
            return False
        return field.clean(field.widget.value_from_datadict(self.data, self.files, "publish_now"))

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        try:
            signed = authenticate(self.request, username=user.get_username(), password=password)
        except PermissionDenied:
            # Locked out by django-axes after too many wrong passwords.
            raise forms.ValidationError(
                "Too many wrong passwords: your login is paused for a while. Nothing was "
                "approved. Ask the site administrator if you need it sooner."
            ) from None
        if signed is None or signed.pk != user.pk:
            raise forms.ValidationError("That password is wrong. Nothing was approved.")
        return password


# Admin pages ------------------------------------------------------------------------------------


def is_public(live) -> bool:
    """True when visitors see the item now (site-wide texts have no draft: always)."""
    return getattr(live, "status", Status.PUBLISHED) == Status.PUBLISHED


def was_ever_public(live) -> bool:
    """True when some saved version of the item was published (it was taken offline since)."""
    return live.history.filter(status=Status.PUBLISHED).exists()


def changes_between(revision: Revision):
    """What publishing the revision would change, against the live (approved) item: its fields
    and, for a page, each section added, removed or changed."""
    model = revision.content_type.model_class()
    live = _live(revision)
    if live is None:
        return []
    # An item that is not public has no public version to compare with: all of it is new.
    before = revisions.live_snapshot(live) if is_public(live) else {"fields": {}, "sections": {}}
    after = revision.data
    names = revisions.staged_field_names(model)
    if model is not Page:
        return field_changes(model, before["fields"], after["fields"], names)
    sections_after = {
        key: part["values"] for key, part in after["sections"].items() if not part.get("deleted")
    }
    changes = document_changes(
        Snapshot(
            page={n: before["fields"].get(n) for n in PAGE_FIELDS}, sections=before["sections"]
        ),
        Snapshot(page={n: after["fields"][n] for n in PAGE_FIELDS}, sections=sections_after),
    )
    others = [name for name in names if name not in PAGE_FIELDS]
    return changes + field_changes(model, before["fields"], after["fields"], others)


class RevisionAdmin(audit.ReadOnlyRecordAdmin):
    """Pending changes: a list, and one page per change with its difference and the next step."""

    list_display = ("label", "kind", "state", "updated_at", "created_by", "submitted_by")
    list_filter = ("state", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("label",)
    list_select_related = ("content_type", "created_by", "submitted_by")

    @admin.display(description="kind of item", ordering="content_type")
    def kind(self, revision):
        return str(revision.content_type.model_class()._meta.verbose_name).capitalize()

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path("<int:revision_id>/review/", view(self.review_view), name=f"{name}_review"),
            path("<int:revision_id>/approve/", view(self.approve_view), name=f"{name}_approve"),
            path("<int:revision_id>/discard/", view(self.discard_view), name=f"{name}_discard"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404("No such change.")
        return HttpResponseRedirect(reverse("admin:content_revision_review", args=[object_id]))

    def _revision(self, request, revision_id: int) -> Revision:
        revision = get_object_or_404(
            Revision.objects.select_related("content_type", "created_by", "submitted_by"),
            pk=revision_id,
        )
        model = revision.content_type.model_class()
        user = request.user
        if not (may_change(user, model) or can_approve(user) or self.has_view_permission(request)):
            raise PermissionDenied
        return revision

    def review_view(self, request, revision_id: int):
        revision = self._revision(request, revision_id)
        model = revision.content_type.model_class()
        user = request.user
        send_back_form = SendBackForm()
        if request.method == "POST":
            step = request.POST.get("step")
            try:
                if step == "submit" and may_change(user, model):
                    submit(revision, user)
                    self.message_user(request, "Submitted: a medical reviewer will check it.")
                elif step == "send-back" and can_approve(user):
                    send_back_form = SendBackForm(request.POST)
                    send_back(revision, user, request.POST.get("comment", ""))
                    self.message_user(request, "Sent back to the editor with your comment.")
                else:
                    raise PermissionDenied
                return HttpResponseRedirect(request.path)
            except SignOffRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                revision.refresh_from_db()
        return self._render(request, revision, send_back_form=send_back_form)

    def discard_view(self, request, revision_id: int):
        """Discard a pending change, after a confirmation screen."""
        revision = self._revision(request, revision_id)
        model = revision.content_type.model_class()
        if not may_change(request.user, model):
            raise PermissionDenied
        review_url = reverse("admin:content_revision_review", args=[revision.pk])
        refusal = discard_refusal(revision, request.user)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(review_url)
        live = _live(revision)
        is_public = getattr(live, "status", Status.PUBLISHED) == Status.PUBLISHED
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                discard(revision, request.user)
            except SignOffRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                return HttpResponseRedirect(review_url)
            if live is None:
                self.message_user(request, "The change is discarded.")
                return HttpResponseRedirect(review_url)
            kept = (
                "The public version stays as it was."
                if is_public
                else "The draft keeps the text it had when it was last saved."
            )
            self.message_user(request, f"The change is discarded. {kept}")
            return HttpResponseRedirect(admin_url(model, "change", live.pk))
        context = {
            **self.admin_site.each_context(request),
            "title": "Discard this change?",
            "opts": self.model._meta,
            "revision": revision,
            "live": live,
            "is_public": live is not None and is_public,
            "review_url": review_url,
        }
        return TemplateResponse(request, "admin/content/confirm_discard.html", context)

    def approve_view(self, request, revision_id: int):
        revision = self._revision(request, revision_id)
        if not can_approve(request.user):
            raise PermissionDenied
        digest = revisions.data_digest(revision.data)
        initial = {"digest": digest}
        wished = wished_go_live(_live(revision), revision.built_item())
        if wished is not None:
            initial["go_live_at"] = timezone.localtime(wished)
        form = ApproveForm(request.POST or None, request=request, initial=initial)
        if wished is not None:
            form.fields["go_live_at"].help_text = (
                "New York time. The editor asked for this time. Leave it, choose another time "
                "in the future, or clear it to publish as soon as you approve."
            )
        else:
            del form.fields["publish_now"]
        if request.method == "POST" and form.is_valid():
            try:
                approval = approve(
                    revision.pk,
                    request.user,
                    digest=form.cleaned_data["digest"],
                    approval_code=form.cleaned_data["approval_code"],
                    go_live_at=form.cleaned_data["go_live_at"],
                    # The form offered the editor's time: an empty one means "publish now".
                    follow_wish=False,
                )
            except SignOffRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                revision.refresh_from_db()
                if revision.state == RevisionState.PUBLISHED:
                    note = "It is public now."
                else:
                    when = timezone.localtime(revision.go_live_at).strftime(
                        "%B %-d, %Y at %-I:%M %p"
                    )
                    note = f"It goes live on {when} (New York time)."
                self.message_user(request, f"Approved as {approval.approval_code}. {note}")
                return HttpResponseRedirect(
                    reverse("admin:content_revision_review", args=[revision.pk])
                )
        return self._render(request, revision, approve_form=form, title_prefix="Approve")

    def _render(
        self, request, revision, *, send_back_form=None, approve_form=None, title_prefix=""
    ):
        model = revision.content_type.model_class()
        user = request.user
        live = _live(revision)
        item = revision.built_item()
        is_open = revision.state in {RevisionState.DRAFT, RevisionState.REJECTED}
        own = revision.created_by_id == user.pk or revision.editors.filter(pk=user.pk).exists()
        preview_url = preview_address(revision, live)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{title_prefix or 'Change to'} “{revision.label}”",
            "opts": self.model._meta,
            "revision": revision,
            "changes": changes_between(revision),
            "is_public": live is not None and is_public(live),
            "was_public": live is not None and not is_public(live) and was_ever_public(live),
            "problems": markdown_problems(item) if item is not None else [],
            "outdated": live is not None and revisions.is_outdated(revision),
            "live": live,
            "live_url": admin_url(model, "change", revision.object_id) if live else "",
            "preview_url": preview_url,
            "approvals": revision.approvals.all(),
            "can_submit": is_open and may_change(user, model),
            "can_review": revision.state == RevisionState.SUBMITTED and can_approve(user),
            "can_discard": may_change(user, model) and discard_refusal(revision, user) is None,
            "discard_url": reverse("admin:content_revision_discard", args=[revision.pk]),
            "own": own,
            "send_back_form": send_back_form or SendBackForm(),
            "approve_form": approve_form,
            "approve_url": reverse("admin:content_revision_approve", args=[revision.pk]),
            "events_url": audit.item_events_url(live) if live else "",
            "meaning": MEANING,
        }
        return TemplateResponse(request, "admin/content/revision_review.html", context)


# Where a pending change to a record shown on many pages is best seen: the page with its picture.
FIGURE_OF = {DrugFacts: Figure.DRUG_FACTS, DosingSchedule: Figure.CYCLE_CHART}
SNIPPET_PAGES = {SnippetKey.ISI_SUMMARY: "safety"}


def _page_showing(figure: str) -> str:
    section = (
        Section.objects.filter(figure=figure, page__status=Status.PUBLISHED)
        .select_related("page")
        .order_by("page_id", "order")
        .first()
    )
    return section.page.get_absolute_url() if section else reverse("content:home")


def preview_address(revision: Revision, live) -> str:
    """The public page that shows the change best, with `?revision=` (content/views.py): the
    item's own page, else the page where its values are shown (Safety for the safety summary,
    Taking POMALYST for a dosing schedule...)."""
    if live is None:
        return ""
    if isinstance(live, Snippet):
        if live.key == SnippetKey.REMS_PROGRAM:
            url = _page_showing(Figure.REMS_PROGRAM)
        elif live.key in SNIPPET_PAGES:
            url = reverse("content:page_detail", kwargs={"slug": SNIPPET_PAGES[live.key]})
        else:
            url = reverse("content:home")  # the other site-wide texts are on every page
    elif type(live) in FIGURE_OF:
        url = _page_showing(FIGURE_OF[type(live)])
    elif hasattr(live, "get_absolute_url"):
        url = live.get_absolute_url()
    else:
        return ""
    return f"{url}?revision={revision.pk}"
