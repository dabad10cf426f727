"""What editors edit: pages made of Markdown sections, guides, site-wide texts and structured facts.

A Markdown text is declared once (`MarkdownText`): it adds the source field and the field for its
rendered, sanitised HTML (`body` / `body_html`), says which heading it sits under on the public
page and where its heading ids come from. The HTML is made once on save by the Markdown pipeline
(content/markdown/), never per request, and the reading grade is read from that same HTML.
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from .facts import values_for
from .markdown.claims import ClaimRule, pattern_of
from .markdown.glossary import GlossaryEntry
from .markdown.links import normalise_address
from .markdown.readability import grade_of_html
from .markdown.render import render_markdown, render_with_glossary

MARKDOWN_HELP = (
    "Write in Markdown: ### for a sub-heading, - for a list, **bold**, [link text](/safety/). "
    "For a fact used in many places, such as the REMS phone number, write its tag: "
    "[[fact:rems-phone]] (the list of fact tags is linked under the text box). "
    "The preview shows exactly what the public page will show."
)
# Heading ids in these texts start with "<anchor>--", so ids stay unique on a page.
INTRO_ANCHOR = "intro"
HOW_IT_WORKS_ANCHOR = "how-it-works"


def content_history(*derived_fields: str) -> HistoricalRecords:
    """Keep every saved version with who and when (django-simple-history).

    Fields derived on save (rendered HTML, reading grade) and the edit-version counter are left
    out: a restored version is saved again, which renders its HTML, works out its grade and
    takes the next version number (so restoring never looks like an out-of-date form).
    """
    return HistoricalRecords(excluded_fields=["version", *derived_fields])


class Versioned(models.Model):
    """A counter that goes up on every save, so an edit form can tell it is out of date.

    The admin sends the number the form was opened with and refuses the save if someone saved
    the item since (content/editing/locking.py): optimistic locking, so no change is silently lost.
    """

    version = models.PositiveIntegerField(default=0, editable=False)
    # Saving only these is bookkeeping, not an edit: an open edit form stays up to date.
    BOOKKEEPING_FIELDS = frozenset({"seed_fingerprint", "expired_at"})

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) - self.BOOKKEEPING_FIELDS:
            self.version += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class MarkdownText:
    """One Markdown text of a model, declared once: `body = MarkdownText("text", heading_level=2)`.

    It adds two fields, `body` (the editor's Markdown) and `body_html` (the stored HTML), and tells
    the rest of the site about the text: the admin's checks (`heading_level`, the level of the
    heading the text sits under on the public page) and the editor's preview (heading ids).
    Heading ids start with a prefix so they stay unique on a page: a fixed `anchor` ("intro"), or
    the value of the first of `anchor_fields` (a section's anchor; the preview falls back to the
    second, its heading, while the anchor is empty).
    """

    def __init__(
        self,
        verbose_name: str,
        *,
        heading_level: int,
        anchor: str = "",
        anchor_fields: tuple[str, ...] = (),
        blank: bool = False,
    ) -> None:
        self.heading_level = heading_level
        self.anchor = anchor
        self.anchor_fields = anchor_fields
        self.name = ""
        # Made here, not in contribute_to_class, so the fields keep their place in the model.
        self.source_field = MarkdownxField(verbose_name, blank=blank, help_text=MARKDOWN_HELP)
        self.html_field = models.TextField(editable=False, blank=True)

    @property
    def html_name(self) -> str:
        return f"{self.name}_html"

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.name = name
        cls.add_to_class(name, self.source_field)
        cls.add_to_class(self.html_name, self.html_field)
        cls.markdown_text = self


class MarkdownContent(models.Model):
    """An item with one Markdown text: its HTML and reading grade are worked out on save."""

    markdown_text: ClassVar[MarkdownText]

    reading_grade = models.FloatField(
        "reading grade",
        null=True,
        blank=True,
        editable=False,
        help_text="US school grade needed to read the text easily. Aim for 8 or lower.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        text = self.markdown_text
        source, prefix = getattr(self, text.name), self.heading_id_prefix()
        html = render_markdown(
            source, anchor_prefix=prefix, glossary=self.glossary(), facts=values_for(source)
        )
        setattr(self, text.html_name, html)
        self.reading_grade = grade_of_html(html)
        super().save(*args, **kwargs)

    def glossary(self) -> list[GlossaryEntry]:
        """The glossary terms to link in the text on save. A page links them across its intro
        and sections once they are all saved (`relink_page`); a guide links its own."""
        return []

    def heading_id_prefix(self) -> str:
        text = self.markdown_text
        if text.anchor_fields:
            return f"{getattr(self, text.anchor_fields[0])}--"
        return f"{text.anchor}--" if text.anchor else ""


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (not public)"
    PUBLISHED = "published", "Published"


class PublishedQuerySet(models.QuerySet):
    def published(self) -> "PublishedQuerySet":
        return self.filter(status=Status.PUBLISHED)


class MedicalReview(Versioned):
    """Fields that record who checked the medical content, and when it is due again."""

    medically_reviewed_on = models.DateField(
        "last medically reviewed",
        null=True,
        blank=True,
        help_text="The date a named medical reviewer signed this text. Leave empty until then.",
    )
    reviewed_by = models.CharField(
        "reviewed by",
        max_length=200,
        blank=True,
        help_text="The medical reviewer who signed it: name and role, such as "
        "'Dr. A. Smith, oncology pharmacist'. Leave empty until a named reviewer has signed.",
    )
    next_review_due = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="When this text must be checked again.",
    )
    needs_verification = models.BooleanField(
        "to be verified by medical review",
        default=False,
        help_text="Tick when the text uses a fact that a medical reviewer still has to confirm.",
    )
    review_note = models.TextField(
        "review note",
        blank=True,
        help_text="For reviewers only: what must be checked, and why. Never shown to the public.",
    )
    approval_code = models.CharField(
        "approval code",
        max_length=40,
        blank=True,
        help_text="The code of the medical approval behind the review date. Set only by an "
        "approval in the review workflow.",
    )
    updated_at = models.DateTimeField("last changed", auto_now=True)
    # The fingerprint of what `load_content` last wrote, so a reload can tell an editor's
    # change (kept) from untouched starting content (updated). Not shown to editors.
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def has_signed_review(self) -> bool:
        """True only when a named reviewer signed it on a date and nothing is left to verify."""
        return bool(
            self.medically_reviewed_on and self.reviewed_by.strip() and not self.needs_verification
        )


class OnExpiry(models.TextChoices):
    FLAG = "flag", "Flag it for editors (it stays on the site)"
    TAKE_OFFLINE = "take-offline", "Take it offline (it goes back to draft)"


class Expiring(models.Model):
    """An expiry date. On or after it the scheduler (content/editing/schedule.py) flags the item
    for editors (`expired_at`) and, if `on_expiry` says so, takes it offline. Site-wide texts
    have no draft state: they are only ever flagged, whatever `on_expiry` says."""

    expires_on = models.DateField(
        "expires on",
        null=True,
        blank=True,
        help_text="The date this text is no longer approved for use. On that date it is flagged "
        "for editors, and taken offline if chosen below. Leave empty if it does not expire.",
    )
    on_expiry = models.CharField(
        "when it expires",
        max_length=12,
        choices=OnExpiry.choices,
        default=OnExpiry.FLAG,
        help_text="The Home and Safety pages are only ever flagged: the whole site needs them.",
    )
    # When the scheduler dealt with the expiry; empty again once the date or the choice changes.
    expired_at = models.DateTimeField("expired", null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Publishable(MedicalReview, Expiring):
    status = models.CharField(
        "status",
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published items are visible to the public. Drafts are never public.",
    )
    publish_at = models.DateTimeField(
        "go live at (New York time)",
        null=True,
        blank=True,
        help_text="Leave empty to publish by hand. A draft with a date and time here goes public "
        "by itself at that time (within a minute). Eastern time, as in New York: 2026-12-24 and "
        "09:30.",
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


class Page(Publishable, MarkdownContent):
    """A public page (home, safety, ...) made of ordered Markdown sections."""

    slug = models.SlugField(
        "web address",
        max_length=60,
        unique=True,
        help_text="The page's address: 'safety' is shown at /safety/. 'home' is the front page.",
    )
    title = models.CharField(
        "title", max_length=120, help_text="The main heading at the top of the page."
    )
    nav_title = models.CharField(
        "menu label",
        max_length=30,
        blank=True,
        help_text="A short name for menus and links. Leave empty to use the title.",
    )
    summary = models.CharField(
        "summary for search engines",
        max_length=160,
        help_text="One sentence for search results (160 characters at most).",
    )
    intro = MarkdownText("introduction", heading_level=1, anchor=INTRO_ANCHOR, blank=True)

    history = content_history("intro_html", "reading_grade")

    class Meta:
        ordering = ["slug"]
        verbose_name = "page"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None and _relinking_now():
            relink_page(self.pk)

    def get_absolute_url(self) -> str:
        if self.slug == "home":
            return reverse("content:home")
        return reverse("content:page_detail", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        return self.nav_title or self.title


class Figure(models.TextChoices):
    NONE = "", "No picture"
    M_PROTEIN_CHART = "m-protein-chart", "Diagram: M protein over time (relapse cycle)"
    CYCLE_CHART = "cycle-chart", "Picture: the 28-day cycle, drawn from the dosing schedules"
    EXTERNAL_LINKS = "external-links", "List: useful websites (with the leaving-site notice)"
    DRUG_FACTS = "drug-facts", "Panel: drug facts"
    REMS_PROGRAM = "rems-program", "Panel: the REMS program's name, website and phone"
    WARNING_SIGNS = "warning-signs", "List: warning signs that need help at once"


def section_anchor(heading: str, anchor: str = "", order: int = 0) -> str:
    """The anchor a section is saved with: the editor's own, else one made from the heading."""
    return anchor or slugify(heading)[:60] or f"section-{order}"


