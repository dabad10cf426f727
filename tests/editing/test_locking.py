"""No lost update. A save from an out-of-date form is refused with a clear message,
the editor's text stays in the form, and a second look is a deliberate choice to save."""

import pytest
from django.test import Client

from content.editing.forms import EditForm
from content.editing.locking import EditConflict, save_if_unchanged
from content.models import Page, Section

from .conftest import as_draft, change_url, open_change_form, read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def safety_page(safety_page):
    """Edited directly, as a draft (see `as_draft`)."""
    return as_draft(safety_page)


@pytest.fixture
def second_client(make_editor):
    other = Client()
    other.force_login(make_editor("editor2"))
    return other


@pytest.fixture
def race(editor_client, second_client, safety_page):
    """Both editors open the page; the first saves their changes, then the second saves theirs.

    Returns the second editor's response, and the form the first editor still has open.
    """

    def race_(first_changes: dict, second_changes: dict):
        first = open_change_form(editor_client, safety_page)
        second = open_change_form(second_client, safety_page)
        editor_client.post(change_url(safety_page), first | first_changes)
        return second_client.post(change_url(safety_page), second | second_changes), first

    return race_


def skip_the_first_form_check(monkeypatch, applies) -> None:
    """The first form for an item that `applies` skips its version check, as a save racing
    another one past the form check would; the row-locked check at save time is left."""
    real_check = EditForm._check_version
    skipped = []

    def check(form):
        if applies(form.instance) and not skipped:
            skipped.append(form)
            return
        real_check(form)

    monkeypatch.setattr(EditForm, "_check_version", check)


