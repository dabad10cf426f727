"""The claims that may not be published, as the site starts: FACTS.md's DISAGREES items.

Migration `forbidden_claims` adds them; tests add them again where a transactional test may have
emptied the table. Reviewers keep the list in the admin from then on.
"""

from django.apps import apps as global_apps

# FACTS.md's DISAGREES items: wording from the seed documents that the current US prescribing
# information (PI) contradicts. Reviewers keep this list in the admin from here on.
STARTING_CLAIMS = [
    (
        "empty stomach",
        "This was the rule on the 2013 label. The current label says the capsules can be taken "
        "with or without food.",
        "Take POMALYST with or without food",
        "US prescribing information (current label); seed 002 has the 2013 wording",
    ),
    (
        "hours before or after food",
        "This was the rule on the 2013 label. The current label says the capsules can be taken "
        "with or without food.",
        "Take POMALYST with or without food",
        "US prescribing information (current label); seed 002 has the 2013 wording",
    ),
    (
        "food can reduce",
        "The current label does not say that food makes it work less well.",
        "Take POMALYST with or without food",
        "US prescribing information (current label); seed 002 has the 2013 wording",
    ),
    (
        "always skip",
        "Whether to skip a missed dose depends on how long ago it was due.",
        "If 12 hours or less have passed since the usual time, take it as soon as you remember; "
        "if more than 12 hours, skip that dose and take the next one at the usual time. Never "
        "take 2 doses at the same time",
        "US prescribing information, Medication Guide; seed 002 has the older rule",
    ),
    (
        "one * mg capsule",
        "Capsules come in 1, 2, 3 and 4 mg, and there is no 5 mg capsule: a dose can take more "
        "than one capsule.",
        "Say “your dose” and its milligrams, such as 4 mg a day for multiple myeloma or 5 mg a "
        "day for Kaposi sarcoma",
        "US prescribing information (dosage forms and strengths)",
    ),
    (
        "a * mg capsule",
        "Capsules come in 1, 2, 3 and 4 mg, and there is no 5 mg capsule: a dose can take more "
        "than one capsule.",
        "Say “your dose” and its milligrams, such as 4 mg a day for multiple myeloma or 5 mg a "
        "day for Kaposi sarcoma",
        "US prescribing information (dosage forms and strengths)",
    ),
    (
        "lenalidomide or bortezomib",
        "“Or” misstates who it is for: for multiple myeloma it is used after both lenalidomide "
        "and a proteasome inhibitor.",
        "For multiple myeloma, it is for adults who have had at least 2 medicines, including "
        "lenalidomide and a proteasome inhibitor (such as bortezomib)",
        "US prescribing information, indications; seed 002 says “or”",
    ),
    (
        "POMALYST REMS",
        "This is the old name of the safety program.",
        "The program is now the PS-Pomalidomide REMS, one program for POMALYST and generic "
        "pomalidomide",
        "US prescribing information, section 5.2 (revised February 2025); seed 000 has the old "
        "name",
    ),
    (
        "no generic",
        "This is out of date: generic pomalidomide is sold in the US.",
        "Generic pomalidomide capsules have been sold in the US since early 2026, in 1, 2, 3 and "
        "4 mg",
        "FDA product listings (first generic capsules on sale February 28 to March 3, 2026); seed "
        "001 said “No” as of May 19, 2020",
    ),
]


def add_starting_claims(apps=global_apps, schema_editor=None) -> None:
    claim_model = apps.get_model("content", "ForbiddenClaim")
    for phrase, reason, current_fact, source in STARTING_CLAIMS:
        claim_model.objects.get_or_create(
            phrase=phrase,
            defaults={"reason": reason, "current_fact": current_fact, "source": source},
        )


def remove_starting_claims(apps=global_apps, schema_editor=None) -> None:
    claim_model = apps.get_model("content", "ForbiddenClaim")
    claim_model.objects.filter(phrase__in=[claim[0] for claim in STARTING_CLAIMS]).delete()
