"""While the database is down, last good copies are served, but never of withdrawn medical text."""

import pytest
from django.db import OperationalError
from django.test import Client

from content import views as content_views
from content.models import Page, Section, Status

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def guide_page(db):
    page = Page.objects.create(
        slug="taking-pomalyst", title="Taking", summary="s", status=Status.PUBLISHED
    )
    Section.objects.create(page=page, heading="Your dose", body="Take 40 mg a day.")
    return page


@pytest.fixture
def database_down(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    return lambda: monkeypatch.setattr(content_views, "_page_with_sections", unreachable)


def test_last_good_copy_is_served_during_an_outage(client, guide_page, database_down):
    client.get("/taking-pomalyst/")
    section = guide_page.sections.get()
    section.body = "Take 40 mg a day, with water."  # an edit, not a withdrawal
    section.save()
    database_down()
    response = client.get("/taking-pomalyst/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"


def test_an_unpublished_page_is_never_served_again_during_an_outage(
    client, guide_page, database_down
):
    assert b"40 mg" in client.get("/taking-pomalyst/").content
    guide_page.status = Status.DRAFT
    guide_page.save()
    database_down()
    response = client.get("/taking-pomalyst/")
    assert response.status_code == 503
    assert b"40 mg" not in response.content


def test_a_deleted_section_is_never_served_again_during_an_outage(
    client, guide_page, database_down
):
    assert b"40 mg" in client.get("/taking-pomalyst/").content
    guide_page.sections.get().delete()
    database_down()
    response = client.get("/taking-pomalyst/")
    assert response.status_code == 503
    assert b"40 mg" not in response.content


def test_withdrawing_one_item_drops_every_last_good_copy(client, guide_page, database_down, db):
    """A withdrawn guide is listed on other pages too: no stale copy may name it."""
    other = Page.objects.create(slug="safety", title="Safety", summary="s", status=Status.PUBLISHED)
    Section.objects.create(page=other, heading="Clots", body="Know the signs.")
    client.get("/taking-pomalyst/")
    client.get("/safety/")
    guide_page.status = Status.DRAFT
    guide_page.save()
    database_down()
    assert client.get("/safety/").status_code == 503
