from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import DosingSchedule, DrugFacts, ExternalLink, Guide, Page, Section, Snippet

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


class MarkdownAdmin(admin.ModelAdmin):
    """Every Markdown field gets the editor with a live preview from the site's own pipeline."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    save_on_top = True


class PublishableAdmin(MarkdownAdmin):
    list_display = ("__str__", "status", "medically_reviewed_on", "next_review_due", "updated_at")
    list_filter = ("status", "needs_verification")


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ("order", "heading", "anchor", "body", "figure")
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ("title", "slug", "status", "medically_reviewed_on", "next_review_due")
    search_fields = ("title", "summary", "intro", "sections__heading", "sections__body")
    fieldsets = (
        (None, {"fields": ("title", "nav_title", "slug", "summary", "intro", "status")}),
        REVIEW_FIELDSET,
    )
    inlines = [SectionInline]


@admin.register(Guide)
class GuideAdmin(PublishableAdmin):
    list_display = ("title", "audience", "published_on", "status", "medically_reviewed_on")
    list_filter = ("status", "audience", "needs_verification")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "audience", "published_on", "body")}),
        ("Publishing", {"fields": ("status",)}),
        REVIEW_FIELDSET,
    )


@admin.register(Snippet)
class SnippetAdmin(MarkdownAdmin):
    list_display = ("__str__", "title", "medically_reviewed_on", "updated_at")
    fieldsets = ((None, {"fields": ("key", "title", "body")}), REVIEW_FIELDSET)


@admin.register(DrugFacts)
class DrugFactsAdmin(PublishableAdmin):
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
class DosingScheduleAdmin(PublishableAdmin):
    list_display = ("condition", "dose_mg", "first_dose_day", "last_dose_day", "status")
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
                    "order",
                    "status",
                )
            },
        ),
        REVIEW_FIELDSET,
    )


@admin.register(ExternalLink)
class ExternalLinkAdmin(PublishableAdmin):
    list_display = ("title", "url", "status", "medically_reviewed_on")
    search_fields = ("title", "url", "description")
    fieldsets = (
        (None, {"fields": ("title", "key", "url", "description", "order", "status")}),
        REVIEW_FIELDSET,
    )
