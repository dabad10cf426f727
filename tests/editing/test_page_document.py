"""A page and its sections are one document: one history, one difference, one restore."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from content.models import Page, Section, Status

from .conftest import as_draft, change_url, open_change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def safety_page(safety_page):
    """Edited directly, as a draft (see `as_draft`)."""
    return as_draft(safety_page)


def save_page(client, page, **changes) -> None:
    data = open_change_form(client, page) | changes
    assert client.post(change_url(page), data).status_code == 302


def document_url(page, moment) -> str:
    query = urlencode({"at": moment.isoformat()})
    return reverse("admin:content_page_document", args=[page.pk]) + f"?{query}"


def last_moment(page):
    records = [*page.history.all(), *Section.history.filter(page_id=page.pk)]
    return max(record.history_date for record in records)


def test_a_section_edit_shows_in_the_pages_history_with_what_changed(editor_client, safety_page):
    save_page(editor_client, safety_page, **{"sections-1-body": "Get blood tests each week."})
    html = editor_client.get(reverse("admin:content_page_history", args=[safety_page.pk]))
    html = html.content.decode()
    assert "Section “Low blood counts”: changed" in html
    assert "<td>Text</td>" in html and "editor1" in html

    shown = editor_client.get(document_url(safety_page, last_moment(safety_page))).content.decode()
    assert "Section “Low blood counts”: Text" in shown
    assert "Get <ins>blood </ins>tests<ins> each week</ins>." in shown


def test_restoring_a_version_brings_back_the_page_and_all_its_sections(editor_client, safety_page):
    moment = last_moment(safety_page)
    save_page(editor_client, safety_page, intro="New intro.", **{"sections-0-body": "Changed."})
    save_page(editor_client, safety_page, **{"sections-1-DELETE": "on"})
    Section.objects.create(page=safety_page, order=30, heading="Added later", body="Later.")

    url = document_url(safety_page, moment)
    preview = editor_client.get(url).content.decode()
    assert "Section “Added later” (deleted)" in preview
    assert "Section “Low blood counts” (added)" in preview
    response = editor_client.post(url, {"confirm": "yes"})

    assert response.status_code == 302
    safety_page.refresh_from_db()
    assert safety_page.intro == "Read this before you start."
    assert safety_page.status == Status.DRAFT  # it keeps its status
    assert list(safety_page.sections.values_list("heading", "body")) == [
        ("Blood clots", "### Signs\n\nLeg pain or swelling."),
        ("Low blood counts", "Get tests."),
    ]
    assert "Restored to an earlier version" in {
        record.history_change_reason for record in Section.history.all()
    }


def test_looking_at_a_version_changes_nothing(editor_client, safety_page):
    moment = last_moment(safety_page)
    save_page(editor_client, safety_page, intro="New intro.")
    for data in ({}, {"confirm": "no"}):
        editor_client.post(document_url(safety_page, moment), data)
    assert Page.objects.get(pk=safety_page.pk).intro == "New intro."


@pytest.mark.parametrize(
    "at",
    [
        "",
        "yesterday",
        "2026-13-45T00:00:00+00:00",
        "2026-01-01T00:00:00",
        "x" * 5000,
        "1999-01-01T00:00:00+00:00",
        "<script>alert(1)</script>",
        "2026-01-01T00:00:00%00",
    ],
)
def test_an_odd_moment_is_a_404(editor_client, safety_page, at):
    url = reverse("admin:content_page_document", args=[safety_page.pk])
    assert editor_client.get(url, {"at": at}).status_code in {404, 414}


def test_an_unknown_page_is_a_404(editor_client, safety_page):
    url = document_url(safety_page, last_moment(safety_page)).replace(
        f"/{safety_page.pk}/", "/999999/"
    )
    assert editor_client.get(url).status_code in {302, 404}
