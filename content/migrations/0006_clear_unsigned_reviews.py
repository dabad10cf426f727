"""Starting content no longer claims a medical review that did not happen.

The first starting content named "Site team, checked against the facts list" as its reviewer: that
is not a named medical reviewer, so those review dates and names are cleared everywhere, edited or
not. The loader now writes every review field for every item, so the fingerprint of each untouched
item is worked out again in the new shape: `load_content` still sees it as untouched and brings in
the corrected text, and still keeps every item an editor changed.
"""

import hashlib
import json

from django.db import migrations

OLD_REVIEWER = "Site team, checked against the facts list"
REVIEW_FIELDS = [
    "medically_reviewed_on",
    "reviewed_by",
    "next_review_due",
    "needs_verification",
    "review_note",
]
SECTION_FIELDS = ("order", "heading", "anchor", "body", "figure")
# The fields the first loader wrote for each kind of item (its fingerprint's shape).
WRITTEN_BEFORE = {
    "Snippet": ["title", "body", "review_note"],
    "Page": ["title", "nav_title", "summary", "intro", "status", *REVIEW_FIELDS],
    "Guide": ["title", "summary", "audience", "published_on", "body", "status", *REVIEW_FIELDS],
    "DosingSchedule": [
        "condition",
        "dose_mg",
        "cycle_length_days",
        "first_dose_day",
        "last_dose_day",
        "order",
        "companion_medicine",
        "companion_days",
        "companion_dose_note",
        "status",
        "review_note",
    ],
    "ExternalLink": [
        "title",
        "url",
        "description",
        "order",
        "status",
        "medically_reviewed_on",
        "review_note",
    ],
    "DrugFacts": [
        "brand_name",
        "brand_pronunciation",
        "generic_name",
        "generic_pronunciation",
        "drug_class",
        "company",
        "first_approved_year",
        "ks_approved_year",
        "generic_available",
        "generic_as_of",
        "strengths_mg",
        "form",
        "how_it_works",
        "status",
        *REVIEW_FIELDS,
    ],
}


def _fingerprint(obj, fields, with_sections) -> str:
    """The loader's fingerprint (content/loader.py) of the named fields, as it was written."""
    data = {name: getattr(obj, name) for name in fields}
    if with_sections:
        data["sections"] = [
            {name: getattr(section, name) for name in SECTION_FIELDS}
            for section in obj.sections.order_by("order", "pk")
        ]
    normalised = json.loads(json.dumps(data, sort_keys=True, default=str))
    return hashlib.sha256(json.dumps(normalised, sort_keys=True).encode()).hexdigest()


def clear_unsigned_reviews(apps, schema_editor):
    for model_name, before in WRITTEN_BEFORE.items():
        model = apps.get_model("content", model_name)
        after = list(dict.fromkeys([*before, *REVIEW_FIELDS]))
        with_sections = model_name == "Page"
        for obj in model.objects.all():
            untouched = bool(obj.seed_fingerprint) and obj.seed_fingerprint == _fingerprint(
                obj, before, with_sections
            )
            if obj.reviewed_by.strip() == OLD_REVIEWER:
                obj.reviewed_by = ""
                obj.medically_reviewed_on = None
            if untouched:
                obj.seed_fingerprint = _fingerprint(obj, after, with_sections)
            obj.save(update_fields=["reviewed_by", "medically_reviewed_on", "seed_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [("content", "0005_review_status_rems_publisher")]

    operations = [migrations.RunPython(clear_unsigned_reviews, migrations.RunPython.noop)]
