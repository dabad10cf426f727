"""Editors can list the items whose medical review is overdue."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import Guide, Page, Snippet, SnippetKey, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_dates(db):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    overdue_page = Page.objects.create(
        slug="old", title="Overdue page", summary="S", next_review_due=today - day,
        status=Status.PUBLISHED, medically_reviewed_on=today - 400 * day,
    )  # fmt: skip
    Page.objects.create(
        slug="fresh", title="Fresh page", summary="S", next_review_due=today + 90 * day
    )
    Page.objects.create(slug="undated", title="Undated page", summary="S")
    Guide.objects.create(
        slug="g", title="Overdue guide", summary="S", published_on=today, body="Text.",
        next_review_due=today - 10 * day,
    )  # fmt: skip
    Snippet.objects.create(
        key=SnippetKey.ISI_SUMMARY, title="ISI", body="Text.", next_review_due=today - 2 * day
    )
    Guide.objects.create(
        slug="soon", title="Guide due soon", summary="S", published_on=today, body="Text.",
        next_review_due=today + 5 * day,
    )  # fmt: skip
    return overdue_page


def test_review_overdue_filter_lists_only_overdue_pages(editor_client, review_dates):
    url = reverse("admin:content_page_changelist") + "?review=overdue"
    html = editor_client.get(url).content.decode()
    assert "Overdue page" in html
    assert "Fresh page" not in html and "Undated page" not in html


def test_no_review_date_filter_lists_undated_pages(editor_client, review_dates):
    html = editor_client.get(reverse("admin:content_page_changelist") + "?review=not-planned")
    assert "Undated page" in html.content.decode()
    assert "Overdue page" not in html.content.decode()


def test_reviews_due_page_lists_overdue_items_of_every_kind(editor_client, review_dates):
    response = editor_client.get(reverse("review_overdue"))
    assert response.status_code == 200
    overdue = [item.title for item in response.context["overdue"]]
    assert overdue == ["Overdue guide", "Important Safety Information summary (on every page)",
                       "Overdue page"]  # fmt: skip
    assert [item.title for item in response.context["due_soon"]] == ["Guide due soon"]
    dated = response.context["overdue"] + response.context["due_soon"]
    assert "Fresh page" not in [item.title for item in dated]


def test_admin_home_shows_how_many_reviews_are_overdue(editor_client, review_dates):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "3 items overdue for medical review." in html


def test_reviews_due_page_is_for_staff_only(review_dates):
    response = Client().get(reverse("review_overdue"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_list_marks_an_overdue_review(editor_client, review_dates):
    html = editor_client.get(reverse("admin:content_page_changelist")).content.decode()
    assert "Overdue since" in html


@pytest.fixture
def signed_page(safety_page):
    """The page, with a named reviewer's signature beside its review date."""
    safety_page.reviewed_by = "Dr. A. Smith, oncology pharmacist"
    safety_page.save()
    return safety_page


def test_public_page_shows_a_review_signed_by_a_named_reviewer(client, signed_page):
    html = client.get("/safety/").content.decode()
    assert (
        'Medically reviewed on <time datetime="2026-01-10">January 10, 2026</time> '
        "by Dr. A. Smith, oncology pharmacist"
    ) in html
    assert "awaiting medical review" not in html


def test_public_page_without_a_named_reviewer_says_it_awaits_review(client, safety_page):
    """A date alone is not a signed review."""
    html = client.get("/safety/").content.decode()
    assert "This content is awaiting medical review." in html
    assert "Medically reviewed on" not in html


def test_a_review_is_not_shown_while_the_item_is_to_be_verified(client, signed_page):
    signed_page.needs_verification = True
    signed_page.save()
    html = client.get("/safety/").content.decode()
    assert "Medically reviewed on" not in html
    assert "This content is awaiting medical review." in html


def test_reviews_due_lists_and_counts_items_never_reviewed(editor_client, review_dates):
    """Overdue dates aside, an item with no signed review is counted as awaiting review."""
    Page.objects.filter(slug="fresh").update(
        medically_reviewed_on=timezone.localdate(), reviewed_by="Dr. A. Smith, pharmacist"
    )
    response = editor_client.get(reverse("review_overdue"))
    awaiting = [item.title for item in response.context["awaiting"]]
    assert "Important Safety Information summary (on every page)" in awaiting
    assert "Undated page" in awaiting and "Fresh page" not in awaiting
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert f"{len(awaiting)} items awaiting medical review" in html
