"""The shipped starting content: the facts each page must state, and the wording it must not."""

import re
from pathlib import Path

import pytest

from content.loader import SEED_DIR
from content.models import DosingSchedule, ExternalLink, Guide, Page

KEY_FACTS = {
    "/": [
        "dexamethasone",
        "at least 2 medicines",
        "lenalidomide (REVLIMID)",
        "proteasome inhibitor",
        "within 60 days",
        "Kaposi sarcoma",
        "HIV-negative",
        "Why am I changing medications?",
        "safe and works well in children",
        "a cancer of plasma cells",
        "lesions",
        "HHV-8",
        "keep taking your HIV medicines",
        "Lab studies suggest",
    ],
    "/understanding-relapse/": [
        "M protein",
        "Response to treatment",
        "Relapse",
        "M spike",
        "no cure",
        'role="img"',
        "not real patient data",
    ],
    "/taking-pomalyst/": [
        "Multiple myeloma: 4 mg a day",
        "Kaposi sarcoma: 5 mg a day",
        "There is no 5 mg capsule",
        "Days 1 to 21:",
        "Days 22 to 28:",
        "days 1, 8, 15, 22",
        "40 mg",
        "20 mg",
        "with or without food",
        "12 hours or less",
        "Never take 2 doses at the same time.",
        "For the first 8 weeks:",
        "For the first 12 weeks:</strong> every 2 weeks",
        "blood tests of your liver, about once a month",
        "the dose for people on dialysis is 4 mg",
        "It is 2 mg if they are severe",
        "keep taking your HIV medicines (HAART)",
        "REMS",
        "3 mg",
        "fluvoxamine",
        "Swallow each capsule whole",
        "Never share your capsules",
        "no more than 28 days of medicine, with no refills",
    ],
    "/safety/": [
        "2 boxed warnings",
        "birth defects",
        "2 negative pregnancy tests",
        "2 reliable forms of birth control",
        "4 weeks (28 days)",
        "vasectomy",
        "Do not give blood",
        "chest pain",
        "shortness of breath",
        "neutropenia",
        "anemia",
        "thrombocytopenia",
        "tumor lysis syndrome",
        "angioedema",
        "avoid driving",
        "Stop taking POMALYST and call your doctor right away",
        "a missed period, unusual bleeding, or a break in your birth control",
        "10 to 14 days before your first prescription",
        "within 24 hours before your first prescription",
        "every week for the first 4 weeks",
        "If your periods are not regular, every 2 weeks",
        "Do not breastfeed",
        "Never give your capsules to anyone else",
        "Most people who take POMALYST also take a medicine to help prevent clots",
        "Call 911 right away",
        "swelling of your face, lips, tongue, or throat",
        "fever or other signs of an infection",
        "bleeding or bruising",
        "a severe rash, blisters, or peeling skin",
        "yellow skin or eyes, dark urine, or pain on the right side of your belly",
        "pembrolizumab",
        "This is not an approved use",
        "serious allergic reaction to pomalidomide",
    ],
    "/drug-facts/": [
        "pomalidomide",
        "1 mg, 2 mg, 3 mg, 4 mg",
        "Bristol Myers Squibb (Celgene)",
        "2013",
        "(for Kaposi sarcoma: 2020)",
        "Yes, as of",
        "December 2, 2026",
        "sold in the US since early 2026",
        "both lenalidomide and a proteasome inhibitor",
        "natural killer (NK) cells",
        "Immunomodulatory drug (IMiD)",
        "Lab studies suggest",
    ],
    "/support/": [
        "REMS",
        "Companion App",
        "BMS Access Support",
        'href="/leaving/pomalyst-brand-site/"',
        'href="/leaving/patient-support/"',
        'href="/leaving/rems-program/"',
    ],
    "/guides/living-with-side-effects/": [
        "Feeling tired and weak",
        "Constipation",
        "Nausea",
        "Diarrhea",
        "Numb or tingling hands and feet",
        "Rash",
        "Fever",
        "Call 911",
        "For caregivers",
    ],
}