class Section(Versioned, MarkdownContent):
    """One headed part of a page; its anchor lets other pages link straight to it."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(
        "order", default=0, help_text="Sections are shown from the lowest number to the highest."
    )
    heading = models.CharField("heading", max_length=120, help_text="The section's heading.")
    anchor = models.SlugField(
        "anchor",
        max_length=60,
        blank=True,
        help_text="The name used to link to this section (/safety/#blood-clots). "
        "Leave empty to make it from the heading.",
    )
    body = MarkdownText("text", heading_level=2, anchor_fields=("anchor", "heading"), blank=True)
    figure = models.CharField(
        "picture",
        max_length=20,
        choices=Figure.choices,
        blank=True,
        help_text="A picture or panel the site draws after the text, from structured facts.",
    )
    updated_at = models.DateTimeField("last changed", auto_now=True)

    history = content_history("body_html", "reading_grade")

    class Meta:
        ordering = ["page", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["page", "anchor"], name="unique_anchor_per_page")
        ]

    def __str__(self) -> str:
        return self.heading

    def save(self, *args, **kwargs) -> None:
        self.anchor = section_anchor(self.heading, self.anchor, self.order)
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None and _relinking_now():
            relink_page(self.page_id)

    @property
    def figure_template(self) -> str:
        return f"includes/figure_{self.figure.replace('-', '_')}.html"


class Audience(models.TextChoices):
    PATIENTS = "patients", "Patients"
    CAREGIVERS = "caregivers", "Caregivers"


class Guide(Publishable, MarkdownContent):
    """An article for patients or caregivers, listed on the Guides page."""

    slug = models.SlugField(
        "web address",
        max_length=80,
        unique=True,
        help_text="The guide's address: 'missed-doses' is shown at /guides/missed-doses/.",
    )
    title = models.CharField("title", max_length=150)
    summary = models.CharField(
        "summary",
        max_length=300,
        help_text="One or two sentences shown in the list of guides and in search results.",
    )
    audience = models.CharField(
        "written for", max_length=12, choices=Audience.choices, default=Audience.PATIENTS
    )
    published_on = models.DateField("publish date", help_text="The date shown on the guide.")
    body = MarkdownText("text", heading_level=1)

    history = content_history("body_html", "reading_grade")

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = "guide"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:guide_detail", kwargs={"slug": self.slug})

    def glossary(self) -> list[GlossaryEntry]:
        return glossary_entries()


class SnippetKey(models.TextChoices):
    ISI_SUMMARY = "isi-summary", "Important Safety Information summary (on every page)"
    NOT_MEDICAL_ADVICE = "not-medical-advice", "Not medical advice note (on every page)"
    US_AUDIENCE_NOTICE = "us-audience-notice", "US audience notice (on every page)"
    GATE_QUESTION = "gate-question", "US audience question"
    GATE_NOT_US = "gate-not-us", "Page for visitors outside the US"
    HINT_TABLET_PORTRAIT = "hint-tablet-portrait", "Hint: turn an upright tablet sideways"
    HINT_PHONE_LANDSCAPE = "hint-phone-landscape", "Hint: turn a sideways phone upright"
    SITE_PUBLISHER = "site-publisher", "Who publishes the site (in the footer of every page)"
    REMS_PROGRAM = "rems-program", "The REMS program (its name is the title)"


# Pages every other page links to (the front page, and the full safety information behind the
# safety summary on every page): they can be changed, but never deleted or taken offline.
REQUIRED_PAGES = {
    "home": "The front page must stay on the site, so it cannot be deleted or taken offline. "
    "Change its text instead.",
    "safety": "Every page links to the full Important Safety Information, so the Safety page "
    "cannot be deleted or taken offline. Change its text instead.",
}

# Site-wide texts that may never disappear: the admin refuses to empty or delete them.
REQUIRED_SNIPPETS = {SnippetKey.ISI_SUMMARY}
REQUIRED_SNIPPET_MESSAGE = (
    "The Important Safety Information must stay on every page, so it cannot be deleted or left "
    "empty. Change its text instead."
)


class Snippet(MedicalReview, Expiring, MarkdownContent):
    """A short site-wide text, such as the safety summary shown on every page."""

    key = models.CharField(
        "where it is shown", max_length=30, choices=SnippetKey.choices, unique=True
    )
    title = models.CharField("title", max_length=150, help_text="Its heading, where it has one.")
    body = MarkdownText("text", heading_level=2, anchor_fields=("key",), blank=True)
    phone = models.CharField(
        "phone number",
        max_length=40,
        blank=True,
        help_text="Only for the REMS program: its call center number, such as 1-888-423-5436.",
    )
    # A text added in the admin waits for its first medical approval before visitors see it
    # (content/editing/signoff.py publish); after that its edits wait in a pending revision.
    public = models.BooleanField("shown to visitors", default=True, editable=False)

    history = content_history("body_html", "reading_grade")

    class Meta:
        ordering = ["key"]
        verbose_name = "site-wide text"

    def __str__(self) -> str:
        return self.get_key_display()

    def clean(self) -> None:
        if self.key in REQUIRED_SNIPPETS and not (self.body or "").strip():
            raise ValidationError({"body": REQUIRED_SNIPPET_MESSAGE})


class GenericAvailable(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


comma_separated_numbers = RegexValidator(
    r"^\s*\d+(\s*,\s*\d+)*\s*$", "Write whole numbers separated by commas, such as 1, 2, 3, 4."
)


def parse_numbers(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


class DrugFacts(Publishable, MarkdownContent):
    """The structured drug-facts panel. The site shows the newest published record."""

    brand_name = models.CharField("brand name", max_length=60)
    brand_pronunciation = models.CharField("how to say the brand name", max_length=60, blank=True)
    generic_name = models.CharField("generic name", max_length=60)
    generic_pronunciation = models.CharField(
        "how to say the generic name", max_length=60, blank=True
    )
    drug_class = models.CharField("drug class", max_length=200)
    company = models.CharField("company", max_length=120)
    form = models.CharField(
        "form", max_length=120, help_text="How it comes, such as 'capsules taken by mouth'."
    )
    strengths_mg = models.CharField(
        "strengths (mg)",
        max_length=60,
        validators=[comma_separated_numbers],
        help_text="Capsule strengths in milligrams, separated by commas: 1, 2, 3, 4.",
    )
    first_approved_year = models.PositiveSmallIntegerField(
        "first approved in the US (year)",
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    ks_approved_year = models.PositiveSmallIntegerField(
        "Kaposi sarcoma use approved (year)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    generic_available = models.CharField(
        "generic version available", max_length=8, choices=GenericAvailable.choices
    )
    generic_as_of = models.DateField(
        "generic availability checked on",
        help_text="The date the answer above was last checked. It is shown beside the answer.",
    )
    how_it_works = MarkdownText("how it works", heading_level=2, anchor=HOW_IT_WORKS_ANCHOR)

    history = content_history("how_it_works_html", "reading_grade")

    class Meta:
        verbose_name = "drug facts"
        verbose_name_plural = "drug facts"

    def __str__(self) -> str:
        return f"{self.brand_name} ({self.generic_name})"

    @property
    def strengths(self) -> list[int]:
        return parse_numbers(self.strengths_mg)


class DosingSchedule(Publishable):
    """One dosing schedule. The cycle picture and its text are drawn from these fields."""

    key = models.SlugField("short name", max_length=40, unique=True)
    condition = models.CharField(
        "condition",
        max_length=80,
        help_text="Who this schedule is for, such as 'Multiple myeloma'.",
    )
    dose_mg = models.PositiveSmallIntegerField(
        "daily dose (mg)", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    cycle_length_days = models.PositiveSmallIntegerField(
        "cycle length (days)", default=28, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    first_dose_day = models.PositiveSmallIntegerField(
        "first day with a capsule", default=1, validators=[MinValueValidator(1)]
    )
    last_dose_day = models.PositiveSmallIntegerField(
        "last day with a capsule", default=21, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField("order", default=0)
    companion_medicine = models.CharField(
        "taken with",
        max_length=80,
        blank=True,
        help_text="A medicine taken with it on set days, such as dexamethasone. May be empty.",
    )
    companion_days = models.CharField(
        "days for the other medicine",
        max_length=80,
        blank=True,
        validators=[comma_separated_numbers],
        help_text="Cycle days for the other medicine, separated by commas: 1, 8, 15, 22.",
    )
    companion_dose_note = models.CharField(
        "dose of the other medicine",
        max_length=200,
        blank=True,
        help_text="In plain words, such as '40 mg if you are 75 or younger'.",
    )

    allowed_doses_mg = models.CharField(
        "doses a prescriber may choose (mg)",
        max_length=60,
        blank=True,
        validators=[comma_separated_numbers],
        help_text="Daily doses in milligrams, separated by commas: 1, 2, 3, 4. The calendar "
        "offers only these. Leave empty to offer only the daily dose above.",
    )
    companion_dose_mg = models.PositiveSmallIntegerField(
        "dose of the other medicine (mg)",
        null=True,
        blank=True,
        help_text="The usual dose of the other medicine, such as 40.",
    )
    companion_older_dose_mg = models.PositiveSmallIntegerField(
        "dose of the other medicine for older people (mg)",
        null=True,
        blank=True,
        help_text="The dose for people older than the age below, such as 20. May be empty.",
    )
    companion_age_limit = models.PositiveSmallIntegerField(
        "age for the lower dose",
        null=True,
        blank=True,
        help_text="People older than this age take the lower dose, such as 75.",
    )
    blood_test_early_every_days = models.PositiveSmallIntegerField(
        "blood tests at first: every how many days",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How often blood counts are checked at the start, such as 7 for every week.",
    )
    blood_test_early_weeks = models.PositiveSmallIntegerField(
        "for how many weeks",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="How many weeks the first, more frequent blood tests last, such as 8.",
    )
    blood_test_later_every_days = models.PositiveSmallIntegerField(
        "blood tests after that: every how many days",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How often blood counts are checked after that, such as 28 for about monthly.",
    )
    blood_tests_need_verification = models.BooleanField(
        "blood test plan to be verified by medical review",
        default=False,
        help_text="Tick when a medical reviewer still has to confirm the blood test plan. "
        "The calendar then asks readers to confirm it with their care team.",
    )

    history = content_history()

    class Meta:
        ordering = ["order", "condition"]
        verbose_name = "dosing schedule"

    def __str__(self) -> str:
        return f"{self.condition}: {self.dose_mg} mg"

    def clean(self) -> None:
        errors = {}
        if self.first_dose_day and self.last_dose_day and self.first_dose_day > self.last_dose_day:
            errors["last_dose_day"] = "The last day must be on or after the first day."
        if (
            self.last_dose_day
            and self.cycle_length_days
            and (self.last_dose_day > self.cycle_length_days)
        ):
            errors["last_dose_day"] = "The last day must fall inside the cycle."
        try:
            outside = [d for d in self.companion_day_list if not 1 <= d <= self.cycle_length_days]
        except ValueError:
            outside = []  # the field validator reports the format
        if outside:
            errors["companion_days"] = "Every day must fall inside the cycle."
        if self.companion_older_dose_mg and not self.companion_age_limit:
            errors["companion_age_limit"] = "Give the age at which the lower dose starts."
        blood_test_fields = (
            self.blood_test_early_every_days,
            self.blood_test_early_weeks,
            self.blood_test_later_every_days,
        )
        if any(blood_test_fields) and not all(blood_test_fields):
            errors["blood_test_later_every_days"] = "Fill in all three blood test fields, or none."
        if errors:
            raise ValidationError(errors)

    @property
    def companion_day_list(self) -> list[int]:
        return parse_numbers(self.companion_days)

    @property
    def allowed_doses(self) -> list[int]:
        """The doses the calendar offers: the editor's list, always with the usual dose in it."""
        try:
            doses = set(parse_numbers(self.allowed_doses_mg))
        except ValueError:
            doses = set()
        return sorted(doses | {self.dose_mg})

    @property
    def has_blood_test_plan(self) -> bool:
        return bool(
            self.blood_test_early_every_days
            and self.blood_test_early_weeks
            and self.blood_test_later_every_days
        )

    @property
    def days_on(self) -> int:
        return self.last_dose_day - self.first_dose_day + 1

    @property
    def days_off(self) -> int:
        return self.cycle_length_days - self.days_on


