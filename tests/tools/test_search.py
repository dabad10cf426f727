"""Site search: the same tests run on SQLite (FTS5) and on PostgreSQL (tsvector + GIN)."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection

from content.models import GlossaryTerm, Guide, Page, SearchEntry, SearchSynonym, Section, Status
from content.tools import search

URL = "/search/"


@pytest.fixture
def content(make_page):
    safety = make_page(
        slug="safety",
        title="Safety",
        sections=(
            ("Blood clots", "Clots in veins include deep vein thrombosis (DVT)."),
            ("Low blood counts", "Fewer platelets can cause bruising & bleeding <b>early</b>."),
        ),
    )
    taking = make_page(
        slug="taking-pomalyst",
        title="Taking POMALYST",
        sections=(("If you miss a dose", "Take the missed capsule within 12 hours."),),
    )
    guide = Guide.objects.create(
        slug="caregivers",
        title="Caring for someone",
        summary="Help for caregivers.",
        published_on=datetime.date(2026, 1, 1),
        body="Write down each capsule taken.",
        status=Status.PUBLISHED,
    )
    term = GlossaryTerm.objects.create(
        term="Neuropathy",
        slug="neuropathy",
        definition="Nerve damage: numbness or tingling.",
        status=Status.PUBLISHED,
    )
    SearchSynonym.objects.create(phrase="blood clot", alternatives="DVT, deep vein thrombosis")
    SearchSynonym.objects.create(phrase="pill", alternatives="capsule")
    return {"safety": safety, "taking": taking, "guide": guide, "term": term}


def urls(response) -> list[str]:
    return [result.url for result in response.context["results"]]


@pytest.mark.django_db
def test_the_engine_has_its_own_full_text_index():
    """CI runs this file on both engines (.ci/with-postgres)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'content_searchentry_vector'"
            )
            assert "USING gin (search_vector)" in cursor.fetchone()[0]
            cursor.execute(
                "SELECT is_generated FROM information_schema.columns "
                "WHERE table_name = 'content_searchentry' AND column_name = 'search_vector'"
            )
            assert cursor.fetchone()[0] == "ALWAYS"
        else:
            assert connection.vendor == "sqlite"
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'content_searchentry_fts'")
            assert "USING fts5" in cursor.fetchone()[0]


def test_finds_sections_guides_and_glossary_words(content, us_client):
    assert "/safety/#blood-clots" in urls(us_client.get(URL, {"q": "veins"}))
    assert urls(us_client.get(URL, {"q": "caregivers"})) == ["/guides/caregivers/"]
    assert urls(us_client.get(URL, {"q": "tingling"})) == ["/glossary/#neuropathy"]


def test_titles_rank_above_text(content, us_client):
    found = urls(us_client.get(URL, {"q": "neuropathy"}))
    assert found[0] == "/glossary/#neuropathy"


def test_words_are_stemmed(content, us_client):
    assert "/safety/#blood-clots" in urls(us_client.get(URL, {"q": "clot"}))


def test_lay_words_find_medical_terms(content, us_client):
    assert "/safety/#blood-clots" in urls(us_client.get(URL, {"q": "blood clot"}))
    found = urls(us_client.get(URL, {"q": "missed pill"}))
    assert found[0] == "/taking-pomalyst/#if-you-miss-a-dose"


def test_an_editor_can_add_a_synonym(content, us_client):
    assert urls(us_client.get(URL, {"q": "pins and needles"})) == []
    SearchSynonym.objects.create(phrase="pins and needles", alternatives="tingling")
    assert urls(us_client.get(URL, {"q": "pins and needles"})) == ["/glossary/#neuropathy"]


def test_matching_words_are_highlighted_and_the_excerpt_escaped(content, us_client):
    response = us_client.get(URL, {"q": "platelets"})
    text = response.content.decode()
    assert "<mark>platelets</mark>" in text or "<mark>Platelets</mark>" in text
    assert "bruising &amp; bleeding" in text
    assert "<b>early</b>" not in text


def test_drafts_are_never_found(content, make_page, us_client, admin_client):
    make_page(
        slug="secret",
        title="Secret draft",
        status=Status.DRAFT,
        sections=(("Zebra", "Zebra text."),),
    )
    Guide.objects.create(
        slug="draft-guide",
        title="Zebra guide",
        summary="S",
        published_on=datetime.date(2026, 1, 1),
        body="Zebra.",
    )
    assert urls(us_client.get(URL, {"q": "zebra"})) == []
    admin_client.cookies["us_audience"] = "yes"
    assert urls(admin_client.get(URL, {"q": "zebra"})) == []


def test_the_index_follows_publish_unpublish_and_delete(content, us_client):
    page = content["safety"]
    page.status = Status.DRAFT
    page.save()
    assert urls(us_client.get(URL, {"q": "veins"})) == []
    page.status = Status.PUBLISHED
    page.save()
    assert "/safety/#blood-clots" in urls(us_client.get(URL, {"q": "veins"}))
    Section.objects.get(anchor="blood-clots").delete()
    assert urls(us_client.get(URL, {"q": "veins"})) == []
    term = content["term"]
    term.status = Status.DRAFT
    term.save()
    assert urls(us_client.get(URL, {"q": "tingling"})) == []
    content["guide"].delete()
    assert urls(us_client.get(URL, {"q": "caregivers"})) == []
    page.delete()
    assert not SearchEntry.objects.filter(url__startswith="/safety/").exists()


