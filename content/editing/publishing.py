"""Taking items offline, and the checks every step towards the public shares.

Items go public only through an approved revision (content/editing/signoff.py); the status is
never a form field. Taking an item offline needs no review, but asks for confirmation first and
is kept in the audit trail. `markdown_problems` is the one gate submission, approval and
publication all pass.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from content.models import AuditAction, Page, RevisionState, Status

from . import audit, revisions
from .checks import check_markdown, claim_messages, plain_texts
from .locking import EditConflict, save_if_unchanged


def item_path(model_admin, route: str, view, name: str):
    """A URL pattern for one more admin page of an item, named like the admin's own."""
    opts = model_admin.model._meta
    return path(
        f"<path:object_id>/{route}/",
        model_admin.admin_site.admin_view(view),
        name=f"{opts.app_label}_{opts.model_name}_{name}",
    )


def admin_url(model, view: str, *args) -> str:
    """The address of one of the admin's pages for an item: "change", "history", ..."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _plain_values(obj) -> dict[str, str]:
    """An item's editable text fields other than its Markdown."""
    text = getattr(obj, "markdown_text", None)
    return {
        field.name: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.editable
        and isinstance(field, models.CharField | models.TextField)
        and (text is None or field.name != text.name)
    }


def markdown_errors(obj) -> list[str]:
    """What stops one item going public: the Markdown errors its edit form shows, and any words
    that may not be published, in its text or in its other fields."""
    text = getattr(obj, "markdown_text", None)
    problems: list[str] = []
    if text is not None:
        found = check_markdown(getattr(obj, text.name), text.heading_level)
        problems += found.errors + found.claims
    claims = claim_messages(*plain_texts(_plain_values(obj)))
    return problems + [claim for claim in claims if claim not in problems]


def section_problems(obj) -> list[str]:
    """For a saved page, the Markdown errors of its stored sections; nothing for other items."""
    if not isinstance(obj, Page) or obj.pk is None:
        return []
    return [
        f"Section “{section}”: {error}"
        for section in obj.sections.all()
        for error in markdown_errors(section)
    ]


def markdown_problems(obj) -> list[str]:
    """What stops an item (and, for a page, its sections) being submitted, approved or
    published: Markdown errors, unknown fact tags, and claims that may not be published."""
    problems = markdown_errors(obj)
    if isinstance(obj, Page):
        # A page built from a pending revision carries its sections as the revision has them.
        sections = getattr(obj, "staged_sections", None)
        for section in obj.sections.all() if sections is None else sections:
            problems += [f"Section “{section}”: {error}" for error in markdown_errors(section)]
    return problems


def required_reason(obj) -> str | None:
    """Why `obj` may never be deleted or taken offline (its admin says), or None when it may."""
    try:
        model_admin = admin.site.get_model_admin(type(obj))
    except admin.sites.NotRegistered:
        return None
    return model_admin.required_reason(obj)


def withdraw(obj, user, reason: str, comment: str = "") -> None:
    """Take a published item offline (a draft again), under the version check.

    Its pending change, if any, becomes the draft's text, so reworking it offline starts from
    what the editors last saved. Raises EditConflict if someone saved it meanwhile."""
    revision = revisions.pending_revision(obj)
    if revision is not None:
        revisions.copy_into(obj, revision)
    obj.status = Status.DRAFT
    obj._history_user, obj._change_reason = user, reason
    with transaction.atomic():
        save_if_unchanged(obj, obj.version)
        if revision is not None:
            if isinstance(obj, Page):
                revisions.copy_sections(obj, revision, user, reason)
            revisions.mark(revision, RevisionState.SUPERSEDED)
        audit.record(AuditAction.WITHDRAWN, user, obj, revision, comment)


@admin.action(description="Return selected items to draft (hide them from the public)")
def unpublish_selected(modeladmin, request, queryset):
    """Take items offline after a confirmation page (publishing goes through medical review)."""
    verb = "returned to draft"
    items = [(obj, []) for obj in queryset]
    if request.POST.get("confirm") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": f"{verb.capitalize()}: are you sure?",
            "opts": modeladmin.model._meta,
            "items": items,
            "verb": verb,
            "action": request.POST.get("action"),
            "today": timezone.localdate(),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/content/confirm_status_change.html", context)
    changed, skipped = [], []
    for obj, _ in items:
        if obj.status != Status.PUBLISHED:
            continue  # already offline
        reason = modeladmin.required_reason(obj)
        if reason:
            modeladmin.message_user(request, f"“{obj}” stays published. {reason}", messages.ERROR)
            continue
        try:
            withdraw(obj, request.user, verb.capitalize(), comment="List action")
        except EditConflict:
            skipped.append(str(obj))
            continue
        changed.append(str(obj))
    if changed:
        modeladmin.message_user(request, f"{verb.capitalize()}: {', '.join(changed)}.")
    if skipped:
        modeladmin.message_user(
            request,
            f"Not {verb}: {', '.join(skipped)}. Open each one to see what needs fixing.",
            messages.ERROR,
        )
    return None


class PublishingAdmin(admin.ModelAdmin):
    """Taking a published item off the site is a step of its own, asked once more; items the
    whole site depends on (`required_reason`) are never deleted or taken offline."""

    # The field that names a required item; it cannot be changed on one (links depend on it).
    required_key_field = ""

    def required_reason(self, obj) -> str | None:
        """Why `obj` may never be deleted or taken offline, or None when it may be."""
        return None

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.required_reason(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        reason = obj is not None and self.required_reason(obj)
        if reason and super().has_delete_permission(request):
            self.message_user(request, reason, messages.ERROR)
            return redirect(admin_url(self.model, "change", obj.pk))
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            reason = self.required_reason(obj)
            if reason:
                raise PermissionDenied(reason)
        super().delete_queryset(request, queryset)

    def get_urls(self):
        take_offline = item_path(self, "take-offline", self.take_offline_view, "take_offline")
        return [take_offline, *super().get_urls()]

    def take_offline_view(self, request, object_id):
        """Taking a published item off the site is its own step, asked once more."""
        obj = self.get_object(request, object_id)
        if obj is None or not hasattr(obj, "status"):
            raise Http404("No such item.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = admin_url(self.model, "change", obj.pk)
        if obj.status != Status.PUBLISHED:
            self.message_user(request, f"“{obj}” is not on the site.", messages.WARNING)
            return HttpResponseRedirect(change_url)
        reason = self.required_reason(obj)
        if reason:
            self.message_user(request, reason, messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                withdraw(obj, request.user, "Taken offline")
            except EditConflict:
                self.message_user(
                    request, "Someone saved it at the same moment: try again.", messages.ERROR
                )
                return HttpResponseRedirect(change_url)
            self.message_user(request, f"“{obj}” is offline now: only editors can see it.")
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Take “{obj}” offline?",
            "opts": self.model._meta,
            "object": obj,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/content/confirm_take_offline.html", context)
