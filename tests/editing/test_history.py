"""Every save is kept with who and when; editors compare versions and restore one."""

import pytest
from django.urls import reverse

from content.loader import load_content
from content.models import Page, Section

from .conftest import as_draft, change_url, open_change_form, read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def safety_page(safety_page):
    """Edited directly, as a draft (see `as_draft`)."""
    return as_draft(safety_page)


def save_page(client, page, **changes):
    data = open_change_form(client, page) | changes
    response = client.post(change_url(page), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    return response


def test_every_admin_save_is_kept_with_who_and_when(editor_client, editor, safety_page):
    save_page(editor_client, safety_page, intro="Read this first.", **{"sections-0-body": "New."})
    latest = safety_page.history.first()
    assert latest.history_user == editor and latest.history_date is not None
    assert latest.intro == "Read this first."
    section = Section.objects.get(page=safety_page, order=10)
    assert section.history.first().history_user == editor
    assert section.history.first().body == "New."


def test_history_page_lists_versions_with_their_authors(editor_client, editor, safety_page):
    save_page(editor_client, safety_page, intro="Changed.")
    url = reverse("admin:content_page_history", args=[safety_page.pk])
    html = editor_client.get(url).content.decode()
    assert "editor1" in html and "What changed" in html and "Introduction" in html


def test_compare_shows_the_changed_words(editor_client, safety_page):
    save_page(editor_client, safety_page, intro="Take one capsule each day.")
    save_page(editor_client, safety_page, intro="Take two capsules each day.")
    url = reverse("admin:content_page_compare", args=[safety_page.pk])
    html = editor_client.get(url).content.decode()
    assert (
        "Take <del>one</del><ins>two</ins> <del>capsule</del><ins>capsules</ins> each day." in html
    )


def test_compare_escapes_html_in_the_text(editor_client, safety_page):
    save_page(editor_client, safety_page, title="Safety <script>alert(1)</script>")
    html = editor_client.get(reverse("admin:content_page_compare", args=[safety_page.pk]))
    assert "<script>alert(1)" not in html.content.decode()
    assert "&lt;script&gt;alert(1)" in html.content.decode()


def test_compare_with_hostile_version_numbers_is_not_found_not_an_error(editor_client, safety_page):
    url = reverse("admin:content_page_compare", args=[safety_page.pk])
    assert editor_client.get(url + "?to=999999").status_code == 404
    assert editor_client.get(url + "?to=abc&from=-1").status_code == 200
    bad_version = f"/admin/content/page/{safety_page.pk}/history/abc/"
    assert editor_client.get(bad_version).status_code == 404


def test_restoring_an_old_version_brings_its_text_back_as_a_new_version(
    editor_client, editor, safety_page
):
    old = safety_page.history.first()
    save_page(editor_client, safety_page, intro="A mistake.")
    revert_url = reverse("admin:content_page_simple_history", args=[safety_page.pk, old.history_id])
    form = read_form(editor_client.get(revert_url), "historicalpage_form")
    assert form["intro"] == "Read this before you start."
    response = editor_client.post(revert_url, form)
    assert response.status_code == 302
    safety_page.refresh_from_db()
    assert safety_page.intro == "Read this before you start."
    assert safety_page.intro_html == "<p>Read this before you start.</p>"
    assert safety_page.history.count() == 3 and safety_page.history.first().history_user == editor


def test_a_restore_is_refused_if_someone_saved_after_the_old_version_was_opened(
    editor_client, safety_page
):
    old = safety_page.history.first()
    revert_url = reverse("admin:content_page_simple_history", args=[safety_page.pk, old.history_id])
    form = read_form(editor_client.get(revert_url), "historicalpage_form")
    save_page(editor_client, safety_page, intro="Someone else's new text.")
    response = editor_client.post(revert_url, form)
    assert response.status_code == 200
    assert "was changed by" in response.content.decode()
    safety_page.refresh_from_db()
    assert safety_page.intro == "Someone else's new text."


def test_a_section_has_its_own_history_and_can_be_restored(editor_client, safety_page):
    section = Section.objects.get(page=safety_page, order=10)
    old = section.history.first()
    save_page(editor_client, safety_page, **{"sections-0-body": "Replaced text."})
    revert_url = reverse("admin:content_section_simple_history", args=[section.pk, old.history_id])
    form = read_form(editor_client.get(revert_url), "historicalsection_form")
    assert editor_client.post(revert_url, form).status_code == 302
    section.refresh_from_db()
    assert section.body == "### Signs\n\nLeg pain or swelling."


def test_loader_saves_are_recorded_once_each_as_the_system():
    load_content()
    home = Page.objects.get(slug="home")
    assert home.history.count() == 1
    record = home.history.first()
    assert record.history_user is None and record.history_change_reason == "Loaded from home.md"
    report = load_content()
    assert not report.created and not report.updated
    assert home.history.count() == 1


def test_a_deleted_section_is_listed_in_the_page_history_and_can_be_brought_back(
    editor_client, safety_page
):
    section = Section.objects.get(page=safety_page, order=20)
    save_page(editor_client, safety_page, **{"sections-1-DELETE": "on"})
    assert not Section.objects.filter(pk=section.pk).exists()
    history = editor_client.get(reverse("admin:content_page_history", args=[safety_page.pk]))
    assert "Deleted sections" in history.content.decode()
    record = Section.history.get(id=section.pk, history_type="-")
    revert_url = reverse(
        "admin:content_section_simple_history", args=[section.pk, record.history_id]
    )
    assert revert_url in history.content.decode()
    form = read_form(editor_client.get(revert_url), "historicalsection_form")
    assert editor_client.post(revert_url, form).status_code == 302
    restored = Section.objects.get(pk=section.pk)
    assert restored.body == "Get tests." and restored.page == safety_page


def test_history_pages_speak_plain_words_not_the_packages(editor_client, safety_page):
    """No "Revert", "object" or "Historical sections": the item's name and plain verbs."""
    section = Section.objects.get(page=safety_page, order=10)
    old = section.history.first()
    save_page(editor_client, safety_page, **{"sections-0-body": "Replaced text."})
    listing = editor_client.get(reverse("admin:content_section_history", args=[section.pk]))
    version_url = reverse("admin:content_section_simple_history", args=[section.pk, old.history_id])
    version = editor_client.get(version_url)
    for response in (listing, version):
        html = response.content.decode()
        assert "Earlier versions" in html and "(New York time)" in html
        for stock in ("Revert", "revert", "this object", "Historical", "historical section"):
            assert stock not in html.replace("historicalsection_form", ""), stock
    assert "Earlier versions of “Blood clots”" in listing.content.decode()
    html = version.content.decode()
    assert 'value="Restore this version"' in html
    assert "Restore an earlier version of “Blood clots”?" in html


def test_a_restore_says_what_happened_and_returns_to_the_item(editor_client, safety_page):
    section = Section.objects.get(page=safety_page, order=10)
    old = section.history.first()
    save_page(editor_client, safety_page, **{"sections-0-body": "Replaced text."})
    version_url = reverse("admin:content_section_simple_history", args=[section.pk, old.history_id])
    response = editor_client.post(
        version_url, read_form(editor_client.get(version_url), "historicalsection_form")
    )
    assert response.url == change_url(section)
    page = editor_client.get(response.url).content.decode()
    assert "“Blood clots” is restored: the version you chose is now the current one." in page
