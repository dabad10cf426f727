"""While the database is down, last good copies are served, but never of withdrawn medical text."""

import pytest
from django.test import Client

from content.models import Status

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def guide_page(make_page):
    return make_page(slug="taking-pomalyst", sections=(("Your dose", "Take 40 mg a day."),))


def test_last_good_copy_is_served_during_an_outage(client, guide_page, database_down):
    client.get("/taking-pomalyst/")
    section = guide_page.sections.get()
    section.body = "Take 40 mg a day, with water."  # an edit, not a withdrawal
    section.save()
    database_down()
    response = client.get("/taking-pomalyst/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"


def unpublish_the_page(page) -> None:
    page.status = Status.DRAFT
    page.save()


def delete_its_section(page) -> None:
    page.sections.get().delete()


@pytest.mark.parametrize("withdraw", [unpublish_the_page, delete_its_section])
def test_withdrawn_text_is_never_served_again_during_an_outage(
    client, guide_page, database_down, withdraw
):
    # The typography keeps a number and its unit together: "40&nbsp;mg".
    assert b"Take 40&nbsp;mg" in client.get("/taking-pomalyst/").content
    withdraw(guide_page)
    database_down()
    response = client.get("/taking-pomalyst/")
    assert response.status_code == 503
    assert b"Take 40" not in response.content


def test_withdrawing_one_item_drops_every_last_good_copy(
    client, guide_page, make_page, database_down
):
    """A withdrawn guide is listed on other pages too: no stale copy may name it."""
    make_page(slug="safety", sections=(("Clots", "Know the signs."),))
    client.get("/taking-pomalyst/")
    client.get("/safety/")
    unpublish_the_page(guide_page)
    database_down()
    assert client.get("/safety/").status_code == 503
