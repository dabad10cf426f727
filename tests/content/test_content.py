"""The shipped starting content: the facts each page must state, and the wording it must not."""

import re
from pathlib import Path

import pytest

from content.loader import SEED_DIR
from content.models import DosingSchedule

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
        "Multiple myeloma: 4 mg",
        "Kaposi sarcoma: 5 mg",
        "Days 1 to 21:",
        "Days 22 to 28:",
        "days 1, 8, 15, 22",
        "40 mg",
        "20 mg",
        "with or without food",
        "12 hours or less",
        "Never take 2 doses at the same time.",
        "For the first 8 weeks:",
        "REMS",
        "3 mg",
        "fluvoxamine",
        "Swallow each capsule whole",
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
    ],
    "/drug-facts/": [
        "pomalidomide",
        "1 mg, 2 mg, 3 mg, 4 mg",
        "Bristol Myers Squibb (Celgene)",
        "2013",
        "No, as of",
        "May 19, 2020",
        "natural killer (NK) cells",
        "Immunomodulatory drug (IMiD)",
    ],
    "/support/": [
        "REMS",
        "Companion App",
        'href="/leaving/pomalyst-brand-site/"',
        'href="/leaving/patient-support/"',
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
]


@pytest.mark.parametrize("url", sorted(KEY_FACTS))
def test_each_page_states_its_key_facts(client, seeded, url):
    html = client.get(url).content.decode()
    missing = [fact for fact in KEY_FACTS[url] if fact not in html]
    assert not missing


def test_outdated_wording_appears_on_no_page(client, visitor_pages):
    for url in visitor_pages:
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
    client, visitor_pages
):
    for url in visitor_pages:
        text = client.get(url).content.decode()
        if re.search(r"miss(ed)? a dose|forget a dose", text, re.IGNORECASE) and (
            "skip that dose" in text
        ):
            assert "12 hours or less" in text, url
            assert re.search(r"never take 2 doses at the same time", text, re.IGNORECASE), url


def test_the_cycle_picture_is_drawn_from_the_dosing_fields(client, seeded):
    DosingSchedule.objects.filter(key="kaposi-sarcoma").update(dose_mg=3, last_dose_day=14)
    html = client.get("/taking-pomalyst/").content.decode()
    assert "Kaposi sarcoma: 3 mg" in html
    assert "Days 1 to 14:" in html
    assert "Days 15 to 28:" in html


def test_unverified_kaposi_sarcoma_year_is_not_shown_as_a_fact(client, seeded):
    html = client.get("/drug-facts/").content.decode()
    assert "for Kaposi sarcoma: 2020" not in html
