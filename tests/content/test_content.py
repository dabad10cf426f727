"""The shipped starting content: the facts each page must state, and the wording it must not."""

import importlib
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import frontmatter
import pytest
import textstat
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from content.loader import SEED_DIR, load_content
from content.markdown.readability import readable_html_text
from content.models import (
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    Guide,
    Page,
    Section,
    Snippet,
    WarningSign,
)
from tests.conftest import OTHER_VISITOR_PAGES, shipped_public_pages

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
        "Fever or other signs of infection",
        "bleeding or bruising",
        "A severe rash, blisters or peeling skin",
        "Yellow skin or eyes, dark urine, or pain on the right side of the belly",
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
    # The date the guide was written here, not one borrowed from elsewhere.
    "/guides/pomalyst-dosing-guide/": [
        'Published <time datetime="2026-11-21">November 21, 2026</time>',
    ],
    # Benefits and risks, asked about neutrally.
    "/guides/questions-for-your-care-team/": [
        "What are the possible benefits and risks of POMALYST for me?",
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
    # A date borrowed from a third-party post (the site's content dates from 2026).
    r"\b2025\b",
    # A question that presumes a benefit.
    r"good\s+choice",
]


GLOSSARY_DEFINITION = re.compile(r'<details class="gloss".*?</details>', re.DOTALL)
INLINE_TAG = re.compile(r"</?(a|strong|em|span|abbr|time|mark|code|b|i)\b[^>]*>")


# The pipeline's typography (content/markdown/typography.py) as plain keyboard characters, so a
# fact written with straight quotes matches the curly ones a reader sees.
PLAIN_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def visible_text(html: str) -> str:
    """The words a reader sees, in order: tags dropped (glossary links and bold too, so a linked
    word never splits a phrase), the in-place glossary definitions left out, spaces folded (a
    no-break space too), curly quotes read as straight ones."""
    html = INLINE_TAG.sub("", GLOSSARY_DEFINITION.sub(" ", html))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).translate(PLAIN_QUOTES).split())


def page_text(client, url: str) -> str:
    return visible_text(client.get(url).content.decode())


def all_public_urls() -> list[str]:
    """The content's pages, the filtered guide lists, the leaving notices and the not-found page
    (tests/conftest.py builds the list from the page map and the loaded content)."""
    others = [
        u for u in OTHER_VISITOR_PAGES if not u.startswith(("/audience-check/", "/leaving/?"))
    ]
    return [*shipped_public_pages(), *others]


def content_pages() -> list[str]:
    """The pages made of content: pages, guides and their lists (not the patient tools, the
    leaving notices or the page-not-found answer)."""
    made_of_content = {p.get_absolute_url() for p in Page.objects.published()}
    made_of_content |= {g.get_absolute_url() for g in Guide.objects.published()}
    return [u for u in all_public_urls() if u in made_of_content or u.startswith("/guides/")]


@pytest.mark.parametrize("url", sorted(KEY_FACTS))
def test_each_page_states_its_key_facts(client, seeded, url):
    html = client.get(url).content.decode()
    text = visible_text(html)
    html = html.replace("&nbsp;", " ")  # a number kept with its unit is still that phrase
    missing = [fact for fact in KEY_FACTS[url] if fact not in html and fact not in text]
    assert not missing


def test_outdated_wording_appears_on_no_page(client, seeded):
    for url in all_public_urls():
        html = client.get(url).content.decode()
        for text in (html, visible_text(html)):
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
        text = page_text(client, url)
        if re.search(r"miss(ed)? a dose|forget a dose", text, re.IGNORECASE) and (
            "skip that dose" in text
        ):
            assert "12 hours or less" in text, url
            assert re.search(r"never take 2 doses at the same time", text, re.IGNORECASE), url


def test_the_cycle_picture_is_drawn_from_the_dosing_fields(client, seeded):
    DosingSchedule.objects.filter(key="kaposi-sarcoma").update(dose_mg=3, last_dose_day=14)
    text = page_text(client, "/taking-pomalyst/")
    assert "Kaposi sarcoma: 3 mg a day" in text
    assert "Days 1 to 14:" in text
    assert "Days 15 to 28:" in text


# Medical accuracy: each finding of the medical-information review stays fixed. ---------------


def test_cycle_pictures_say_the_dose_and_never_one_capsule_of_a_strength(client, seeded):
    """There is no 5 mg capsule, and a lower dose is not "one 4 mg capsule"."""
    text = page_text(client, "/taking-pomalyst/")
    assert "take your dose once a day" in text
    assert "Usual dose: 5 mg a day." in text and "Usual dose: 4 mg a day." in text
    assert "your dose (5 mg a day) on days 1 to 21" in text  # the picture's text alternative
    assert not re.search(r"\b(one|a|1)\s+\d+\s*mg\s+capsule", text, re.IGNORECASE)


