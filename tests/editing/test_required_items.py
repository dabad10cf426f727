"""The pages and texts every other page depends on (the front page, the Safety page, the safety
summary) can be changed but never deleted or taken offline: the admin says why."""

import pytest
from django.test import Client
from django.urls import reverse

from content.editing.revisions import pending_revision
from content.models import Page, Section, Status

from .conftest import change_url, open_change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_page(db) -> Page:
    page = Page.objects.create(slug="home", title="Home", summary="S", status=Status.PUBLISHED)
    Section.objects.create(page=page, order=10, heading="What it is", body="A medicine.")
    return page


@pytest.fixture
def other_page(db) -> Page:
    return Page.objects.create(
        slug="understanding-relapse", title="Relapse", summary="S", status=Status.PUBLISHED
    )


def test_deleting_the_safety_page_is_refused_with_the_reason(editor_client, safety_page):
    url = reverse("admin:content_page_delete", args=[safety_page.pk])
    response = editor_client.post(url, {"post": "yes"}, follow=True)
    assert "cannot be deleted or taken offline" in response.content.decode()
    assert Page.objects.filter(slug="safety").exists()


def test_the_delete_action_refuses_a_list_that_holds_the_front_page(
    editor_client, home_page, other_page
):
    url = reverse("admin:content_page_changelist")
    data = {"action": "delete_selected", "_selected_action": [home_page.pk, other_page.pk]}
    response = editor_client.post(url, data | {"post": "yes"})
    assert Page.objects.filter(slug="home").exists()
    assert Page.objects.filter(pk=other_page.pk).exists()  # nothing in that list was deleted
    assert response.status_code in {200, 403}


def test_taking_the_safety_page_offline_is_refused(editor_client, safety_page):
    url = reverse("admin:content_page_take_offline", args=[safety_page.pk])
    response = editor_client.post(url, {"confirm": "yes"}, follow=True)
    assert "cannot be deleted or taken offline" in response.content.decode()
    safety_page.refresh_from_db()
    assert safety_page.status == Status.PUBLISHED
    assert Client().get("/safety/", HTTP_COOKIE="us_audience=yes").status_code == 200


def test_return_to_draft_action_skips_required_pages_and_says_why(
    editor_client, home_page, other_page
):
    url = reverse("admin:content_page_changelist")
    data = {
        "action": "unpublish_selected",
        "_selected_action": [home_page.pk, other_page.pk],
        "confirm": "yes",
    }
    response = editor_client.post(url, data, follow=True)
    assert "“Home” stays published" in response.content.decode()
    statuses = dict(Page.objects.values_list("slug", "status"))
    assert statuses == {"home": Status.PUBLISHED, "understanding-relapse": Status.DRAFT}


def test_the_address_of_a_required_page_cannot_be_changed(editor_client, safety_page):
    data = open_change_form(editor_client, safety_page) | {"slug": "safety-old", "title": "S!"}
    assert editor_client.post(change_url(safety_page), data).status_code == 302
    safety_page.refresh_from_db()
    assert (safety_page.slug, safety_page.title) == ("safety", "Safety")  # live: waits for review
    pending = pending_revision(safety_page).data["fields"]
    assert (pending["slug"], pending["title"]) == ("safety", "S!")


def test_other_pages_can_still_be_deleted(editor_client, other_page):
    url = reverse("admin:content_page_delete", args=[other_page.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Page.objects.filter(pk=other_page.pk).exists()