class ExternalLink(Publishable):
    """A link to another website. Visitors always pass through the leaving-the-site notice."""

    key = models.SlugField(
        "short name",
        max_length=60,
        unique=True,
        help_text="Used in the notice page's address: /leaving/<short name>/.",
    )
    title = models.CharField("link text", max_length=120)
    url = models.URLField(
        "address", max_length=500, help_text="The full web address, starting with https://."
    )
    description = models.CharField(
        "description", max_length=300, help_text="One sentence: what the visitor will find there."
    )
    order = models.PositiveSmallIntegerField("order", default=0)

    history = content_history()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = "external link"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:leaving", kwargs={"key": self.key})

    @classmethod
    def published_key_for(cls, url: str) -> str | None:
        """The key of the published link with this address (any spelling), if there is one."""
        address = normalise_address(url)
        if not address:
            return None
        for link in cls.objects.published().only("key", "url"):
            if normalise_address(link.url) == address:
                return link.key
        return None

    def clean(self) -> None:
        if self.url and not self.url.lower().startswith("https://"):
            raise ValidationError({"url": "Use a secure address that starts with https://."})


site_path = RegexValidator(
    r"^/[-a-zA-Z0-9_/]*(#[-a-zA-Z0-9_]+)?$",
    "Write an address on this site that starts with /, such as /safety/#blood-clots.",
)
PARENTHESES = re.compile(r"\s*\([^)]*\)")


