"""The glossary: its page, and the links the Markdown pipeline adds to the first use of a term."""

import subprocess
import sys
from pathlib import Path

import pytest

from content.markdown.glossary import GlossaryEntry, link_terms
from content.markdown.render import render_markdown
from content.models import GlossaryTerm, Guide, Page, Section, Status

BASE_DIR = Path(__file__).resolve().parents[2]


def entry(term: str, slug: str, meaning: str, forms=None, pronunciation="") -> GlossaryEntry:
    return GlossaryEntry(
        term=term,
        slug=slug,
        url=f"/glossary/#{slug}",
        forms=forms or (term,),
        pronunciation=pronunciation,
        definition_html=f"<p>{meaning}</p>",
    )


NEUROPATHY = entry("Neuropathy", "neuropathy", "Nerve damage.")
DVT = entry(
    "Deep vein thrombosis (DVT)",
    "dvt",
    "A clot in a deep vein.",
    forms=("Deep vein thrombosis", "DVT"),
)
DEX = entry(
    "Dexamethasone", "dexamethasone", "A steroid medicine.", pronunciation="dex-a-METH-a-sone"
)


def links(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('data-glossary="')[1:]]


# The pure function


def test_exact_output_for_one_term_in_a_paragraph():
    html, used = link_terms("<p>Some neuropathy here.</p>", [NEUROPATHY])
    assert html == (
        '<p>Some <a class="gloss-term" href="/glossary/#neuropathy" data-glossary="neuropathy">'
        "neuropathy</a> here.</p>"
        '<details class="gloss" data-glossary="neuropathy">'
        "<summary>What does “neuropathy” mean?</summary>"
        '<div class="gloss__body"><p class="gloss__term"><strong>Neuropathy</strong></p>'
        "<p>Nerve damage.</p>"
        '<p><a href="/glossary/#neuropathy">See all the words in the glossary</a></p></div>'
        "</details>"
    )
    assert used == {"neuropathy"}


def test_only_the_first_use_is_linked():
    html, _ = link_terms(
        "<p>Neuropathy is common. Neuropathy again.</p><p>And neuropathy.</p>", [NEUROPATHY]
    )
    assert html.count('class="gloss-term"') == 1
    assert html.count("<details") == 1


def test_terms_already_linked_earlier_on_the_page_are_not_linked_again():
    html, used = link_terms("<p>Neuropathy and DVT.</p>", [NEUROPATHY, DVT], already={"dvt"})
    assert links(html) == ["neuropathy", "neuropathy"]  # the link and its definition
    assert used == {"dvt", "neuropathy"}


def test_nothing_is_linked_inside_headings_links_or_code():
    source = (
        "<h2>Neuropathy</h2><p><a href='/x/'>neuropathy</a> <code>neuropathy</code></p>"
        "<pre><code>neuropathy</code></pre><p><abbr title='x'>DVT</abbr></p>"
    )
    html, used = link_terms(source, [NEUROPATHY, DVT])
    assert used == set()
    assert 'class="gloss-term"' not in html


def test_the_first_use_after_a_heading_is_linked():
    html, _ = link_terms("<h2>Neuropathy</h2><p>About neuropathy.</p>", [NEUROPATHY])
    assert html.startswith("<h2>Neuropathy</h2><p>About <a class=")


def test_abbreviations_match_only_in_capitals_and_whole_words():
    html, used = link_terms("<p>The dvt, PEDVT and DVTs.</p>", [DVT])
    assert used == set()
    html, used = link_terms("<p>A DVT.</p>", [DVT])
    assert used == {"dvt"}


def test_the_definition_goes_at_the_end_of_a_list_item_or_table_cell():
    html, _ = link_terms("<ul><li>Take dexamethasone <em>today</em>.</li></ul>", [DEX])
    assert html.endswith("</details></li></ul>")
    assert "(say: dex-a-METH-a-sone)" in html
    html, _ = link_terms("<table><tr><td>Neuropathy</td></tr></table>", [NEUROPATHY])
    assert html.endswith("</details></td></tr></table>")


def test_entities_and_other_markup_survive():
    source = "<p>Tom &amp; Jerry&#x27;s neuropathy<br>line two</p>"
    html, _ = link_terms(source, [NEUROPATHY])
    assert html.startswith("<p>Tom &amp; Jerry&#x27;s <a class=")
    assert "<br>line two</p>" in html


def test_the_pipeline_links_terms_it_is_given_and_nothing_without_them():
    assert 'class="gloss-term"' in render_markdown("Some neuropathy.", glossary=[NEUROPATHY])
    assert render_markdown("Some neuropathy.") == "<p>Some neuropathy.</p>"


