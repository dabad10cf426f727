"""Publishing: items go public (or back to draft) only by an explicit action, never a form field.

The list actions ask for confirmation first; an item whose Markdown (or one of its page's
sections) has errors is skipped with a message, and so is one someone else saved meanwhile.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from content.models import Page, Status

from .checks import check_markdown
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


def markdown_errors(obj) -> list[str]:
    """The Markdown errors of one item, as its edit form shows them."""
    text = getattr(obj, "markdown_text", None)
    if text is None:
        return []
    return check_markdown(getattr(obj, text.name), text.heading_level).errors


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
    """The Markdown errors of an item and, for a page, of its sections."""
    return markdown_errors(obj) + section_problems(obj)


def required_reason(obj) -> str | None:
    """Why `obj` may never be deleted or taken offline (its admin says), or None when it may."""
    try:
        model_admin = admin.site.get_model_admin(type(obj))
    except admin.sites.NotRegistered:
        return None
    return model_admin.required_reason(obj)


def _change_status(modeladmin, request, queryset, status: str, verb: str):
    """Publish or unpublish after a confirmation page; items with Markdown errors are skipped."""
    checking = status == Status.PUBLISHED
    items = [(obj, markdown_problems(obj) if checking else []) for obj in queryset]
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
    for obj, problems in items:
        if problems:
            skipped.append(str(obj))
            continue
        reason = modeladmin.required_reason(obj) if not checking else None
        if reason:
            modeladmin.message_user(request, f"“{obj}” stays published. {reason}", messages.ERROR)
            continue
        obj.status = status
        obj._history_user = request.user
        obj._change_reason = verb.capitalize()
        try:
            save_if_unchanged(obj, obj.version)
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


@admin.action(description="Publish selected items (make them public)")
def publish_selected(modeladmin, request, queryset):
    return _change_status(modeladmin, request, queryset, Status.PUBLISHED, "published")


@admin.action(description="Return selected items to draft (hide them from the public)")
def unpublish_selected(modeladmin, request, queryset):
    return _change_status(modeladmin, request, queryset, Status.DRAFT, "returned to draft")


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
            obj.status = Status.DRAFT
            obj._history_user = request.user
            obj._change_reason = "Taken offline"
            try:
                save_if_unchanged(obj, obj.version)
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