def test_second_editor_is_refused_and_keeps_their_text(editor_client, second_client, safety_page):
    first = open_change_form(editor_client, safety_page)
    second = open_change_form(second_client, safety_page)
    assert (
        editor_client.post(change_url(safety_page), first | {"intro": "Text A."}).status_code == 302
    )

    response = second_client.post(change_url(safety_page), second | {"intro": "Text B."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "was changed by editor1" in html and "Your edit has not been saved" in html
    assert read_form(response, "page_form")["intro"] == "Text B."  # their text is still there
    assert "<del>A</del><ins>B</ins>" in html  # and what differs from the saved one
    safety_page.refresh_from_db()
    assert safety_page.intro == "Text A."


def test_saving_again_after_reading_the_conflict_keeps_the_second_text(
    second_client, safety_page, race
):
    refused, _ = race({"intro": "Text A."}, {"intro": "Text B."})
    response = second_client.post(change_url(safety_page), read_form(refused, "page_form"))
    assert response.status_code == 302
    safety_page.refresh_from_db()
    assert safety_page.intro == "Text B."


def test_double_click_on_save_is_refused_the_second_time_and_nothing_is_lost(
    editor_client, safety_page
):
    data = open_change_form(editor_client, safety_page) | {"intro": "Clicked twice."}
    assert editor_client.post(change_url(safety_page), data).status_code == 302
    response = editor_client.post(change_url(safety_page), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "already saved by you (editor1)" in html and "Nothing is lost" in html
    safety_page.refresh_from_db()
    assert safety_page.intro == "Clicked twice."
    assert safety_page.history.count() == 2


def test_a_section_changed_by_someone_else_is_not_overwritten(safety_page, race):
    response, _ = race({"sections-0-body": "Body by A."}, {"sections-0-body": "Body by B."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "The section “Blood clots”" not in html  # not a deletion
    assert "Section “Blood clots”" in html or "section “Blood clots”" in html
    assert read_form(response, "page_form")["sections-0-body"] == "Body by B."
    assert Section.objects.get(page=safety_page, order=10).body == "Body by A."


def test_a_section_saved_on_its_own_page_is_protected_in_the_page_form(
    editor_client, second_client, safety_page
):
    section = Section.objects.get(page=safety_page, order=20)
    page_form = open_change_form(editor_client, safety_page)
    section_form = open_change_form(second_client, section)
    second_client.post(change_url(section), section_form | {"body": "Saved alone."})

    response = editor_client.post(change_url(safety_page), page_form | {"sections-1-body": "Mine."})

    assert response.status_code == 200
    assert "was changed by editor2" in response.content.decode()
    section.refresh_from_db()
    assert section.body == "Saved alone."


def test_deleting_a_section_someone_just_changed_is_refused(safety_page, race):
    response, _ = race({"sections-0-body": "Body by A."}, {"sections-0-DELETE": "on"})
    assert response.status_code == 200
    assert "so it was not deleted" in response.content.decode()
    assert Section.objects.filter(page=safety_page, order=10).exists()


def test_a_form_without_its_version_number_is_treated_as_out_of_date(editor_client, safety_page):
    data = open_change_form(editor_client, safety_page) | {"intro": "No version."}
    del data["edit_version"]
    response = editor_client.post(change_url(safety_page), data)
    assert response.status_code == 200
    assert "Your edit has not been saved" in response.content.decode()
    data["edit_version"] = "not-a-number"
    assert editor_client.post(change_url(safety_page), data).status_code == 200
    safety_page.refresh_from_db()
    assert safety_page.intro == "Read this before you start."


def test_a_save_that_slips_past_the_form_check_is_still_refused(
    editor_client, second_client, safety_page, monkeypatch
):
    """Two saves at the same moment both pass the form check; the row-locked check at save
    time refuses the second, and the form is shown again with the conflict."""
    first = open_change_form(editor_client, safety_page)
    second = open_change_form(second_client, safety_page)
    editor_client.post(change_url(safety_page), first | {"intro": "Text A."})
    skip_the_first_form_check(monkeypatch, lambda instance: isinstance(instance, Page))
    response = second_client.post(change_url(safety_page), second | {"intro": "Text B."})
    assert response.status_code == 200
    assert "Your edit has not been saved" in response.content.decode()
    safety_page.refresh_from_db()
    assert safety_page.intro == "Text A."


def test_save_if_unchanged_refuses_an_old_version_number(safety_page):
    stale = Page.objects.get(pk=safety_page.pk)
    safety_page.title = "Changed"
    safety_page.save()
    stale.title = "Overwrite"
    with pytest.raises(EditConflict):
        save_if_unchanged(stale, stale.version)
    assert Page.objects.get(pk=safety_page.pk).title == "Changed"


def test_every_save_moves_the_version_on_but_bookkeeping_does_not(safety_page):
    version = safety_page.version
    safety_page.save()
    assert safety_page.version == version + 1
    safety_page.seed_fingerprint = "x"
    safety_page.save(update_fields=["seed_fingerprint"])
    assert Page.objects.get(pk=safety_page.pk).version == version + 1


def _bodies(page) -> dict[int, str]:
    return dict(Section.objects.filter(page=page).values_list("order", "body"))


def test_saving_a_page_saves_only_the_sections_edited_in_the_form(editor_client, safety_page):
    versions = dict(Section.objects.filter(page=safety_page).values_list("order", "version"))
    data = open_change_form(editor_client, safety_page) | {"sections-1-body": "Get blood tests."}
    assert editor_client.post(change_url(safety_page), data).status_code == 302
    after = dict(Section.objects.filter(page=safety_page).values_list("order", "version"))
    assert after == {10: versions[10], 20: versions[20] + 1}
    assert Section.history.filter(page_id=safety_page.pk, history_type="~").count() == 1


def test_editors_on_different_sections_of_one_page_keep_both_changes(
    editor_client, safety_page, race
):
    response, first = race({"sections-0-body": "Body by A."}, {"sections-1-body": "By B."})

    assert response.status_code == 302
    assert _bodies(safety_page) == {10: "Body by A.", 20: "By B."}
    # The first editor's window, saved once more, takes nothing back either.
    assert editor_client.post(change_url(safety_page), first).status_code == 302
    assert _bodies(safety_page) == {10: "Body by A.", 20: "By B."}


def test_a_page_field_and_a_section_edited_by_two_people_are_both_kept(safety_page, race):
    response, _ = race({"title": "Safety first"}, {"sections-1-body": "By B."})
    assert response.status_code == 302
    safety_page.refresh_from_db()
    assert safety_page.title == "Safety first"
    assert _bodies(safety_page)[20] == "By B."


def test_saving_again_after_a_conflict_keeps_the_other_editors_other_fields(
    second_client, safety_page, race
):
    """Both edit one section: A its heading, B its body. B is told, saves again, and A's heading
    survives beside B's body."""
    refused, _ = race({"sections-0-heading": "Clots"}, {"sections-0-body": "By B."})
    assert refused.status_code == 200
    again = read_form(refused, "page_form")
    assert again["sections-0-heading"] == "Clots"  # the form now shows A's heading

    assert second_client.post(change_url(safety_page), again).status_code == 302
    section = Section.objects.get(page=safety_page, order=10)
    assert (section.heading, section.body) == ("Clots", "By B.")


def test_a_section_edit_moves_the_pages_last_changed_date_but_not_its_version(
    editor_client, safety_page
):
    before = Page.objects.values_list("updated_at", "version").get(pk=safety_page.pk)
    data = open_change_form(editor_client, safety_page) | {"sections-1-body": "Get blood tests."}
    editor_client.post(change_url(safety_page), data)
    updated_at, version = Page.objects.values_list("updated_at", "version").get(pk=safety_page.pk)
    assert updated_at > before[0] and version == before[1]


def test_a_section_save_that_slips_past_the_form_check_is_refused_under_the_row_lock(
    editor_client, second_client, safety_page, monkeypatch
):
    section = Section.objects.get(page=safety_page, order=20)
    page_form = open_change_form(editor_client, safety_page)
    section_form = open_change_form(second_client, section)
    second_client.post(change_url(section), section_form | {"body": "B"})
    skip_the_first_form_check(
        monkeypatch, lambda instance: isinstance(instance, Section) and instance.order == 20
    )
    response = editor_client.post(change_url(safety_page), page_form | {"sections-1-body": "A"})
    assert response.status_code == 200
    section.refresh_from_db()
    assert section.body == "B"


def test_a_form_with_a_damaged_seen_list_counts_every_field_as_edited(safety_page, race):
    damaged = {"sections-1-edit_seen": "<b>x</b>" * 1000}
    response, _ = race({"sections-1-body": "By A."}, damaged)
    assert response.status_code == 200
    assert "Your edit has not been saved" in response.content.decode()
    assert _bodies(safety_page)[20] == "By A."