def test_the_markdown_pipeline_imports_no_model():
    code = (
        "import sys; import content.markdown.render, content.markdown.glossary; "
        "assert 'content.models' not in sys.modules, 'a model was imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, check=True)


# Stored HTML follows the glossary


@pytest.fixture
def neuropathy(db):
    return GlossaryTerm.objects.create(
        term="Neuropathy",
        slug="neuropathy",
        definition="Nerve damage.",
        status=Status.PUBLISHED,
    )


def page_html(page: Page) -> list[str]:
    return [s.body_html for s in Section.objects.filter(page=page).order_by("order")]


def test_first_use_on_a_page_links_and_later_sections_do_not(neuropathy, make_page):
    page = make_page(
        sections=(("One", "Neuropathy in one."), ("Two", "Neuropathy in two.")),
        intro="No term here.",
    )
    first, second = page_html(page)
    assert 'class="gloss-term"' in first
    assert 'class="gloss-term"' not in second


def test_a_use_in_the_intro_counts_as_the_first_on_the_page(neuropathy, make_page):
    page = make_page(sections=(("One", "Neuropathy in one."),), intro="Neuropathy first.")
    page.refresh_from_db()
    assert 'class="gloss-term"' in page.intro_html
    assert 'class="gloss-term"' not in page_html(page)[0]


def test_a_draft_term_is_never_linked(make_page, db):
    GlossaryTerm.objects.create(term="Neuropathy", slug="neuropathy", definition="Nerve damage.")
    page = make_page(sections=(("One", "Neuropathy."),))
    assert 'class="gloss-term"' not in page_html(page)[0]


def test_publishing_unpublishing_and_deleting_a_term_update_stored_pages(make_page, db):
    page = make_page(sections=(("One", "Neuropathy."),))
    guide = Guide.objects.create(
        slug="g",
        title="G",
        summary="S",
        published_on="2026-01-01",
        body="Neuropathy.",
        status=Status.PUBLISHED,
    )
    versions = page.history.count()
    term = GlossaryTerm.objects.create(
        term="Neuropathy", slug="neuropathy", definition="Nerve damage.", status=Status.PUBLISHED
    )
    guide.refresh_from_db()
    assert 'class="gloss-term"' in page_html(page)[0]
    assert 'class="gloss-term"' in guide.body_html
    assert page.history.count() == versions  # the links are not a new version of the text
    term.status = Status.DRAFT
    term.save()
    assert 'class="gloss-term"' not in page_html(page)[0]
    term.status = Status.PUBLISHED
    term.save()
    assert 'class="gloss-term"' in page_html(page)[0]
    term.delete()
    guide.refresh_from_db()
    assert 'class="gloss-term"' not in page_html(page)[0]
    assert 'class="gloss-term"' not in guide.body_html


def test_deleting_the_section_with_the_first_use_moves_the_link(neuropathy, make_page):
    page = make_page(sections=(("One", "Neuropathy."), ("Two", "Neuropathy too.")))
    Section.objects.get(page=page, heading="One").delete()
    assert 'class="gloss-term"' in page_html(page)[0]


def test_the_editors_preview_shows_the_links(neuropathy, admin_client):
    response = admin_client.post("/markdownx/markdownify/", {"content": "Some neuropathy."})
    assert 'class="gloss-term"' in response.content.decode()


# The glossary page


def test_glossary_page_lists_published_terms_a_to_z_with_anchors(neuropathy, us_client):
    GlossaryTerm.objects.create(
        term="Dexamethasone",
        slug="dexamethasone",
        pronunciation="dex-a-METH-a-sone",
        definition="A steroid medicine.",
        status=Status.PUBLISHED,
    )
    GlossaryTerm.objects.create(term="Secret", slug="secret", definition="Draft.")
    response = us_client.get("/glossary/")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index('id="dexamethasone"') < text.index('id="neuropathy"')
    assert '<a href="#letter-D">D</a>' in text and '<a href="#letter-N">N</a>' in text
    assert '<a href="#letter-Q">' not in text
    assert "(say: dex-a-METH-a-sone)" in text
    assert "Secret" not in text


def test_shipped_glossary_covers_the_facts_list(seeded, us_client):
    slugs = set(GlossaryTerm.objects.published().values_list("slug", flat=True))
    assert {
        "multiple-myeloma", "kaposi-sarcoma", "plasma-cells", "relapsed-and-refractory",
        "m-protein", "m-spike", "immunomodulatory-drug", "proteasome-inhibitor",
        "dexamethasone", "boxed-warning", "rems", "specialty-pharmacy", "complete-blood-count",
        "neutropenia", "anemia", "thrombocytopenia", "deep-vein-thrombosis",
        "pulmonary-embolism", "neuropathy", "angioedema", "tumor-lysis-syndrome", "dialysis",
        "haart", "accelerated-approval", "response",
    } <= slugs  # fmt: skip
    say = dict(GlossaryTerm.objects.values_list("slug", "pronunciation"))
    assert say["dexamethasone"] == "dex-a-METH-a-sone"
    assert say["multiple-myeloma"] == "my-uh-LOH-muh"
    assert GlossaryTerm.objects.get(slug="kaposi-sarcoma").needs_verification
    grades = GlossaryTerm.objects.exclude(reading_grade=None).values_list(
        "reading_grade", flat=True
    )
    assert max(grades) <= 8
    text = us_client.get("/glossary/").content.decode()
    assert "This meaning is to be verified by medical review." in text
    safety = us_client.get("/safety/").content.decode()
    assert 'href="/glossary/#deep-vein-thrombosis"' in safety
