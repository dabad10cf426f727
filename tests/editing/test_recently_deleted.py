"""Anything deleted by mistake is listed under "Recently deleted" and comes back from there; a page
comes back with the sections that were deleted with it.

A restored guide or page comes back as a draft, not public: it needs a medical reviewer's
sign-off before the public sees it again. (It used to come back published; that let a restore
skip medical review, so the tests now expect a draft.)"""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import (
    AuditAction,
    AuditEvent,
    Guide,
    Page,
    Section,
    Snippet,
    SnippetKey,
    Status,
)

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


def test_a_deleted_guide_is_listed_and_comes_back_as_a_draft(editor_client, guide):
    """Changed behaviour: a restored guide used to come back public, skipping medical review."""
    delete_in_admin(editor_client, guide)
    assert Client().get("/guides/sleep/", HTTP_COOKIE="us_audience=yes").status_code == 404

    response = restore_from_list(editor_client, "Sleeping well")
    assert response.status_code == 302

    assert Guide.objects.get(slug="sleep").status == Status.DRAFT
    assert Client().get("/guides/sleep/", HTTP_COOKIE="us_audience=yes").status_code == 404
    message = editor_client.get(response["Location"]).content.decode()
    assert "is back as a draft" in message and "medical review" in message
    event = AuditEvent.objects.get(action=AuditAction.RESTORED, label="Sleeping well")
    assert "draft" in event.comment
    assert "Nothing has been deleted" in editor_client.get(LIST_URL).content.decode()


def test_the_restore_screens_say_it_comes_back_as_a_draft(editor_client, guide):
    delete_in_admin(editor_client, guide)
    listing = editor_client.get(LIST_URL).content.decode()
    assert "published if it was published" not in listing
    assert "comes back as a draft" in listing
    href = html.unescape(re.search(r'<a href="([^"]+)">Sleeping well</a>', listing).group(1))
    screen = editor_client.get(href).content.decode()
    assert "comes back as a draft" in screen and "medical review" in screen


def test_a_deleted_page_comes_back_with_its_sections_as_a_draft(editor_client, optional_page):
    """Changed behaviour: a restored page used to come back public, skipping medical review."""
    delete_in_admin(editor_client, optional_page)
    listing = editor_client.get(LIST_URL).content.decode()
    assert "Blood clots" not in listing  # its sections come back with it, not one by one
    assert "with its sections" in listing

    assert restore_from_list(editor_client, "Safety").status_code == 302

    page = Page.objects.get(slug="clots")
    assert page.status == Status.DRAFT
    assert list(page.sections.values_list("heading", flat=True)) == [
        "Blood clots",
        "Low blood counts",
    ]
    assert Client().get("/clots/", HTTP_COOKIE="us_audience=yes").status_code == 404


def test_a_restored_draft_goes_public_only_after_sign_off(editor_client, guide):
    from content.editing import revisions, signoff

    from .test_workflow import approve_form, make_staff, sync_reviewers_group

    delete_in_admin(editor_client, guide)
    restore_from_list(editor_client, "Sleeping well")
    restored = Guide.objects.get(slug="sleep")
    revision = revisions.refresh_from_live(restored, restored.history.first().history_user)
    signoff.submit(revision, revision.created_by)
    reviewer = make_staff("reviewer1", sync_reviewers_group)
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    approve_form(reviewer_client, revision)
    assert Guide.objects.get(slug="sleep").status == Status.PUBLISHED
    assert Client().get("/guides/sleep/", HTTP_COOKIE="us_audience=yes").status_code == 200


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


def test_a_deleted_site_wide_text_comes_back_hidden_until_a_reviewer_approves_it(admin_client):
    """Only an administrator deletes a site-wide text; bringing it back must not skip review."""
    text = Snippet.objects.create(
        key=SnippetKey.REMS_PROGRAM, title="The safety program", body="REMS text."
    )
    delete_in_admin(admin_client, text)

    response = restore_from_list(admin_client, str(text))
    assert response.status_code == 302

    assert Snippet.objects.get(key=SnippetKey.REMS_PROGRAM).public is False
    assert "REMS text." not in Client().get("/", HTTP_COOKIE="us_audience=yes").content.decode()
    message = admin_client.get(response["Location"]).content.decode()
    assert "medical review" in message
    event = AuditEvent.objects.get(action=AuditAction.RESTORED)
    assert "hidden until a medical reviewer approves it" in event.comment