def test_drug_facts_say_a_generic_is_available_with_its_own_as_of_date(client, seeded):
    html = client.get("/drug-facts/").content.decode()
    panel = html[html.index('<dl class="facts">') : html.index("</dl>")]
    assert 'Yes, as of <time datetime="2026-12-02">December 2, 2026</time>' in panel
    assert "No, as of" not in html


def test_the_rems_program_is_named_from_its_editable_fields_beside_every_rems_section(
    client, seeded
):
    for url in ("/taking-pomalyst/", "/support/"):
        html = client.get(url).content.decode()
        panel = html[html.index('class="rems-panel"') :]
        assert "PS-Pomalidomide REMS" in panel, url
        assert 'href="tel:1-888-423-5436"' in panel, url
        assert 'href="/leaving/rems-program/"' in panel, url
    assert "www.PS-PomalidomideREMS.com" in client.get("/leaving/rems-program/").content.decode()
    Snippet.objects.filter(key="rems-program").update(title="Renamed REMS", phone="1-800-000-0000")
    html = client.get("/support/").content.decode()
    assert "Renamed REMS" in html and "1-800-000-0000" in html
    assert "PS-Pomalidomide REMS" not in html


def test_the_rems_program_name_is_not_written_into_page_prose():
    """Prose refers to "the REMS program"; its name lives in one editable place."""
    for path in Path(SEED_DIR, "pages").glob("*.md"):
        assert "PS-Pomalidomide" not in frontmatter.load(path).content, path.name


def test_the_indication_is_after_lenalidomide_and_a_proteasome_inhibitor(client, seeded):
    for url in ("/", "/drug-facts/"):
        text = page_text(client, url)
        assert "lenalidomide (REVLIMID) and a proteasome inhibitor" in text or (
            "both lenalidomide and a proteasome inhibitor" in text
        ), url
    for url in all_public_urls():
        text = page_text(client, url)
        assert not re.search(r"lenalidomide\s+or\s+", text), url
        assert not re.search(r"lower than the dose of lenalidomide", text), url


def test_the_footer_says_who_publishes_the_site_from_an_editable_text(client, seeded):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "patient education about POMALYST" in footer
    assert "does not take the place of your care team" in footer
    Snippet.objects.filter(key="site-publisher").update(body_html="<p>Published by Example.</p>")
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert "Published by Example." in footer


def test_starting_content_claims_no_medical_review_and_every_page_says_when_it_changed(
    client, seeded
):
    for url in content_pages():
        html = client.get(url).content.decode()
        assert "Medically reviewed on" not in html, url
        assert "awaiting medical review" in html, url
        assert re.search(r'Content last changed: <time datetime="\d{4}-\d\d-\d\d">', html), url


def test_a_section_edit_moves_the_pages_last_changed_date(client, seeded):
    page = Page.objects.get(slug="safety")
    Page.objects.filter(pk=page.pk).update(updated_at=datetime(2026, 1, 5, 12, tzinfo=UTC))
    Section.objects.filter(page=page).update(updated_at=datetime(2026, 1, 5, 12, tzinfo=UTC))
    WarningSign.objects.update(updated_at=datetime(2026, 1, 5, 12, tzinfo=UTC))  # its list
    html = client.get("/safety/").content.decode()
    assert 'Content last changed: <time datetime="2026-01-05">January 5, 2026</time>' in html
    section = page.sections.first()
    section.body += "\nMore."
    section.save()
    html = client.get("/safety/").content.decode()
    assert "January 5, 2026" not in html


# Fair balance ---------------------------------------------------------------------------------


def test_every_page_links_to_the_full_label_and_gives_the_medwatch_statement(client, seeded):
    for url in all_public_urls():
        html = client.get(url).content.decode()
        isi = html[html.index('<aside class="isi"') : html.index("</aside>")]
        assert 'href="/leaving/prescribing-information/"' in isi, url
        assert "Prescribing Information and Medication Guide" in isi, url
        assert "report side effects of prescription medicines to the FDA" in isi, url
        assert 'href="/leaving/fda-medwatch/"' in isi and "1-800-FDA-1088" in isi, url
    notice = client.get("/leaving/prescribing-information/").content.decode()
    assert "dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=2b25ef01" in notice
    assert "www.fda.gov/medwatch" in client.get("/leaving/fda-medwatch/").content.decode()


def test_the_links_beside_the_safety_summary_work_even_if_an_editor_removes_them(client, seeded):
    ExternalLink.objects.filter(key="prescribing-information").delete()
    ExternalLink.objects.filter(key="fda-medwatch").update(status="draft")
    notice = client.get("/leaving/prescribing-information/").content.decode()
    assert 'href="https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=2b25ef01' in notice
    assert (
        'href="https://www.fda.gov/medwatch"'
        in client.get("/leaving/fda-medwatch/").content.decode()
    )
    assert client.get("/leaving/no-such-link/").status_code == 404


