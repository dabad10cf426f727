"""One source for every fact: the registry's values, texts that follow a changed fact, and the
shipped content, which uses fact tags and contains no claim that may not be published."""

import datetime

import pytest
from django.urls import reverse

from content.editing.fact_changes import refresh_texts_using
from content.editing.publishing import markdown_problems
from content.editing.reviews import send_back_to_review
from content.facts import FACTS, fact_values, texts_using
from content.models import (
    DosingSchedule,
    DrugFacts,
    ExternalLink,
    ForbiddenClaim,
    GlossaryTerm,
    Guide,
    Page,
    Section,
    Snippet,
)
from tests.conftest import shipped_public_pages
from tests.content.test_content import visible_text

pytestmark = pytest.mark.django_db

AUDIENCE = {"us_audience": "yes"}


def public_text(client, url: str) -> str:
    client.cookies["us_audience"] = "yes"
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_the_shipped_facts_have_the_values_of_the_facts_list(seeded):
    assert fact_values() == {
        "rems-name": "PS-Pomalidomide REMS",
        "rems-phone": "1-888-423-5436",
        "rems-website": "www.PS-PomalidomideREMS.com",
        "mm-dose": "4 mg",
        "ks-dose": "5 mg",
        "strengths": "1 mg, 2 mg, 3 mg, and 4 mg",
        "dex-days": "1, 8, 15, and 22",
        "dex-dose": "40 mg",
        "dex-older-dose": "20 mg",
        "dex-age": "75",
        "generic-status": "Yes (checked on December 2, 2026)",
        "medwatch-website": "www.fda.gov/medwatch",
        "medwatch-phone": "1-800-FDA-1088",
    }
    assert len({fact.key for fact in FACTS}) == len(FACTS)


def test_loading_the_facts_costs_four_queries(seeded, django_assert_num_queries):
    with django_assert_num_queries(4):
        fact_values()


def test_the_shipped_content_uses_fact_tags_and_shows_their_values(client, seeded):
    using = {str(obj) for obj in texts_using({"dex-days"})}
    assert {"Your POMALYST dosing guide", "Your 28-day cycle"} <= using
    text = public_text(client, "/taking-pomalyst/")
    assert "Multiple myeloma: 4 mg once a day." in text
    assert "You take it on days 1, 8, 15, and 22 of each cycle." in text
    assert "If you are 75 or younger, the dose is 40 mg." in text
    assert "[[fact:" not in text
    for url in shipped_public_pages():
        assert "[[fact:" not in public_text(client, url), url


def test_the_shipped_content_has_no_claim_that_may_not_be_published_and_no_bad_tag(seeded):
    assert ForbiddenClaim.objects.filter(active=True).count() >= 8
    items = [
        *Page.objects.all(), *Guide.objects.all(), *Snippet.objects.all(),
        *GlossaryTerm.objects.all(), *DrugFacts.objects.all(), *DosingSchedule.objects.all(),
    ]  # fmt: skip
    assert {str(obj): markdown_problems(obj) for obj in items if markdown_problems(obj)} == {}


def test_changing_the_rems_phone_changes_every_public_page_that_shows_it(client, seeded):
    old, new = "1-888-423-5436", "1-800-555-0199"
    showing = [url for url in shipped_public_pages() if old in public_text(client, url)]
    assert "/taking-pomalyst/" in showing and "/support/" in showing
    rems = Snippet.objects.get(key="rems-program")
    rems.phone = new
    rems.save()
    for url in showing:
        text = public_text(client, url)
        assert new in text and old not in text, url
    assert fact_values()["rems-phone"] == new


def test_changing_a_fact_re_renders_every_text_using_it_and_sends_it_back_to_review(
    client, seeded, page_cache_on
):
    before = public_text(client, "/guides/pomalyst-dosing-guide/")
    assert "dexamethasone on days 1, 8, 15, and 22." in before
    routine = Guide.objects.get(slug="daily-routine-and-missed-doses")
    assert not routine.needs_verification
    schedule = DosingSchedule.objects.get(key="multiple-myeloma")
    schedule.companion_days = "1, 8, 15"
    schedule.save()
    today = datetime.date.today()
    note = f"Fact Dexamethasone days of each cycle (multiple myeloma) changed on {today:%B} "
    for url in ("/guides/pomalyst-dosing-guide/", "/taking-pomalyst/", "/guides/caregiver-guide/"):
        text = public_text(client, url)
        assert "1, 8, 15, and 22" not in text, url
        assert "1, 8, and 15" in text, url
    guide = Guide.objects.get(slug="pomalyst-dosing-guide")
    assert guide.needs_verification
    assert note in guide.review_note and guide.review_note.endswith("check this text.")
    page = Page.objects.get(slug="taking-pomalyst")
    assert page.needs_verification and note in page.review_note
    routine.refresh_from_db()
    assert routine.needs_verification and note in routine.review_note
    untouched = Page.objects.get(slug="safety")
    assert "changed on" not in untouched.review_note
    assert "awaiting medical review" in public_text(
        client, "/guides/daily-routine-and-missed-doses/"
    )


