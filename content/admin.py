"""The editors' admin: history and restore, no lost updates, explicit publishing, review dates.

See docs/editing.md for the design. Every content admin shares `ContentAdmin`:
- history, differences between versions and restore (django-simple-history);
- the edit-version check (content/locking.py), so a second save never overwrites the first;
- Markdown checks with plain messages (content/validation.py) and the reading grade;
- the status is never a form field: "Save and publish" and the list actions change it.
"""

from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from simple_history.admin import SimpleHistoryAdmin

from . import documents
from .diffs import field_changes
from .forms import EditForm, SectionForm
from .locking import EditConflict, save_if_unchanged
from .models import (
    HOW_IT_WORKS_ANCHOR,
    INTRO_ANCHOR,
    REQUIRED_PAGES,
    REQUIRED_SNIPPET_MESSAGE,
    REQUIRED_SNIPPETS,
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    GlossaryTerm,
    Guide,
    Page,
    SearchSynonym,
    Section,
    Snippet,
    Status,
    SuggestedQuestion,
    WarningSign,
)
from .readability import describe_grade, is_above_target
from .validation import check_markdown
from .widgets import EditorMarkdownWidget

REVIEW_FIELDSET = (
    "Medical review",
    {
        "fields": (
            "medically_reviewed_on",
            "reviewed_by",
            "next_review_due",
            "needs_verification",
            "review_note",
        )
    },
)
DUE_SOON_DAYS = 30