@pytest.mark.parametrize("change", ["delete", "empty"])
def test_the_safety_summary_never_disappears(client, seeded, change):
    isi = Snippet.objects.get(key="isi-summary")
    if change == "delete":
        isi.delete()
    else:
        Snippet.objects.filter(pk=isi.pk).update(body="", body_html="")
    for url in ("/", "/guides/", "/taking-pomalyst/"):
        html = client.get(url).content.decode()
        isi_html = html[html.index('<aside class="isi"') : html.index("</aside>")]
        assert "POMALYST can harm an unborn baby." in isi_html, url
        assert "POMALYST can cause blood clots" in isi_html, url
        assert 'href="/safety/"' in isi_html, url


def test_the_admin_refuses_to_delete_the_safety_summary(admin_client, seeded):
    isi = Snippet.objects.get(key="isi-summary")
    url = reverse("admin:content_snippet_delete", args=[isi.pk])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert Snippet.objects.filter(key="isi-summary").exists()
    assert "cannot be deleted" in response.content.decode()
    response = admin_client.post(
        reverse("admin:content_snippet_changelist"),
        {"action": "delete_selected", "_selected_action": [isi.pk], "post": "yes"},
    )
    assert Snippet.objects.filter(key="isi-summary").exists()


def test_the_admin_refuses_to_save_an_empty_safety_summary(seeded):
    isi = Snippet.objects.get(key="isi-summary")
    isi.body = "   "
    with pytest.raises(ValidationError, match="cannot be deleted or left"):
        isi.full_clean()


def test_kaposi_sarcoma_response_rates_always_stand_with_their_context(client, seeded):
    context = [
        "28 adults",
        "18 of them had HIV, and 10 did not",
        "no comparison group",
        "about 12.5 months",
        "about 10.5 months",
        "accelerated approval",
    ]
    pages = 0
    for url in all_public_urls():
        text = page_text(client, url)
        if re.search(r"\b(67|80)%", text):
            pages += 1
            assert [c for c in context if c not in text] == [], url
    assert pages >= 1


def test_a_safety_line_stands_right_under_each_benefit_statement_on_the_home_page(client, seeded):
    html = client.get("/").content.decode()
    for benefit in ("Lab studies suggest", "80% of the people without HIV"):
        after = html[html.index(benefit) :]
        line = after.index("<strong>Safety first:</strong>")
        assert line < 1500, benefit  # within the same block, not screens away
        assert 'href="/safety/"' in after[line : line + 400], benefit


def test_how_it_works_is_said_as_lab_findings(client, seeded):
    for url in ("/", "/drug-facts/"):
        html = client.get(url).content.decode()
        assert "Lab studies suggest" in html, url
        assert "POMALYST helps your immune system fight cancer" not in html, url


def _trough_depth(path: str, x_from: int, x_to: int) -> float:
    points = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    pairs = list(zip(points[::2], points[1::2], strict=True))
    return max(y for x, y in pairs if x_from <= x <= x_to)


def test_the_relapse_diagram_says_a_new_treatment_may_bring_a_smaller_response(client, seeded):
    html = client.get("/understanding-relapse/").content.decode()
    path = re.search(r'<path d="([^"]+)"', html).group(1)
    first, second = _trough_depth(path, 150, 300), _trough_depth(path, 400, 560)
    assert second < first  # SVG y grows downwards: the second fall is not as deep
    figure = html[html.index('class="figure figure--chart"') :]
    assert "A new treatment may bring a new response" in figure
    assert "the line may fall again" in figure
    assert "a new period of response can begin" not in html


# What was missing -----------------------------------------------------------------------------


def test_pages_with_facts_still_to_be_verified_are_marked_so_for_reviewers(seeded):
    """The *verify* facts (KS wording, KS blood tests, pregnancy test plan, the app)."""
    for slug in ("home", "taking-pomalyst", "safety", "support"):
        page = Page.objects.get(slug=slug)
        assert page.needs_verification and "verified" in page.review_note, slug
    for slug in ("pomalyst-dosing-guide", "caregiver-guide"):
        guide = Guide.objects.get(slug=slug)
        assert guide.needs_verification and "Kaposi sarcoma" in guide.review_note, slug
    link = ExternalLink.objects.get(key="patient-support")
    assert link.needs_verification and "BMS Access Support" in link.review_note


