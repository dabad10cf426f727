"""The review page says what publishing a change does: for an item that has never been public,
everything in it is new; "Nothing differs" only when a public version exists and is the same."""

import pytest
from django.urls import reverse

from content.editing import revisions, signoff
from content.editing.publishing import withdraw
from content.models import Page, Section, Status

pytestmark = pytest.mark.django_db


def review_page(client, revision) -> str:
    response = client.get(reverse("admin:content_revision_review", args=[revision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_draft_shows_all_its_text_as_new(editor_client, editor, make_guide):
    guide = make_guide(slug="new", status=Status.DRAFT, title="Fresh air", body="Walk outside.")
    revision = revisions.refresh_from_live(guide, editor)
    signoff.submit(revision, editor)
    text = review_page(editor_client, revision)
    assert "Nothing differs" not in text
    assert "This is new: it has never been public" in text
    assert "<ins>Walk outside.</ins>" in text and "<ins>Fresh air</ins>" in text


def test_a_new_draft_page_shows_its_sections_as_added(editor_client, editor):
    page = Page.objects.create(slug="new-page", title="New page", status=Status.DRAFT)
    Section.objects.create(page=page, heading="First steps", body="Read the leaflet.", order=10)
    revision = revisions.refresh_from_live(page, editor)
    text = review_page(editor_client, revision)
    assert "This is new: it has never been public" in text
    assert "(added)" in text and "Read the leaflet." in text


def test_an_item_taken_offline_shows_all_its_text_and_says_it_was_public(
    editor_client, editor, make_guide
):
    guide = make_guide(slug="back", title="Coming back", body="Old words.")
    withdraw(guide, editor, "Taken offline")
    revision = revisions.refresh_from_live(guide, editor)
    text = review_page(editor_client, revision)
    assert "It is not public now" in text and "never been public" not in text
    assert "<ins>Old words.</ins>" in text and "Nothing differs" not in text


def test_a_live_item_with_no_difference_still_says_nothing_differs(
    editor_client, editor, safety_page
):
    part = revisions.StagedPart("", {"intro": safety_page.intro}, None)
    revision = revisions.stage(safety_page, [part], editor)
    text = review_page(editor_client, revision)
    assert "Nothing differs from the public version" in text
    assert "never been public" not in text