class ReviewDueFilter(admin.SimpleListFilter):
    """Items whose medical review is overdue, due soon, or not planned."""

    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (
            ("overdue", "Overdue"),
            ("due-soon", f"Due in the next {DUE_SOON_DAYS} days"),
            ("not-planned", "No review date set"),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "due-soon":
            return queryset.filter(
                next_review_due__gte=today,
                next_review_due__lte=today + timedelta(days=DUE_SOON_DAYS),
            )
        if self.value() == "not-planned":
            return queryset.filter(next_review_due__isnull=True)
        return queryset


def markdown_problems(obj, markdown_fields: dict[str, int]) -> list[str]:
    """The Markdown errors of an item (and of a page's sections), as its edit form shows them."""
    problems = []
    for name, level in markdown_fields.items():
        problems += check_markdown(getattr(obj, name), level).errors
    if isinstance(obj, Page):
        for section in obj.sections.all():
            for name, level in SectionForm.markdown_fields.items():
                found = check_markdown(getattr(section, name), level)
                problems += [f"Section “{section}”: {error}" for error in found.errors]
    return problems


def _change_status(modeladmin, request, queryset, status: str, verb: str):
    """Publish or unpublish after a confirmation page; items with Markdown errors are skipped."""
    checking = status == Status.PUBLISHED
    items = [
        (obj, markdown_problems(obj, modeladmin.markdown_fields) if checking else [])
        for obj in queryset
    ]
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


class VersionedInlineFormSet(BaseInlineFormSet):
    """Inline forms are checked like the main form; a section to delete is checked as well.

    Only the sections edited in this form are saved, each under the same row-locked version
    check as a save from the section's own page, so one lock covers every path that writes it.
    """

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


class ContentAdmin(SimpleHistoryAdmin):
    """What every content admin shares (see the module docstring)."""

    form = EditForm
    save_on_top = True
    # Markdown field -> level of the heading its text sits under on the public page.
    markdown_fields: dict[str, int] = {}
    # Markdown field -> keyword arguments for the preview widget (heading ids, see widgets.py).
    preview_anchors: dict[str, dict] = {}
    object_history_list_template = "admin/content/object_history_list.html"

    class Media:
        css = {"all": ["content/admin/admin.css"]}

    # Forms ------------------------------------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, MarkdownxField):
            kwargs["widget"] = EditorMarkdownWidget(**self.preview_anchors.get(db_field.name, {}))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {
            "markdown_fields": self.markdown_fields,
            "editor": request.user,
            "restoring": getattr(request, "restoring_version", False),
            "restoring_deleted": self._is_deleted(obj),
            "changes_status": request.method == "POST" and "_publish" in request.POST,
        }
        return type(form.__name__, (form,), attrs)

    def _is_deleted(self, obj) -> bool:
        """True for an item shown from its history after it was deleted (so it can come back)."""
        return obj is not None and not self.model._default_manager.filter(pk=obj.pk).exists()

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        first = fieldsets[0][1]
        first["fields"] = [*first["fields"], "edit_version", "edit_seen"]
        return fieldsets

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not hasattr(self.model, "status") or not self.has_change_permission(request):
            return actions
        for action in (publish_selected, unpublish_selected):
            actions[action.__name__] = self.get_action(action)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["is_publishable"] = hasattr(self.model, "status")
        context["is_published"] = obj is not None and getattr(obj, "status", "") == Status.PUBLISHED
        forms = [context["adminform"].form]
        for inline in context.get("inline_admin_formsets", []):
            forms += inline.formset.forms
        context["conflicts"] = [form.conflict for form in forms if getattr(form, "conflict", None)]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Items the whole site depends on ------------------------------------------------------------

    # The field that names a required item; it cannot be changed on one (links depend on it).
    required_key_field = ""

    def required_reason(self, obj) -> str | None:
        """Why `obj` may never be deleted or taken offline, or None when it may be."""
        return None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if hasattr(self.model, "status"):
            readonly.append("status")
        if obj is not None and self.required_key_field and self.required_reason(obj):
            readonly.append(self.required_key_field)
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.required_reason(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        reason = obj is not None and self.required_reason(obj)
        if reason and super().has_delete_permission(request):
            self.message_user(request, reason, messages.ERROR)
            return redirect(self._admin_url("change", obj.pk))
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            reason = self.required_reason(obj)
            if reason:
                raise PermissionDenied(reason)
        super().delete_queryset(request, queryset)

    # Saving -----------------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between this form's check and its save (a double click, say). The
            # transaction was rolled back; checking the same form again now shows the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if hasattr(obj, "status") and "_publish" in request.POST:
            obj.status = Status.PUBLISHED
            obj._change_reason = "Published"
        if not change or form.restoring_deleted:
            obj.save()  # a new item, or a deleted one brought back from its history
        elif form.has_changed() or form.changes_status:
            save_if_unchanged(obj, form.expected_version)
        # Otherwise nothing of the item itself was edited here (only its sections, perhaps):
        # re-saving it from this form could undo someone else's change to it.

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance._history_user = request.user
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and not form.has_changed() and any(fs.has_changed() for fs in formsets):
            # Its sections changed: the page's "last changed" date follows them.
            type(form.instance)._default_manager.filter(pk=form.instance.pk).update(
                updated_at=timezone.now()
            )
        self.report_on_text(request, form, formsets)

    def report_on_text(self, request, form, formsets) -> None:
        """After saving: the reading grade of each Markdown text, and any Markdown warnings."""
        notes, above = [], False
        for name in self.markdown_fields:
            grade = getattr(form.instance, "reading_grade", None)
            label = form.fields[name].label if name in form.fields else name
            notes.append(f"{label}: {describe_grade(grade)}")
            above |= is_above_target(grade)
        warnings = list(form.markdown_warnings)
        for formset in formsets:
            for inline_form in formset.forms:
                instance = inline_form.instance
                if instance.pk is None or not hasattr(instance, "reading_grade"):
                    continue
                notes.append(f"“{instance}”: {describe_grade(instance.reading_grade)}")
                above |= is_above_target(instance.reading_grade)
                warnings += getattr(inline_form, "markdown_warnings", [])
        if notes:
            level = messages.WARNING if above else messages.INFO
            self.message_user(request, " ".join(notes), level)
        for warning in warnings:
            self.message_user(request, warning, messages.WARNING)

    def response_change(self, request, obj):
        if "_unpublish" in request.POST:
            return HttpResponseRedirect(self._admin_url("take_offline", obj.pk))
        if "_publish" in request.POST and hasattr(obj, "get_absolute_url"):
            self.message_user(
                request,
                format_html(
                    'Published: it is public at <a href="{0}">{0}</a>.', obj.get_absolute_url()
                ),
            )
        return super().response_change(request, obj)

    # History ----------------------------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        take_offline = path(
            "<path:object_id>/take-offline/",
            self.admin_site.admin_view(self.take_offline_view),
            name=f"{opts.app_label}_{opts.model_name}_take_offline",
        )
        return [compare, take_offline, *super().get_urls()]

    def _admin_url(self, view: str, object_id) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[object_id])

    def take_offline_view(self, request, object_id):
        """Taking a published item off the site is its own step, asked once more."""
        obj = self.get_object(request, object_id)
        if obj is None or not hasattr(obj, "status"):
            raise Http404("No such item.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = self._admin_url("change", obj.pk)
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit() or not str(object_id).isdigit():
            raise Http404("No such version.")
        request.restoring_version = True
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict:
            self.message_user(
                request,
                "Someone saved this item while you were looking at the old version, so it was "
                "not restored. Check the history again, then restore it if you still want to.",
                messages.ERROR,
            )
            return super().history_form_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, object_id):
        """What changed between two saved versions, as a readable word-by-word difference."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such item.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        records = obj.history.select_related("history_user")
        newer = self._record(records, request.GET.get("to")) or records.first()
        if newer is None:
            raise Http404("This item has no saved versions yet.")
        older = (
            self._record(records, request.GET.get("from"))
            or records.filter(history_date__lt=newer.history_date).first()
        )
        names = [f.name for f in newer.tracked_fields if f.editable and not f.is_relation]
        changes = []
        if older is not None:
            changes = field_changes(
                self.model,
                {name: getattr(older, name) for name in names},
                {name: getattr(newer, name) for name in names},
                names,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"What changed: {obj}",
            "opts": self.model._meta,
            "object": obj,
            "older": older,
            "newer": newer,
            "changes": changes,
            "history_url": reverse(
                f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_history",
                args=[obj.pk],
            ),
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/content/compare.html", context)

    @staticmethod
    def _record(records, history_id):
        if history_id and str(history_id).isdigit():
            return get_object_or_404(records, history_id=int(history_id))
        return None

    # List columns -----------------------------------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        css = "published" if obj.status == Status.PUBLISHED else "draft"
        label = obj.get_status_display()
        return format_html('<span class="status status--{}">{}</span>', css, label)

    @admin.display(description="last reviewed", ordering="medically_reviewed_on")
    def last_reviewed(self, obj):
        return obj.medically_reviewed_on or "Never"

    @admin.display(description="next review due", ordering="next_review_due")
    def review_due(self, obj):
        due = obj.next_review_due
        if due is None:
            return "Not set"
        if due < timezone.localdate():
            return format_html('<span class="overdue">Overdue since {}</span>', due)
        return due

    @admin.display(description="reading grade", ordering="reading_grade")
    def grade(self, obj):
        return grade_label(obj.reading_grade)


def grade_label(grade: float | None):
    if grade is None:
        return "Too short"
    if is_above_target(grade):
        return format_html('<span class="grade grade--high">{} (above 8)</span>', grade)
    return format_html('<span class="grade">{}</span>', grade)


PUBLISHABLE_LIST = ("status_label", "last_reviewed", "review_due")
PUBLISHABLE_FILTERS = ("status", ReviewDueFilter, "needs_verification")


def restore_sections_deleted_with(page: Page, user) -> None:
    """Bring back the sections that were deleted together with `page` (a page is one document)."""
    deletion = page.history.filter(history_type="-").order_by("-history_date").first()
    if deletion is None:
        return
    records = Section.history.filter(
        page_id=page.pk,
        history_type="-",
        history_date__gte=deletion.history_date - timedelta(minutes=1),
        history_date__lte=deletion.history_date,
    ).order_by("-history_date")
    restored = set(Section.objects.filter(page=page).values_list("pk", flat=True))
    for record in records:
        if record.id in restored:
            continue
        restored.add(record.id)
        section = record.instance
        section._history_user = user
        section._change_reason = "Restored with its page"
        section.save()


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = VersionedInlineFormSet
    extra = 0
    fields = ("order", "heading", "anchor", "body", "figure", "edit_version", "edit_seen")
    show_change_link = True  # the section's own page has its history and restore

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, MarkdownxField):
            kwargs["widget"] = EditorMarkdownWidget(anchor_fields=("anchor", "heading"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"editor": request.user})
        return formset


@admin.register(Page)
class PageAdmin(ContentAdmin):
    required_key_field = "slug"

    def required_reason(self, obj) -> str | None:
        return REQUIRED_PAGES.get(obj.slug)

    list_display = ("title", "slug", *PUBLISHABLE_LIST, "hardest_grade")
    list_filter = PUBLISHABLE_FILTERS
    search_fields = ("title", "slug", "summary", "intro", "sections__heading", "sections__body")
    fieldsets = (
        (None, {"fields": ("title", "nav_title", "slug", "summary", "intro", "status")}),
        REVIEW_FIELDSET,
    )
    inlines = [SectionInline]
    markdown_fields = {"intro": 1}
    preview_anchors = {"intro": {"anchor": INTRO_ANCHOR}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(section_grade=Max("sections__reading_grade"))

    def history_view(self, request, object_id, extra_context=None):
        """A page and its sections are one document with one history: every save of either,
        each with what it changed and a way back; deleted sections are listed too."""
        if not str(object_id).isdigit():
            raise Http404("No such page.")
        existing = Section.objects.filter(page_id=object_id).values("pk")
        deleted = (
            Section.history.filter(page_id=object_id, history_type="-")
            .exclude(id__in=existing)
            .select_related("history_user")
            .order_by("-history_date")
        )
        extra_context = {
            **(extra_context or {}),
            "deleted_sections": deleted,
            "timeline": documents.timeline(int(object_id)),
        }
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        document = path(
            "<path:object_id>/history/document/",
            self.admin_site.admin_view(self.document_view),
            name="content_page_document",
        )
        return [document, *super().get_urls()]

    def document_view(self, request, object_id):
        """One moment of the page's history: what that save changed, and a restore of the whole
        page (its fields and its sections) to how it was right after it."""
        page = self.get_object(request, object_id)
        if page is None:
            raise Http404("No such page.")
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        try:
            moment = datetime.fromisoformat(request.GET.get("at", ""))
        except ValueError:
            raise Http404("No such moment in this page's history.") from None
        if timezone.is_naive(moment):
            raise Http404("No such moment in this page's history.")
        target = documents.snapshot_at(page.pk, moment)
        if target.page is None:
            raise Http404("The page did not exist at that moment.")
        can_restore = self.has_change_permission(request, page)
        if request.method == "POST" and can_restore and request.POST.get("confirm") == "yes":
            documents.restore(page, target, request.user)
            self.message_user(request, "The page and its sections are back as they were then.")
            return HttpResponseRedirect(self._admin_url("change", page.pk))
        before = documents.snapshot_at(page.pk, moment - timedelta(microseconds=1))
        context = {
            **self.admin_site.each_context(request),
            "title": f"“{page}” on {date_format(timezone.localtime(moment), 'DATETIME_FORMAT')}",
            "opts": self.model._meta,
            "object": page,
            "saved_changes": documents.document_changes(before, target),
            "restore_changes": documents.document_changes(documents.current_snapshot(page), target),
            "can_restore": can_restore,
            "history_url": self._admin_url("history", page.pk),
        }
        return TemplateResponse(request, "admin/content/page_document.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.restoring_deleted:
            restore_sections_deleted_with(obj, request.user)

    @admin.display(description="hardest reading grade", ordering="section_grade")
    def hardest_grade(self, obj):
        parts = (obj.reading_grade, getattr(obj, "section_grade", None))
        grades = [grade for grade in parts if grade is not None]
        return grade_label(max(grades, default=None))


@admin.register(Section)
class SectionAdmin(ContentAdmin):
    """Sections are edited on their page; here each has its own history and restore."""

    form = SectionForm
    list_display = ("heading", "page", "order", "grade")
    list_filter = (("page", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("page",)
    search_fields = ("heading", "anchor", "body", "page__title")
    fields = ("page", "order", "heading", "anchor", "body", "figure")
    markdown_fields = SectionForm.markdown_fields
    preview_anchors = {"body": {"anchor_fields": ("anchor", "heading")}}


@admin.register(Guide)
class GuideAdmin(ContentAdmin):
    list_display = ("title", "audience", "published_on", *PUBLISHABLE_LIST, "grade")
    list_filter = (*PUBLISHABLE_FILTERS, "audience")
    search_fields = ("title", "slug", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "audience", "published_on", "body")}),
        ("Publishing", {"fields": ("status",)}),
        REVIEW_FIELDSET,
    )
    markdown_fields = {"body": 1}


@admin.register(Snippet)
class SnippetAdmin(ContentAdmin):
    """Site-wide texts. The safety summary can be changed but never emptied or deleted."""

    list_display = ("__str__", "title", "last_reviewed", "review_due", "grade")
    list_filter = (ReviewDueFilter, "needs_verification")
    search_fields = ("key", "title", "body")
    fieldsets = ((None, {"fields": ("key", "title", "body", "phone")}), REVIEW_FIELDSET)
    markdown_fields = {"body": 2}
    preview_anchors = {"body": {"anchor_fields": ("key",)}}

    required_key_field = "key"

    def required_reason(self, obj) -> str | None:
        return REQUIRED_SNIPPET_MESSAGE if obj.key in REQUIRED_SNIPPETS else None


@admin.register(DrugFacts)
class DrugFactsAdmin(ContentAdmin):
    list_display = ("__str__", *PUBLISHABLE_LIST, "grade")
    list_filter = PUBLISHABLE_FILTERS
    search_fields = ("brand_name", "generic_name", "drug_class", "how_it_works")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("brand_name", "brand_pronunciation"),
                    ("generic_name", "generic_pronunciation"),
                    "drug_class",
                    "company",
                    "form",
                    "strengths_mg",
                    ("first_approved_year", "ks_approved_year"),
                    ("generic_available", "generic_as_of"),
                    "how_it_works",
                    "status",
                )
            },
        ),
        REVIEW_FIELDSET,
    )
    markdown_fields = {"how_it_works": 2}
    preview_anchors = {"how_it_works": {"anchor": HOW_IT_WORKS_ANCHOR}}


@admin.register(DosingSchedule)
class DosingScheduleAdmin(ContentAdmin):
    list_display = ("condition", "dose_mg", "first_dose_day", "last_dose_day", *PUBLISHABLE_LIST)
    list_filter = PUBLISHABLE_FILTERS
    search_fields = ("condition", "key", "companion_medicine")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "condition",
                    "key",
                    "dose_mg",
                    ("first_dose_day", "last_dose_day", "cycle_length_days"),
                    ("companion_medicine", "companion_days"),
                    "companion_dose_note",
                    ("companion_dose_mg", "companion_older_dose_mg", "companion_age_limit"),
                    "allowed_doses_mg",
                    "order",
                    "status",
                )
            },
        ),
        (
            "Blood tests (for the cycle calendar)",
            {
                "fields": (
                    ("blood_test_early_every_days", "blood_test_early_weeks"),
                    "blood_test_later_every_days",
                    "blood_tests_need_verification",
                )
            },
        ),
        REVIEW_FIELDSET,
    )


@admin.register(ExternalLink)
class ExternalLinkAdmin(ContentAdmin):
    list_display = ("title", "url", *PUBLISHABLE_LIST)
    list_filter = PUBLISHABLE_FILTERS
    search_fields = ("title", "key", "url", "description")
    fieldsets = (
        (None, {"fields": ("title", "key", "url", "description", "order", "status")}),
        REVIEW_FIELDSET,
    )


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ("term", "pronunciation", *PUBLISHABLE_LIST, "grade")
    list_filter = PUBLISHABLE_FILTERS
    search_fields = ("term", "slug", "other_forms", "definition")
    prepopulated_fields = {"slug": ("term",)}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "term",
                    "slug",
                    "pronunciation",
                    "other_forms",
                    "definition",
                    "related_link",
                    "status",
                )
            },
        ),
        REVIEW_FIELDSET,
    )
    markdown_fields = {"definition": 3}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(SimpleHistoryAdmin):
    list_display = ("phrase", "alternatives")
    search_fields = ("phrase", "alternatives")
    fields = ("phrase", "alternatives")


@admin.register(WarningSign)
class WarningSignAdmin(ContentAdmin):
    list_display = ("text", "urgency", "order", *PUBLISHABLE_LIST)
    list_filter = (*PUBLISHABLE_FILTERS, "urgency")
    search_fields = ("text", "key")
    fieldsets = ((None, {"fields": ("text", "key", "urgency", "order", "status")}), REVIEW_FIELDSET)


@admin.register(SuggestedQuestion)
class SuggestedQuestionAdmin(ContentAdmin):
    list_display = ("text", "topic", "order", *PUBLISHABLE_LIST)
    list_filter = (*PUBLISHABLE_FILTERS, "topic")
    search_fields = ("text", "key")
    fieldsets = ((None, {"fields": ("text", "key", "topic", "order", "status")}), REVIEW_FIELDSET)
