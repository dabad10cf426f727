"""Anything deleted by mistake is listed under "Recently deleted" and comes back from there; a page
comes back with the sections that were deleted with it."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import Guide, Page, Section, Status

from .conftest import as_draft, read_form

pytestmark = pytest.mark.django_db

LIST_URL = reverse("recently_deleted")


@pytest.fixture
def guide(make_guide) -> Guide:
    return make_guide()


def delete_in_admin(client, obj) -> None:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def restore_from_list(client, title: str):
    listing = client.get(LIST_URL).content.decode()
    found = re.search(rf'<a href="([^"]+)">{re.escape(title)}</a>', listing)
    assert found, f"{title} is not listed"
    href = html.unescape(found.group(1))
    form_page = client.get(href)
    form_id = re.search(r'<form [^>]*id="([^"]+_form)"', form_page.content.decode()).group(1)
    return client.post(href, read_form(form_page, form_id))


def test_a_deleted_guide_is_listed_and_comes_back_public(editor_client, guide):
    delete_in_admin(editor_client, guide)
    assert Client().get("/guides/sleep/", HTTP_COOKIE="us_audience=yes").status_code == 404

    assert restore_from_list(editor_client, "Sleeping well").status_code == 302

    assert Guide.objects.get(slug="sleep").status == Status.PUBLISHED
    assert Client().get("/guides/sleep/", HTTP_COOKIE="us_audience=yes").status_code == 200
    editor_client.get(LIST_URL)  # shows, and so clears, the "changed" message
    assert "Nothing has been deleted" in editor_client.get(LIST_URL).content.decode()


def test_a_deleted_page_comes_back_with_its_sections(editor_client, optional_page):
    delete_in_admin(editor_client, optional_page)
    listing = editor_client.get(LIST_URL).content.decode()
    assert "Blood clots" not in listing  # its sections come back with it, not one by one
    assert "with its sections" in listing

    assert restore_from_list(editor_client, "Safety").status_code == 302

    page = Page.objects.get(slug="clots")
    assert list(page.sections.values_list("heading", flat=True)) == [
        "Blood clots",
        "Low blood counts",
    ]
    public = Client().get("/clots/", HTTP_COOKIE="us_audience=yes")
    assert public.status_code == 200 and "Leg pain or swelling." in public.content.decode()


def test_a_section_deleted_alone_is_listed_on_its_own(editor_client, safety_page):
    as_draft(safety_page)  # a live page's section is deleted through its page's review
    section = Section.objects.get(page=safety_page, order=20)
    delete_in_admin(editor_client, section)
    assert restore_from_list(editor_client, "Low blood counts").status_code == 302
    assert Section.objects.filter(pk=section.pk, body="Get tests.").exists()


def test_old_deletions_and_restored_items_are_not_listed(editor_client, guide):
    delete_in_admin(editor_client, guide)
    editor_client.get(LIST_URL)  # shows, and so clears, the "deleted" message
    Guide.history.filter(history_type="-").update(
        history_date=timezone.now() - datetime.timedelta(days=91)
    )
    assert "Nothing has been deleted" in editor_client.get(LIST_URL).content.decode()


def test_recently_deleted_is_for_logged_in_editors_only(guide, editor_client):
    delete_in_admin(editor_client, guide)
    response = Client().get(LIST_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_restore_address_with_a_wrong_version_is_a_404(editor_client, guide):
    delete_in_admin(editor_client, guide)
    record = Guide.history.get(history_type="-")
    for args in ([guide.pk, record.history_id + 999], [guide.pk + 999, record.history_id]):
        url = reverse("admin:content_guide_simple_history", args=args)
        assert editor_client.get(url).status_code == 404