def test_a_changed_fact_is_shown_at_once_even_from_a_warm_page_cache(
    client, seeded, page_cache_on, django_assert_num_queries
):
    public_text(client, "/guides/pomalyst-dosing-guide/")
    with django_assert_num_queries(0):
        assert "4 mg a day" in public_text(client, "/guides/pomalyst-dosing-guide/")
    schedule = DosingSchedule.objects.get(key="multiple-myeloma")
    schedule.dose_mg = 3
    schedule.save()
    assert "The usual dose is 3 mg a day for multiple myeloma." in public_text(
        client, "/guides/pomalyst-dosing-guide/"
    )


def test_a_change_that_leaves_every_value_alone_sends_nothing_back(seeded):
    schedule = DosingSchedule.objects.get(key="multiple-myeloma")
    schedule.condition = "Multiple myeloma"
    schedule.save()
    guide = Guide.objects.get(slug="pomalyst-dosing-guide")
    assert "changed on" not in guide.review_note


def test_a_section_using_a_fact_sends_its_page_back_and_keeps_glossary_links(seeded):
    page = Page.objects.get(slug="taking-pomalyst")
    html_before = Section.objects.get(page=page, anchor="cycle").body_html
    sent = refresh_texts_using({"mm-dose"})
    assert page in sent
    assert Section.objects.get(page=page, anchor="cycle").body_html == html_before


def test_send_back_to_review_ticks_the_box_and_adds_the_reason(make_guide):
    guide = make_guide(review_note="Check the dates.")
    send_back_to_review(guide, "Fact X changed on May 1, 2027: check this text.")
    guide.refresh_from_db()
    assert guide.needs_verification
    assert guide.review_note == "Check the dates.\nFact X changed on May 1, 2027: check this text."
    assert guide.history.first().history_change_reason.startswith("Fact X changed")


def test_preview_and_stored_html_agree_for_a_text_with_fact_tags(seeded, admin_client):
    text = "### Call [[fact:rems-phone]]\n\nThe dose is [[fact:mm-dose]]. `[[fact:mm-dose]]`"
    guide = Guide.objects.create(
        slug="tags", title="T", summary="S", published_on="2026-01-01", body=text
    )
    shown = admin_client.post(reverse("markdownx_markdownify"), {"content": text})
    assert shown.content.decode() == guide.body_html
    assert "The dose is 4 mg." in guide.body_html
    assert "<code>[[fact:mm-dose]]</code>" in guide.body_html


def test_a_hostile_fact_value_is_stored_as_plain_text(client, seeded):
    rems = Snippet.objects.get(key="rems-program")
    rems.phone = '<img src=x onerror="alert(1)">'
    rems.save()
    guide = Guide.objects.create(
        slug="hostile", title="T", summary="S", published_on="2026-01-01",
        body="Call [[fact:rems-phone]].", status="published",
    )  # fmt: skip
    assert guide.body_html == '<p>Call &lt;img src=x onerror="alert(1)"&gt;.</p>'
    client.cookies["us_audience"] = "yes"
    html = client.get("/guides/hostile/").content.decode()
    assert 'Call &lt;img src=x onerror="alert(1)"&gt;.' in html
    assert "<img src=x" not in html


def test_a_long_reason_fits_the_history(make_guide):
    """PostgreSQL refuses a history reason over 100 characters (SQLite does not check)."""
    guide = make_guide()
    reason = (
        "Fact Dexamethasone days of each cycle (multiple myeloma) changed on December 2, 2026: "
        "check this text."
    )
    send_back_to_review(guide, reason)
    guide.refresh_from_db()
    assert guide.review_note == reason
    assert len(guide.history.first().history_change_reason) <= 100


def medwatch_line(client, url: str = "/safety/") -> str:
    client.cookies["us_audience"] = "yes"
    html = client.get(url).content.decode()
    start = html.index('<p class="isi__medwatch">')
    return html[start : html.index("</p>", start)]


def test_the_medwatch_line_beside_the_safety_summary_follows_the_facts(client, seeded, monkeypatch):
    line = medwatch_line(client)
    assert ">www.fda.gov/medwatch</a>" in line
    assert 'href="tel:+1-800-332-1088">1-800-FDA-1088</a>' in line
    link = ExternalLink.objects.get(key="fda-medwatch")
    link.url = "https://www.fda.gov/safety/medwatch"
    link.save()
    monkeypatch.setattr("content.facts.MEDWATCH_PHONE", "1-800-FDA-1099")
    line = medwatch_line(client, "/support/")
    assert ">www.fda.gov/safety/medwatch</a>" in line
    assert 'href="tel:+1-800-332-1099">1-800-FDA-1099</a>' in line


def test_the_medwatch_line_keeps_the_fda_address_without_the_editors_link(client, seeded):
    ExternalLink.objects.filter(key="fda-medwatch").delete()
    line = medwatch_line(client)
    assert ">www.fda.gov/medwatch</a>" in line and "1-800-FDA-1088" in line