class GlossaryTerm(Publishable, MarkdownContent):
    """A word explained in plain language. Its first use in each page or guide links to it."""

    term = models.CharField(
        "word or phrase",
        max_length=80,
        unique=True,
        help_text="As it is shown in the glossary, such as 'Deep vein thrombosis (DVT)'.",
    )
    slug = models.SlugField(
        "anchor",
        max_length=80,
        unique=True,
        help_text="Its address in the glossary: 'dvt' is shown at /glossary/#dvt.",
    )
    pronunciation = models.CharField(
        "how to say it",
        max_length=80,
        blank=True,
        help_text="Such as 'dex-a-METH-a-sone'. Leave empty if it is not needed.",
    )
    other_forms = models.CharField(
        "other words that get the link",
        max_length=300,
        blank=True,
        help_text="Words in the site's text that mean this term, separated by commas, such as "
        "'DVT, blood clot in the leg'. Words in capitals match only in capitals. The word "
        "itself (without any part in brackets) always counts.",
    )
    definition = MarkdownText("meaning", heading_level=3, anchor_fields=("slug",))
    related_link = models.CharField(
        "read more at",
        max_length=200,
        blank=True,
        validators=[site_path],
        help_text="A page of this site that says more, such as /safety/#blood-clots.",
    )

    history = content_history("definition_html", "reading_grade")

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary word"

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return f"{reverse('content:glossary')}#{self.slug}"

    @property
    def forms(self) -> tuple[str, ...]:
        words = [PARENTHESES.sub("", self.term).strip()]
        words += [word.strip() for word in self.other_forms.split(",")]
        return tuple(dict.fromkeys(word for word in words if word))

    @property
    def letter(self) -> str:
        return self.term[:1].upper()

    @property
    def entry(self) -> GlossaryEntry:
        return GlossaryEntry(
            term=self.term,
            slug=self.slug,
            url=self.get_absolute_url(),
            forms=self.forms,
            pronunciation=self.pronunciation,
            definition_html=self.definition_html,
        )