# The older label (2013) said these things; the current prescribing information does not.
OUTDATED_WORDING = [
    r"empty\s+stomach",
    r"(two|2)\s+hours\s+before\s+or\s+after",
    r"with\s+food\s+can\s+reduce",
    r"reduce\s+its\s+effectiveness",
    r"skip\s+it\s+and\s+wait",
    r"if\s+you\s+miss\s+a\s+dose,\s+skip",
    r"always\s+skip",
    # There is no 5 mg capsule, and a dose may take more than one capsule.
    r"\b(one|a|1)\s+\d+\s*mg\s+capsule",
    # The indication is after lenalidomide AND a proteasome inhibitor.
    r"lenalidomide\s+or\s+bortezomib",
    # A milligram comparison with lenalidomide says nothing about strength or safety.
    r"dose\s+is\s+lower\s+than",
    # Generic pomalidomide has been sold in the US since early 2026.
    r"generic[^.]*\bno\b,?\s+as\s+of",
    r"May\s+19,\s+2020",
    r"2020-05-19",
    # The program is the PS-Pomalidomide REMS; the old name must not appear as the current one.
    r"POMALYST\s+REMS",
    r"name\s+may\s+change",
    # Nobody claimed that the site is independent of the maker.
    r"independent\s+education",
    r"\bindependent\b",
    # No medical reviewer has signed the starting content.
    r"Site\s+team,\s+checked\s+against",
    r"Last\s+medically\s+reviewed",
    # A date borrowed from a third-party post.
    r"October\s+17,\s+2025",
    r"2025-10-17",
    # A question that presumes a benefit.
    r"good\s+choice\s+for\s+me",
]


def all_public_urls() -> list[str]:
    urls = ["/", "/guides/", "/guides/?audience=patients", "/guides/?audience=caregivers"]
    urls += [p.get_absolute_url() for p in Page.objects.published()]
    urls += [g.get_absolute_url() for g in Guide.objects.published()]
    urls += [link.get_absolute_url() for link in ExternalLink.objects.published()]
    urls += ["/no-such-page/"]
    return sorted(set(urls))


def content_pages() -> list[str]:
    """The pages made of content (not the leaving notices or the page-not-found answer)."""
    return [u for u in all_public_urls() if not u.startswith(("/leaving/", "/no-such-page/"))]


@pytest.mark.parametrize("url", sorted(KEY_FACTS))
def test_each_page_states_its_key_facts(client, seeded, url):
    html = client.get(url).content.decode()
    missing = [fact for fact in KEY_FACTS[url] if fact not in html]
    assert not missing


def test_outdated_wording_appears_on_no_page(client, seeded):
    for url in all_public_urls():
        text = client.get(url).content.decode()
        for pattern in OUTDATED_WORDING:
            assert not re.search(pattern, text, re.IGNORECASE), (url, pattern)


def test_outdated_wording_appears_in_no_seed_file_even_drafts():
    for path in Path(SEED_DIR).rglob("*"):
        if path.suffix in {".md", ".yaml"} and path.name != "FORMAT.md":
            text = path.read_text(encoding="utf-8")
            for pattern in OUTDATED_WORDING:
                assert not re.search(pattern, text, re.IGNORECASE), (path.name, pattern)


def test_missed_dose_advice_gives_the_twelve_hour_rule_on_every_page_that_mentions_it(
    client, seeded
):
    for url in all_public_urls():
        text = client.get(url).content.decode()
        if re.search(r"miss(ed)? a dose|forget a dose", text, re.IGNORECASE) and (
            "skip that dose" in text
        ):
            assert "12 hours or less" in text, url
            assert re.search(r"never take 2 doses at the same time", text, re.IGNORECASE), url


def test_the_cycle_picture_is_drawn_from_the_dosing_fields(client, seeded):
    DosingSchedule.objects.filter(key="kaposi-sarcoma").update(dose_mg=3, last_dose_day=14)
    html = client.get("/taking-pomalyst/").content.decode()
    assert "Kaposi sarcoma: 3 mg a day" in html
    assert "Days 1 to 14:" in html
    assert "Days 15 to 28:" in html


def test_no_page_links_straight_to_another_site(client, seeded):
    """Every external link passes through the leaving-the-site notice."""
    for url in all_public_urls():
        if url.startswith("/leaving/"):
            continue
        html = client.get(url).content.decode()
        assert not re.search(r'href="(https?:)?//', html), url