def test_an_edited_section_is_found_by_its_new_words(content, us_client):
    section = Section.objects.get(anchor="blood-clots")
    section.body = "Swelling of a leg."
    section.save()
    assert urls(us_client.get(URL, {"q": "veins"})) == []
    assert urls(us_client.get(URL, {"q": "swelling"})) == ["/safety/#blood-clots"]


def test_rebuilding_the_index_gives_the_same_results(content, us_client):
    before = urls(us_client.get(URL, {"q": "capsule"}))
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert urls(us_client.get(URL, {"q": "capsule"})) == before
    assert len(before) == 2


@pytest.mark.parametrize("words", ["capsule", "missed pill", "zebra giraffe", "blood clot veins"])
def test_a_search_makes_at_most_3_queries(content, client, django_assert_max_num_queries, words):
    client.cookies["us_audience"] = "yes"
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"q": words})
    assert response.status_code == 200


def test_items_with_every_word_come_before_items_with_some(content, us_client):
    assert urls(us_client.get(URL, {"q": "zebra caregivers"})) == ["/guides/caregivers/"]
    found = urls(us_client.get(URL, {"q": "capsule caregivers"}))
    assert found[0] == "/guides/caregivers/"
    assert "/taking-pomalyst/#if-you-miss-a-dose" in found[1:]


def test_nothing_found_shows_a_helpful_page(content, us_client):
    response = us_client.get(URL, {"q": "zebra"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "No pages match your search" in text
    assert 'href="/search/?q=missed%20pill"' in text
    assert 'href="/glossary/"' in text


def test_the_empty_search_page(us_client, db):
    response = us_client.get(URL)
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert us_client.get(URL, {"q": ""}).status_code == 200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", "Type at least 2 letters"),
        (" b ", "Type at least 2 letters"),
        ("x" * 201, "Your search is too long"),
        ('"*:-', "Type a word to search for"),
        ("()", "Type a word to search for"),
        ("😀😀", "Type a word to search for"),
    ],
)
def test_input_that_cannot_be_searched_gets_a_plain_400(content, us_client, text, message):
    response = us_client.get(URL, {"q": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "text",
    [
        '"blood',
        "blood*",
        "NEAR(blood clot)",
        "blood NEAR clot",
        "title:clot",
        "-clot",
        "clot OR veins",
        "clot AND NOT veins",
        "'; DROP TABLE content_page; --",
        "1' OR '1'='1",
        "pomalidomida ñandú 日本語 Ελληνικά",
        "% capsule",
        "_capsule_",
        "&lt;script&gt;",
        "<script>alert(1)</script>",
        "\\x00 capsule",
        "blood \u202e clot",
    ],
)
def test_search_syntax_and_odd_text_never_break_the_page(content, us_client, text):
    response = us_client.get(URL, {"q": text})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert Page.objects.filter(slug="safety").exists()


def test_syntax_characters_are_searched_as_plain_words(content, us_client):
    assert urls(us_client.get(URL, {"q": "NEAR(veins)"})) == ["/safety/#blood-clots"]
    assert "/safety/#blood-clots" in urls(us_client.get(URL, {"q": '-"veins*'}))


def test_a_percent_encoded_nul_and_a_huge_query_get_plain_pages(content, us_client):
    assert us_client.get(URL + "?q=clot%00").status_code == 400
    assert us_client.get(URL, {"q": "x" * 10_000}).status_code == 414
    assert us_client.get(URL, {"q": "x" * 1000}).status_code == 400


def test_results_are_private_and_the_words_are_not_logged(content, us_client, caplog):
    with caplog.at_level(logging.DEBUG):
        response = us_client.get(URL, {"q": "wobbly capsule"})
        us_client.get(URL, {"q": "q"})
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "wobbly" not in caplog.text


def test_search_is_gated_like_every_page(content, client):
    response = client.get(URL, {"q": "capsule"})
    assert 'class="gate' in response.content.decode()


def test_shipped_synonyms_answer_the_common_questions(seeded, us_client):
    call_command("rebuild_search_index", stdout=io.StringIO())
    for words in ["blood clot", "missed pill", "pregnant", "cost"]:
        response = us_client.get(URL, {"q": words})
        assert response.context["results"], words


def test_concept_groups_prefer_the_longest_phrase():
    synonyms = {"blood clot": ["dvt"], "clot": ["pe"], "pill": ["capsule"]}
    assert search.concept_groups(["blood", "clot", "pill"], synonyms) == [
        ["blood clot", "dvt"],
        ["pill", "capsule"],
    ]
    assert search.concept_groups(["clot"], synonyms) == [["clot", "pe"]]