_relinking = threading.local()


def _relinking_now() -> bool:
    return not getattr(_relinking, "deferred", False)


def relinking_active() -> bool:
    """False while the loader saves many items: links and facts are stored once, at the end."""
    return _relinking_now()


@contextmanager
def relinking_deferred() -> Iterator[None]:
    """Save many items, then store every page's glossary links once, at the end (the loader)."""
    _relinking.deferred = True
    try:
        yield
    finally:
        _relinking.deferred = False
    relink_everything()


def glossary_entries() -> list[GlossaryEntry]:
    """The published glossary, as the Markdown pipeline takes it."""
    return [term.entry for term in GlossaryTerm.objects.published()]


def relink_page(page_id: int | None, entries: list[GlossaryEntry] | None = None) -> None:
    """Store a page's HTML with glossary links: each term linked on its first use on the page
    (intro first, then the sections in order). Only the stored HTML changes: no new version."""
    page = Page.objects.filter(pk=page_id).only("intro", "intro_html").first()
    if page is None:
        return
    entries = glossary_entries() if entries is None else entries
    sections = list(Section.objects.filter(page_id=page_id).order_by("order", "pk"))
    facts = values_for(page.intro, *(section.body for section in sections))
    intro_html, section_htmls = linked_page_html(page.intro, sections, entries, facts)
    if intro_html != page.intro_html:
        Page.objects.filter(pk=page.pk).update(intro_html=intro_html)
    for section, html in zip(sections, section_htmls, strict=True):
        if html != section.body_html:
            Section.objects.filter(pk=section.pk).update(body_html=html)


