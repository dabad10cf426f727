"""Drafts are never public, staff preview them at their real address, publishing is
an explicit act, and staff views are never cached."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.editing.revisions import pending_revision
from content.models import ExternalLink, Guide, Page, RevisionState, Section, Status

from .conftest import open_change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_page(db) -> Page:
    page = Page.objects.create(slug="new-page", title="A new page", summary="Soon.", intro="Hi.")
    Section.objects.create(page=page, order=1, heading="First part", body="Some text.")
    return page


@pytest.fixture
def draft_guide(make_guide) -> Guide:
    return make_guide(
        slug="new-guide", status=Status.DRAFT, title="New guide", body="Text of the guide."
    )


def test_new_items_start_as_drafts(draft_page, draft_guide):
    assert draft_page.status == Status.DRAFT and draft_guide.status == Status.DRAFT


def test_anonymous_visitor_cannot_see_a_draft_page_guide_or_link(client, draft_page, draft_guide):
    ExternalLink.objects.create(
        key="rems", title="REMS", url="https://example.org", description="D"
    )
    assert client.get("/new-page/").status_code == 404
    assert client.get("/guides/new-guide/").status_code == 404
    assert client.get("/leaving/rems/").status_code == 404


def test_a_stale_session_cookie_does_not_reveal_drafts(client, draft_page):
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    assert client.get("/new-page/").status_code == 404


def test_a_logged_in_visitor_who_is_not_staff_cannot_see_drafts(
    client, draft_page, django_user_model
):
    client.force_login(django_user_model.objects.create_user("pat", password="a-long-password-1"))
    assert client.get("/new-page/").status_code == 404


def test_staff_see_a_draft_at_its_real_address_with_a_banner_and_no_caching(
    editor_client, draft_page, draft_guide
):
    for url in ("/new-page/", "/guides/new-guide/"):
        response = editor_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Draft — not public" in html
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
    assert "A new page" in editor_client.get("/new-page/").content.decode()


def test_staff_view_of_a_published_page_has_no_banner_but_is_still_private(
    editor_client, safety_page
):
    response = editor_client.get("/safety/")
    assert "Draft — not public" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_public_page_makes_few_queries_and_never_reads_sessions_or_users(client, safety_page):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/safety/")
    assert response.status_code == 200
    assert len(queries) <= 3
    sql = " ".join(query["sql"] for query in queries)
    assert "django_session" not in sql and "auth_user" not in sql
    assert "no-store" not in response.get("Cache-Control", "")
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_plain_save_keeps_a_draft_a_draft_even_if_a_status_is_posted(editor_client, draft_guide):
    data = open_change_form(editor_client, draft_guide)
    data["status"] = Status.PUBLISHED  # not a field of the form: ignored
    response = editor_client.post(
        reverse("admin:content_guide_change", args=[draft_guide.pk]), data
    )
    assert response.status_code == 302
    draft_guide.refresh_from_db()
    assert draft_guide.status == Status.DRAFT


def test_an_editor_cannot_publish_a_draft_only_submit_it(editor_client, draft_guide):
    """Publishing needs a medical reviewer's approval (tests/editing/test_workflow.py)."""
    url = reverse("admin:content_guide_change", args=[draft_guide.pk])
    data = open_change_form(editor_client, draft_guide)
    editor_client.post(url, data | {"_publish": "Save and publish"})
    draft_guide.refresh_from_db()
    assert draft_guide.status == Status.DRAFT
    response = editor_client.post(url, data | {"_submit": "Submit"}, follow=True)
    assert "Submitted for medical review" in response.content.decode()
    draft_guide.refresh_from_db()
    assert draft_guide.status == Status.DRAFT
    assert pending_revision(draft_guide).state == RevisionState.SUBMITTED


def test_change_form_offers_submission_and_says_live_changes_wait_for_review(
    editor_client, draft_guide, safety_page
):
    draft = editor_client.get(reverse("admin:content_guide_change", args=[draft_guide.pk]))
    assert 'name="_submit"' in draft.content.decode()
    assert 'name="_publish"' not in draft.content.decode()
    live = editor_client.get(reverse("admin:content_page_change", args=[safety_page.pk]))
    assert "Saving keeps your change as a pending change" in live.content.decode()
    assert 'name="_publish"' not in live.content.decode()


def test_there_is_no_publish_action_in_the_lists(editor_client, draft_guide):
    url = reverse("admin:content_guide_changelist")
    assert "publish_selected" not in editor_client.get(url).content.decode().replace(
        "unpublish_selected", ""
    )
    data = {"action": "publish_selected", "_selected_action": [draft_guide.pk], "confirm": "yes"}
    editor_client.post(url, data)
    draft_guide.refresh_from_db()
    assert draft_guide.status == Status.DRAFT