def test_the_side_effects_guide_is_for_patients_and_caregivers(client, seeded):
    guide = Guide.objects.published().get(slug="living-with-side-effects")
    assert "caregivers" in guide.title
    assert guide.get_absolute_url() in client.get("/guides/").content.decode()
    assert guide.get_absolute_url() in client.get("/safety/").content.decode()


def test_every_page_and_guide_reads_at_grade_8_or_lower(seeded):
    items = [*Page.objects.all(), *Section.objects.all(), *Guide.objects.all()]
    too_hard = [(str(i), i.reading_grade) for i in items if (i.reading_grade or 0) > 8]
    assert too_hard == []


@pytest.mark.parametrize("url", ["/guides/", "/guides/?audience=patients"])
def test_the_guides_list_reads_at_grade_8_or_lower_even_as_plain_running_text(client, seeded, url):
    """Measured twice: a sentence per block, and as the bare running text a reader skims."""
    html = client.get(url).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    running_text = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    assert textstat.flesch_kincaid_grade(readable_html_text(main)) <= 8
    assert textstat.flesch_kincaid_grade(running_text) <= 8


# An existing site gets the corrections --------------------------------------------------------

OLD_REVIEWER = "Site team, checked against the facts list"
OLD_PAGE = """\
---
title: Safety
summary: Safety facts.
reviewed_on: 2026-11-21
reviewed_by: Site team, checked against the facts list
next_review_due: 2027-05-21
needs_verification: false
review_note: ""
---
Intro.

## Blood clots {#blood-clots}
Old text.
"""
OLD_FACTS = """\
brand_name: POMALYST
brand_pronunciation: POM-uh-list
generic_name: pomalidomide
generic_pronunciation: poe-ma-LID-oh-mide
drug_class: IMiD
company: Maker
form: capsules
strengths_mg: "1, 2"
first_approved_year: 2013
ks_approved_year: null
generic_available: "no"
generic_as_of: 2020-05-19
how_it_works: It works.
reviewed_on: 2026-11-21
reviewed_by: Site team, checked against the facts list
next_review_due: 2027-05-21
needs_verification: true
review_note: Check the generic.
"""


def _write_seed(folder: Path, page: str, facts: str, guide_body: str) -> Path:
    for sub in ("pages", "guides", "snippets"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "pages" / "safety.md").write_text(page)
    guide = page.replace("title: Safety", "title: A guide\naudience: patients\n"
                         "published_on: 2026-11-21").split("\nIntro.")[0]  # fmt: skip
    (folder / "guides" / "a-guide.md").write_text(guide + "\n" + guide_body)
    (folder / "snippets" / "isi-summary.md").write_text("---\ntitle: ISI\n---\nBoxed.\n")
    (folder / "dosing.yaml").write_text("[]\n")
    (folder / "links.yaml").write_text("[]\n")
    (folder / "drug-facts.yaml").write_text(facts)
    return folder


def test_an_existing_site_gets_the_corrections_and_keeps_its_editors_changes(tmp_path, db):
    """The data migration and `load_content`, on a site loaded by the first loader."""
    migration = importlib.import_module("content.migrations.0006_clear_unsigned_reviews")
    load_content(_write_seed(tmp_path / "old", OLD_PAGE, OLD_FACTS, "Old guide text.\n"))
    for model in (Page, Guide, Snippet, DrugFacts):  # fingerprints as the first loader made them
        for obj in model.objects.all():
            before = migration.WRITTEN_BEFORE[model.__name__]
            fingerprint = migration._fingerprint(obj, before, model is Page)
            model.objects.filter(pk=obj.pk).update(seed_fingerprint=fingerprint)
    guide = Guide.objects.get()
    guide.body = "An editor's own text."
    guide.save()

    migration.clear_unsigned_reviews(django_apps, None)
    new_page = OLD_PAGE.replace("reviewed_on: 2026-11-21", "reviewed_on: null").replace(
        f"reviewed_by: {OLD_REVIEWER}", 'reviewed_by: ""'
    )
    new_facts = (
        OLD_FACTS.replace('"no"', '"yes"')
        .replace("2020-05-19", "2026-12-02")
        .replace("reviewed_on: 2026-11-21\n", "")
        .replace(f"reviewed_by: {OLD_REVIEWER}\n", "")
    )
    report = load_content(
        _write_seed(tmp_path / "new", new_page.replace("Old text.", "New text."), new_facts, "New.")
    )

    assert report.kept == ["guide: a-guide.md"]
    assert Section.objects.get().body == "New text.\n"
    assert DrugFacts.objects.get().generic_available == "yes"
    guide = Guide.objects.get()
    assert guide.body == "An editor's own text."
    assert (guide.reviewed_by, guide.medically_reviewed_on) == ("", None)
    for model in (Page, Guide, DrugFacts):
        assert not model.objects.filter(reviewed_by=OLD_REVIEWER).exists()