def linked_page_html(intro: str, sections, entries, facts) -> tuple[str, list[str]]:
    """A page's intro and sections as HTML, each glossary term linked on its first use on the
    page (intro first, then the sections in order)."""
    intro_html, used = render_with_glossary(intro, INTRO_ANCHOR + "--", entries, facts=facts)
    section_htmls = []
    for section in sections:
        html, used = render_with_glossary(
            section.body, f"{section.anchor}--", entries, used, facts=facts
        )
        section_htmls.append(html)
    return intro_html, section_htmls


def relink_everything() -> None:
    """After a glossary change: store every page and guide again with the new links."""
    entries = glossary_entries()
    for page_id in Page.objects.values_list("pk", flat=True):
        relink_page(page_id, entries)
    for guide in Guide.objects.only("body", "body_html"):
        html = render_markdown(guide.body, glossary=entries, facts=values_for(guide.body))
        if html != guide.body_html:
            Guide.objects.filter(pk=guide.pk).update(body_html=html)
    for model in (Snippet, GlossaryTerm, DrugFacts):
        _refresh_fact_texts(model)


def _refresh_fact_texts(model: type[MarkdownContent]) -> None:
    """Store again the HTML of a model's texts that use fact tags (only the HTML changes)."""
    text = model.markdown_text
    for obj in model.objects.filter(**{f"{text.name}__icontains": "[[fact:"}):
        source = getattr(obj, text.name)
        html = render_markdown(
            source, obj.heading_id_prefix(), obj.glossary(), facts=values_for(source)
        )
        if html != getattr(obj, text.html_name):
            model.objects.filter(pk=obj.pk).update(**{text.html_name: html})