def test_a_draft_whose_text_has_errors_cannot_be_submitted(editor_client, draft_guide):
    draft_guide.body = "See [this](/no-such-page/)."
    draft_guide.save()
    url = reverse("admin:content_guide_change", args=[draft_guide.pk])
    data = open_change_form(editor_client, draft_guide) | {"_submit": "Submit"}
    response = editor_client.post(url, data, follow=True)
    assert "there is no page at that address" in response.content.decode()
    assert pending_revision(draft_guide) is None  # neither saved nor submitted


def test_return_to_draft_asks_for_confirmation_first(editor_client, optional_page):
    url = reverse("admin:content_page_changelist")
    data = {"action": "unpublish_selected", "_selected_action": [optional_page.pk]}
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "are you sure?" in response.content.decode()
    optional_page.refresh_from_db()
    assert optional_page.status == Status.PUBLISHED


def test_return_to_draft_hides_a_page_from_the_public(editor_client, optional_page):
    assert Client().get("/clots/").status_code == 200
    url = reverse("admin:content_page_changelist")
    data = {
        "action": "unpublish_selected",
        "_selected_action": [optional_page.pk],
        "confirm": "yes",
    }
    editor_client.post(url, data)
    assert Client().get("/clots/").status_code == 404


def test_draft_facts_inside_a_published_page_are_shown_to_staff_only(editor_client, safety_page):
    Section.objects.create(page=safety_page, order=30, heading="Websites", figure="external-links")
    ExternalLink.objects.create(
        key="new-site", title="A new website", url="https://example.org", description="D"
    )
    staff_view = editor_client.get("/safety/").content.decode()
    assert "A new website" in staff_view and "Draft — not public" in staff_view
    public_view = Client().get("/safety/").content.decode()
    assert "A new website" not in public_view and "Draft — not public" not in public_view


def _offline_url(obj) -> str:
    return reverse("admin:content_page_take_offline", args=[obj.pk])


def test_the_take_offline_button_saves_then_asks_before_anything_goes_offline(
    editor_client, optional_page
):
    from .conftest import change_url, open_change_form

    data = open_change_form(editor_client, optional_page) | {"title": "Safety!", "_unpublish": "x"}
    response = editor_client.post(change_url(optional_page), data)
    assert response.status_code == 302 and response["Location"] == _offline_url(optional_page)
    optional_page.refresh_from_db()
    # The page is live: the new title waits as a pending change.
    assert (optional_page.title, optional_page.status) == ("Safety", Status.PUBLISHED)
    question = editor_client.get(_offline_url(optional_page))
    assert "Take “Safety” offline?" in question.content.decode()

    editor_client.post(_offline_url(optional_page), {"confirm": "yes"})
    optional_page.refresh_from_db()
    # Offline, the draft carries the pending change on, so nothing saved is lost.
    assert (optional_page.title, optional_page.status) == ("Safety!", Status.DRAFT)
    assert optional_page.history.first().history_change_reason == "Taken offline"
    assert pending_revision(optional_page) is None


def test_take_offline_without_the_confirmation_changes_nothing(editor_client, optional_page):
    for data in ({}, {"confirm": "no"}, {"confirm": "yes" * 1000}):
        assert editor_client.post(_offline_url(optional_page), data).status_code == 200
    optional_page.refresh_from_db()
    assert optional_page.status == Status.PUBLISHED


def test_take_offline_refuses_odd_addresses_and_outsiders(editor_client, safety_page):
    bad = reverse("admin:content_page_take_offline", args=["999999"])
    assert editor_client.get(bad).status_code in {302, 404}
    assert editor_client.get(bad.replace("999999", "%00")).status_code in {302, 400, 404}
    assert Client().post(_offline_url(safety_page), {"confirm": "yes"}).status_code == 302
    safety_page.refresh_from_db()
    assert safety_page.status == Status.PUBLISHED


@pytest.mark.parametrize("button", ["_save", "_continue"])
def test_saving_a_live_page_says_only_that_the_change_waits_for_review(
    editor_client, safety_page, button
):
    """Django's own "was changed successfully" would tell the editor the opposite of the truth:
    the public page did not change."""
    from django.contrib.messages import get_messages

    from .conftest import change_url, open_change_form

    data = open_change_form(editor_client, safety_page) | {"title": "Safety first", button: "x"}
    response = editor_client.post(change_url(safety_page), data)
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(text.startswith("Saved as a pending change") for text in said)
    assert not [text for text in said if "successfully" in text]
    safety_page.refresh_from_db()
    assert safety_page.title == "Safety"


def test_saving_a_live_page_unchanged_says_nothing_was_saved(editor_client, safety_page):
    from django.contrib.messages import get_messages

    from .conftest import change_url, open_change_form

    data = open_change_form(editor_client, safety_page)
    response = editor_client.post(change_url(safety_page), data)
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["Nothing was changed, so nothing was saved."]
