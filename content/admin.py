"""The models editors edit, registered with the admin. The machinery they share (history, the
version check, Markdown checks, publishing, review dates) is in content/editing/."""

from django.contrib import admin, messages
from django.db.models import Max
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from .editing.admin import (
    PUBLISHABLE_FILTERS,
    PUBLISHABLE_LIST,
    REVIEW_FIELDSET,
    ContentAdmin,
    VersionedInline,
    grade_label,
)
from .editing.audit import AuditEventAdmin, ReadOnlyRecordAdmin
from .editing.forms import SectionForm
from .editing.history import PageDocumentAdmin
from .editing.publishing import admin_url
from .editing.reviews import ReviewDueFilter, ScheduleFilter
from .editing.signoff import RevisionAdmin
from .models import (
    REQUIRED_PAGES,
    REQUIRED_SNIPPET_MESSAGE,
    REQUIRED_SNIPPETS,
    Approval,
    AuditEvent,
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    ForbiddenClaim,
    GlossaryTerm,
    Guide,
    Page,
    Revision,
    SearchSynonym,
    Section,
    Snippet,
    Status,
    SuggestedQuestion,
    WarningSign,
)


class SectionInline(VersionedInline):
    model = Section
    form = SectionForm
    extra = 0
    fields = (
        "order",
        "heading",
        "anchor",
        "body",
        "figure",
        "edit_version",
        "edit_seen",
        "edit_key",
    )
    show_change_link = True  # the section's own page has its history and restore


@admin.register(Page)
class PageAdmin(PageDocumentAdmin, ContentAdmin):
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(section_grade=Max("sections__reading_grade"))

    @admin.display(description="hardest reading grade", ordering="section_grade")
    def hardest_grade(self, obj):
        parts = (obj.reading_grade, getattr(obj, "section_grade", None))
        grades = [grade for grade in parts if grade is not None]
        return grade_label(max(grades, default=None))


@admin.register(Section)
class SectionAdmin(ContentAdmin):
    """Sections are edited on their page; here each has its own history and restore. It is not
    listed on the admin home or in the side menu (editors find sections in their page), but its
    pages stay: the history, restore and "Recently deleted" links lead here."""

    form = SectionForm
    list_display = ("heading", "page", "order", "grade")
    list_filter = (("page", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("page",)
    search_fields = ("heading", "anchor", "body", "page__title")
    fields = ("page", "order", "heading", "anchor", "body", "figure")

    # A section of a live page changes only through its page's pending change (and review), so
    # here it is read-only; sections are added on their page.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.page.status == Status.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        section = self.get_object(request, object_id)
        if section is not None and section.page.status == Status.PUBLISHED:
            self.message_user(
                request,
                "This section is on a live page: delete it on its page, where the change waits "
                "for medical review.",
                messages.ERROR,
            )
            return redirect(admin_url(Page, "change", section.page_id))
        return super().delete_view(request, object_id, extra_context)

    def get_model_perms(self, request) -> dict:
        return {}  # left out of the admin home and side menu only; permissions are unchanged


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


@admin.register(Snippet)
class SnippetAdmin(ContentAdmin):
    """Site-wide texts. The safety summary can be changed but never emptied or deleted."""

    list_display = (
        "__str__",
        "title",
        "public",
        "schedule",
        "last_reviewed",
        "review_due",
        "grade",
    )
    list_filter = (ScheduleFilter, ReviewDueFilter, "needs_verification")
    search_fields = ("key", "title", "body")
    fieldsets = ((None, {"fields": ("key", "title", "body", "phone")}), REVIEW_FIELDSET)
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


@admin.register(SearchSynonym)
class SearchSynonymAdmin(SimpleHistoryAdmin):
    list_display = ("phrase", "alternatives")
    search_fields = ("phrase", "alternatives")
    fields = ("phrase", "alternatives")


class SheetLineAdmin(ContentAdmin):
    """A line of a take-along sheet: found by its words or its key."""

    search_fields = ("text", "key")


@admin.register(WarningSign)
class WarningSignAdmin(SheetLineAdmin):
    list_display = ("text", "urgency", "order", *PUBLISHABLE_LIST)
    list_filter = (*PUBLISHABLE_FILTERS, "urgency")
    fieldsets = ((None, {"fields": ("text", "key", "urgency", "order", "status")}), REVIEW_FIELDSET)


@admin.register(SuggestedQuestion)
class SuggestedQuestionAdmin(SheetLineAdmin):
    list_display = ("text", "topic", "order", *PUBLISHABLE_LIST)
    list_filter = (*PUBLISHABLE_FILTERS, "topic")
    fieldsets = ((None, {"fields": ("text", "key", "topic", "order", "status")}), REVIEW_FIELDSET)


@admin.register(ForbiddenClaim)
class ForbiddenClaimAdmin(SimpleHistoryAdmin):
    """Words that may not be published. Only superusers and medical reviewers (who are given the
    permissions in content/editing/permissions.py) may change the list."""

    list_display = ("phrase", "active", "source", "updated_at")
    list_filter = ("active",)
    search_fields = ("phrase", "reason", "current_fact", "source")
    fields = ("phrase", "reason", "current_fact", "source", "active")


admin.site.register(Revision, RevisionAdmin)
admin.site.register(AuditEvent, AuditEventAdmin)


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyRecordAdmin):
    """Signed approvals: read-only for everyone, superusers included."""

    list_display = ("approval_code", "revision", "reviewer_name", "signed_at", "meaning")
    list_filter = ("signed_at",)
    search_fields = ("approval_code", "reviewer_name", "revision__label")
    list_select_related = ("revision",)