def refresh_stored_texts() -> None:
    """Store again the HTML of the texts that link no glossary words (site-wide texts, drug
    facts, glossary meanings) from their Markdown, so they follow changes to the pipeline
    (typography, say). Pages and guides follow through `relink_everything`. Derived values
    only: no new version, nothing an editor wrote changes."""
    for model in (Snippet, DrugFacts, GlossaryTerm):
        text = model.markdown_text
        for item in model.objects.all():
            html = render_markdown(getattr(item, text.name), anchor_prefix=item.heading_id_prefix())
            if html != getattr(item, text.html_name):
                model.objects.filter(pk=item.pk).update(**{text.html_name: html})


def refresh_reading_grades() -> None:
    """Work out every stored text's reading grade again from its stored HTML (the way of
    grading changed, or the HTML did)."""
    for model in (Page, Section, Guide, Snippet, DrugFacts, GlossaryTerm):
        html_name = model.markdown_text.html_name
        for pk, html, grade in model.objects.values_list("pk", html_name, "reading_grade"):
            if (new := grade_of_html(html)) != grade:
                model.objects.filter(pk=pk).update(reading_grade=new)


@receiver(post_save, sender=GlossaryTerm, dispatch_uid="glossary_saved")
@receiver(post_delete, sender=GlossaryTerm, dispatch_uid="glossary_deleted")
def _glossary_changed(sender, **kwargs) -> None:
    if kwargs.get("update_fields") is None and _relinking_now():
        relink_everything()


@receiver(post_delete, sender=Section, dispatch_uid="section_deleted_relink")
def _section_deleted(sender, instance: Section, **kwargs) -> None:
    if _relinking_now():
        relink_page(instance.page_id)


class SearchSynonym(Versioned):
    """Everyday words people search with, and the words the site uses for the same thing."""

    phrase = models.CharField(
        "what people type",
        max_length=60,
        unique=True,
        help_text="One word or a short phrase, such as 'blood clot' or 'pill'.",
    )
    alternatives = models.CharField(
        "also search for",
        max_length=300,
        help_text="Words the site uses for the same thing, separated by commas, such as "
        "'DVT, deep vein thrombosis, pulmonary embolism'.",
    )
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    history = content_history()

    class Meta:
        ordering = ["phrase"]
        verbose_name = "search word"

    def __str__(self) -> str:
        return self.phrase

    @property
    def alternative_list(self) -> list[str]:
        return [word.strip() for word in self.alternatives.split(",") if word.strip()]


