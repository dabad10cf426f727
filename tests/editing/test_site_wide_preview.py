"""A pending change to a record shown on many pages (a site-wide text, the drug facts, a dosing
schedule, an external link) is previewed by staff on the public page that shows it best."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.editing import revisions
from content.models import DosingSchedule, DrugFacts, ExternalLink, Snippet, Status
from tests.content.test_content import visible_text

pytestmark = pytest.mark.django_db

BANNER = "Pending changes — not public yet"


def stage(obj, user, **values):
    return revisions.stage(obj, [revisions.StagedPart("", values, None)], user)


def preview_link(client, revision) -> str:
    """The "Preview on the site" address on the change's review page."""
    html = client.get(reverse("admin:content_revision_review", args=[revision.pk])).content
    match = re.search(r'<a href="([^"]+)">Preview on the site</a>', html.decode())
    assert match, "no preview link"
    return match.group(1).replace("&amp;", "&")


def text_of(client, url: str) -> str:
    client.cookies["us_audience"] = "yes"
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


@pytest.fixture
def isi_change(editor, isi, safety_page):
    return stage(isi, editor, body="**A changed safety summary.**")


def test_a_pending_safety_summary_is_previewed_on_the_safety_page(editor_client, isi_change):
    url = preview_link(editor_client, isi_change)
    assert url == f"/safety/?revision={isi_change.pk}"
    response = editor_client.get(url)
    html = response.content.decode()
    assert BANNER in html and "A changed safety summary." in html
    assert "Boxed warning text." not in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "A changed safety summary." not in text_of(editor_client, "/safety/")


def test_visitors_see_the_approved_summary_and_never_read_the_change(client, isi_change):
    client.cookies["us_audience"] = "yes"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/safety/?revision={isi_change.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Boxed warning text." in html and "A changed safety summary." not in html
    assert BANNER not in html
    assert not [q for q in queries.captured_queries if "content_revision" in q["sql"]]


def test_the_page_cache_never_keeps_or_serves_a_preview(editor_client, isi_change, page_cache_on):
    url = f"/safety/?revision={isi_change.pk}"
    assert "A changed safety summary." in text_of(editor_client, url)
    visitor = Client()
    for address in (url, "/safety/", url):
        text = text_of(visitor, address)
        assert "Boxed warning text." in text and "A changed safety summary." not in text
    assert "A changed safety summary." in text_of(editor_client, url)


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999", "1" * 40, "<script>", "١٢"])
@pytest.mark.parametrize("address", ["/safety/", "/leaving/fda-medwatch/", "/"])
def test_a_bad_revision_number_is_a_clean_404(editor_client, isi, safety_page, address, value):
    assert editor_client.get(address, {"revision": value}).status_code == 404


def test_a_page_change_is_not_shown_on_another_address(editor_client, editor, safety_page):
    revision = stage(safety_page, editor, intro="Only for the safety page.")
    assert editor_client.get(f"/leaving/fda-medwatch/?revision={revision.pk}").status_code == 404


def published_link(key: str, url: str, description: str) -> ExternalLink:
    title = key.replace("-", " ").capitalize()
    return ExternalLink.objects.create(
        key=key, title=title, url=url, description=description, status=Status.PUBLISHED
    )


def test_a_pending_link_is_previewed_on_its_leaving_notice(editor_client, editor):
    link = published_link("myeloma-info", "https://example.org/", "Facts about myeloma.")
    revision = stage(link, editor, description="A clearer sentence about the site.")
    url = preview_link(editor_client, revision)
    assert url == f"/leaving/myeloma-info/?revision={revision.pk}"
    shown = editor_client.get(url)
    assert "no-store" in shown["Cache-Control"]
    text = visible_text(shown.content.decode())
    assert BANNER in text and "A clearer sentence about the site." in text
    public = text_of(Client(), url)
    assert "Facts about myeloma." in public and "A clearer sentence" not in public


def test_a_pending_medwatch_address_is_previewed_in_the_medwatch_line(
    editor_client, editor, isi, safety_page
):
    link = published_link("fda-medwatch", "https://www.fda.gov/medwatch", "Report side effects.")
    revision = stage(link, editor, url="https://www.fda.gov/safety/medwatch")
    # Shown on every page: the notice is one address, the line beside the summary another.
    assert "www.fda.gov/safety/medwatch" in text_of(
        editor_client, preview_link(editor_client, revision)
    )
    assert "www.fda.gov/safety/medwatch" in text_of(
        editor_client, f"/safety/?revision={revision.pk}"
    )
    assert "www.fda.gov/safety/medwatch" not in text_of(Client(), "/safety/")


def test_pending_dosing_and_drug_facts_are_previewed_with_their_values(
    editor_client, editor, seeded
):
    schedule = DosingSchedule.objects.get(key="multiple-myeloma")
    dosing = stage(schedule, editor, dose_mg=3)
    url = preview_link(editor_client, dosing)
    assert url == f"/taking-pomalyst/?revision={dosing.pk}"
    assert "Multiple myeloma: 4 mg once a day" in text_of(editor_client, "/taking-pomalyst/")
    text = text_of(editor_client, url)
    assert BANNER in text and "Multiple myeloma: 3 mg once a day" in text
    assert "Multiple myeloma: 4 mg once a day" in text_of(Client(), url)
    guide = f"/guides/pomalyst-dosing-guide/?revision={dosing.pk}"
    assert "The usual dose is 3 mg a day for multiple myeloma." in text_of(editor_client, guide)

    facts = DrugFacts.objects.published().order_by("-updated_at").first()
    change = stage(facts, editor, strengths_mg="1, 2, 3")
    url = preview_link(editor_client, change)
    assert url == f"/drug-facts/?revision={change.pk}"
    assert "They come in 1 mg, 2 mg, and 3 mg capsules" in text_of(editor_client, url)
    assert "They come in 1 mg, 2 mg, and 3 mg capsules" not in text_of(Client(), url)


def test_a_visitor_cannot_tell_a_real_change_number_from_a_wrong_one(client, isi_change):
    real = client.get(f"/safety/?revision={isi_change.pk}")
    wrong = client.get("/safety/?revision=99999")
    assert real.status_code == wrong.status_code == 200
    assert Snippet.objects.get(pk=isi_change.object_id).body == "**Boxed warning text.**"


def test_staff_who_may_not_change_or_approve_it_get_a_404(isi_change):
    other = Client()
    other.force_login(User.objects.create_user("helpdesk", is_staff=True))
    assert other.get(f"/safety/?revision={isi_change.pk}").status_code == 404