class SearchKind(models.TextChoices):
    PAGE = "page", "Page"
    SECTION = "section", "Part of a page"
    GUIDE = "guide", "Guide"
    GLOSSARY = "glossary", "Glossary"


class SearchEntry(models.Model):
    """One published item as the site search sees it (content/search.py keeps it current).

    The full-text index itself is the database's own: on PostgreSQL a stored `search_vector`
    column with a GIN index, on SQLite an FTS5 table; migration 0007 creates whichever applies.
    """

    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    object_id = models.PositiveIntegerField()
    url = models.CharField(max_length=300)
    title = models.CharField(max_length=200)
    context = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_each")
        ]

    def __str__(self) -> str:
        return self.title


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", "Emergency: call 911"
    CALL_NOW = "call-now", "Call the care team right away"


class WarningSign(Publishable):
    """A sign that needs help at once. The diary's tick boxes and its "call now" box list these,
    so they never differ from what the site says."""

    key = models.SlugField("short name", max_length=60, unique=True)
    urgency = models.CharField(
        "what to do", max_length=12, choices=Urgency.choices, default=Urgency.CALL_NOW
    )
    text = models.CharField(
        "sign",
        max_length=200,
        help_text="In plain words, such as 'Fever or other signs of infection'.",
    )
    order = models.PositiveSmallIntegerField("order", default=0)

    history = content_history()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "warning sign"

    def __str__(self) -> str:
        return self.text


class QuestionTopic(models.TextChoices):
    TAKING = "taking", "Taking POMALYST"
    SAFETY = "safety", "Side effects and safety"
    TESTS = "tests", "Tests and visits"
    SUPPORT = "support", "Getting and paying for it"


class SuggestedQuestion(Publishable):
    """A question people may want to ask their care team, offered on the questions sheet."""

    key = models.SlugField("short name", max_length=60, unique=True)
    topic = models.CharField("topic", max_length=10, choices=QuestionTopic.choices)
    text = models.CharField("question", max_length=200)
    order = models.PositiveSmallIntegerField("order", default=0)

    history = content_history()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "suggested question"

    def __str__(self) -> str:
        return self.text


class ForbiddenClaim(models.Model):
    """Words that may not be published: an outdated or wrong claim, why, and the current fact.

    A text that contains one cannot be published (content/editing/publishing.py); its editor sees
    the words found, the reason and the current fact. Matching (content/markdown/claims.py) reads
    the text as a reader sees it, after fact tags are filled in.
    """

    phrase = models.CharField(
        "words that may not be published",
        max_length=200,
        help_text="The words to look for, such as 'empty stomach'. Capitals, extra spaces, line "
        "breaks and curly or straight quotes do not matter. A * stands for any one word or "
        "number: 'one * mg capsule' finds 'one 5 mg capsule'.",
    )
    reason = models.TextField(
        "why they may not be published",
        max_length=1000,
        help_text="One or two sentences an editor can understand, such as 'The current "
        "prescribing information says it can be taken with or without food.'",
    )
    current_fact = models.TextField(
        "the current fact to use instead",
        max_length=1000,
        help_text="What the text should say instead, in plain words.",
    )
    source = models.CharField(
        "source",
        max_length=300,
        help_text="Where the current fact comes from, such as 'US prescribing information, "
        "section 2.1'.",
    )
    active = models.BooleanField(
        "checked",
        default=True,
        help_text="Untick to stop checking for these words (the entry is kept).",
    )
    updated_at = models.DateTimeField("last changed", auto_now=True)

    history = content_history()

    class Meta:
        ordering = ["phrase"]
        verbose_name = "claim that may not be published"
        verbose_name_plural = "claims that may not be published"

    def __str__(self) -> str:
        return self.phrase

    def clean(self) -> None:
        if "\n" in self.phrase or "\r" in self.phrase:
            raise ValidationError({"phrase": "Write the words on one line."})
        if pattern_of(self.phrase) is None:
            raise ValidationError(
                {"phrase": "Write at least one word to look for (a * alone finds every text)."}
            )

    @property
    def rule(self) -> ClaimRule:
        return ClaimRule(self.phrase, self.reason, self.current_fact, self.source)


def active_claim_rules() -> list[ClaimRule]:
    return [claim.rule for claim in ForbiddenClaim.objects.filter(active=True)]


# The review workflow's records (staged revisions, approvals, the audit trail). Imported last:
# they point at the content models by content type, and the content models never read them.
from .workflow_models import (  # noqa: E402, F401
    Approval,
    AuditAction,
    AuditEvent,
    Revision,
    RevisionState,
)
