"""The medical-review workflow: edits to live content are staged, submitted, signed by another
person with their password, and only then published; every step is kept in the audit trail."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.editing import revisions, signoff
from content.editing.audit import item_events_url
from content.editing.permissions import REVIEWERS_GROUP, sync_reviewers_group
from content.models import (
    Approval,
    AuditAction,
    AuditEvent,
    Guide,
    Page,
    Revision,
    RevisionState,
    Section,
    Snippet,
    Status,
)

from .conftest import change_url, make_staff, open_change_form, read_form, submit_and_approve

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-1"


@pytest.fixture
def make_reviewer(db):
    def make(username: str = "reviewer1") -> User:
        return make_staff(username, sync_reviewers_group, first_name="Ann", last_name="Lee")

    return make


@pytest.fixture
def reviewer(make_reviewer) -> User:
    return make_reviewer("reviewer1")


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


def section_index(data: dict, heading: str) -> int:
    for key, value in data.items():
        match = re.fullmatch(r"sections-(\d+)-heading", key)
        if match and value == heading:
            return int(match.group(1))
    raise AssertionError(f"no section {heading!r} in the form")


def stage_edit(client, page, intro=None, sections=None) -> Revision:
    """Open the page's form, change the intro and/or sections (by heading), save it."""
    data = open_change_form(client, page)
    if intro is not None:
        data["intro"] = intro
    for heading, body in (sections or {}).items():
        data[f"sections-{section_index(data, heading)}-body"] = body
    response = client.post(change_url(page), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return revisions.pending_revision(page)


def submit(client, revision) -> None:
    url = reverse("admin:content_revision_review", args=[revision.pk])
    response = client.post(url, {"step": "submit"}, follow=True)
    assert response.status_code == 200


def approve_form(client, revision, **fields):
    url = reverse("admin:content_revision_approve", args=[revision.pk])
    page = client.get(url)
    assert page.status_code == 200
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page.content.decode()).group(1)
    data = {"password": PASSWORD, "meaning": "on", "digest": digest, **fields}
    return client.post(url, data, follow=True)


# Staging ----------------------------------------------------------------------------------------


def test_editing_a_published_page_keeps_the_public_page_as_it_was(editor_client, safety_page):
    revision = stage_edit(
        editor_client,
        safety_page,
        intro="A new introduction.",
        sections={"Blood clots": "### Signs\n\nNew words about clots."},
    )
    safety_page.refresh_from_db()
    assert safety_page.intro == "Read this before you start."
    assert Section.objects.get(heading="Blood clots").body == "### Signs\n\nLeg pain or swelling."
    assert revision.state == RevisionState.DRAFT
    assert revision.data["fields"]["intro"] == "A new introduction."
    key = str(Section.objects.get(heading="Blood clots").pk)
    assert "New words about clots." in revision.data["sections"][key]["values"]["body"]
    assert "New words about clots." in revision.html["sections"][key]
    public = Client().get("/safety/").content.decode()
    assert "Leg pain or swelling." in public and "New words about clots" not in public


def test_the_change_form_reopens_with_the_pending_text(editor_client, safety_page):
    stage_edit(editor_client, safety_page, sections={"Low blood counts": "Get blood tests often."})
    data = open_change_form(editor_client, safety_page)
    assert data[f"sections-{section_index(data, 'Low blood counts')}-body"] == (
        "Get blood tests often."
    )
    html = editor_client.get(change_url(safety_page)).content.decode()
    assert "pending change" in html


def test_two_editors_on_different_sections_of_a_live_page_both_keep_their_text(
    make_editor, safety_page
):
    first, second = Client(), Client()
    first.force_login(make_editor("editor1"))
    second.force_login(make_editor("editor2"))
    form_one, form_two = open_change_form(first, safety_page), open_change_form(second, safety_page)
    form_one[f"sections-{section_index(form_one, 'Blood clots')}-body"] = "### Signs\n\nOne."
    form_two[f"sections-{section_index(form_two, 'Low blood counts')}-body"] = "Two."
    assert first.post(change_url(safety_page), form_one).status_code == 302
    assert second.post(change_url(safety_page), form_two).status_code == 302
    bodies = {
        s.heading: s.body
        for s in revisions.pending_revision(safety_page).built_item().staged_sections
    }
    assert bodies == {"Blood clots": "### Signs\n\nOne.", "Low blood counts": "Two."}


def test_two_editors_on_the_same_section_get_the_conflict_screen(make_editor, safety_page):
    first, second = Client(), Client()
    first.force_login(make_editor("editor1"))
    second.force_login(make_editor("editor2"))
    form_one, form_two = open_change_form(first, safety_page), open_change_form(second, safety_page)
    index = section_index(form_one, "Low blood counts")
    form_one[f"sections-{index}-body"] = "First editor's words."
    form_two[f"sections-{index}-body"] = "Second editor's words."
    assert first.post(change_url(safety_page), form_one).status_code == 302
    response = second.post(change_url(safety_page), form_two)
    assert response.status_code == 200
    assert "Not saved: this changed after you opened it" in response.content.decode()
    bodies = {
        s.heading: s.body
        for s in revisions.pending_revision(safety_page).built_item().staged_sections
    }
    assert bodies["Low blood counts"] == "First editor's words."


def test_a_section_added_and_one_deleted_on_a_live_page_wait_for_review(editor_client, safety_page):
    data = open_change_form(editor_client, safety_page)
    total = int(data["sections-TOTAL_FORMS"])
    data[f"sections-{section_index(data, 'Low blood counts')}-DELETE"] = "on"
    data |= {
        "sections-TOTAL_FORMS": str(total + 1),
        f"sections-{total}-order": "30",
        f"sections-{total}-heading": "Infections",
        f"sections-{total}-body": "Call if you have a fever.",
        f"sections-{total}-page": str(safety_page.pk),
    }
    assert editor_client.post(change_url(safety_page), data).status_code == 302
    assert set(Section.objects.values_list("heading", flat=True)) == {
        "Blood clots",
        "Low blood counts",
    }
    revision = revisions.pending_revision(safety_page)
    headings = [s.heading for s in revision.built_item().staged_sections]
    assert headings == ["Blood clots", "Infections"]
    # The form shows the new section again, and saving it unchanged adds nothing twice.
    again = open_change_form(editor_client, safety_page)
    assert "Infections" in again.values()
    assert editor_client.post(change_url(safety_page), again).status_code == 302
    revision.refresh_from_db()
    assert [s.heading for s in revision.built_item().staged_sections] == headings


def test_a_draft_is_edited_directly(editor_client, make_guide):
    guide = make_guide(slug="new-guide", status=Status.DRAFT, title="New", body="Old text.")
    data = open_change_form(editor_client, guide) | {"body": "New text."}
    assert editor_client.post(change_url(guide), data).status_code == 302
    guide.refresh_from_db()
    assert guide.body == "New text." and revisions.pending_revision(guide) is None


def test_site_wide_texts_are_always_staged(editor_client, isi):
    data = open_change_form(editor_client, isi) | {"body": "Changed safety summary."}
    assert editor_client.post(change_url(isi), data).status_code == 302
    isi.refresh_from_db()
    assert isi.body != "Changed safety summary."
    assert revisions.pending_revision(isi).data["fields"]["body"] == "Changed safety summary."


def add_site_wide_text(client, **values):
    add = reverse("admin:content_snippet_add")
    data = read_form(client.get(add), "snippet_form") | values
    return client.post(add, data)


def test_a_new_site_wide_text_waits_for_medical_review(editor_client, editor, isi, safety_page):
    response = add_site_wide_text(
        editor_client, key="site-publisher", title="Publisher", body="Published by a new company."
    )
    assert response.status_code == 302
    text = Snippet.objects.get(key="site-publisher")
    assert not text.public
    visitor = Client()
    visitor.cookies["us_audience"] = "yes"
    assert "Published by a new company." not in visitor.get("/safety/").content.decode()
    revision = revisions.refresh_from_live(text, editor)
    shown = editor_client.get(f"/safety/?revision={revision.pk}").content.decode()
    assert "Published by a new company." in shown and "Pending changes" in shown
    submit_and_approve(text)
    text.refresh_from_db()
    assert text.public
    assert "Published by a new company." in visitor.get("/safety/").content.decode()


@pytest.mark.parametrize(
    "values",
    [
        {"key": ""},
        {"title": ""},
        {"title": "T" * 5000},
        {"key": "<script>alert(1)</script>"},
        {"body": "Le médicament 💊 " * 10, "title": "<b>Éditeur</b>"},
    ],
)
def test_bad_input_to_a_new_site_wide_text_is_refused_or_kept_from_visitors(
    editor_client, isi, safety_page, values
):
    base = {"key": "site-publisher", "title": "Publisher", "body": "New text."}
    response = add_site_wide_text(editor_client, **(base | values))
    assert response.status_code in (200, 302)
    assert not Snippet.objects.filter(key="site-publisher", public=True).exists()
    if response.status_code == 200:
        assert "errornote" in response.content.decode()


def test_reviewed_fields_are_read_only_in_the_change_form(editor_client, safety_page):
    data = open_change_form(editor_client, safety_page)
    assert "reviewed_by" not in data and "approval_code" not in data
    assert "medically_reviewed_on" not in data


# Preview and difference -------------------------------------------------------------------------


def test_staff_preview_the_pending_change_at_the_public_address(editor_client, safety_page):
    revision = stage_edit(editor_client, safety_page, intro="Previewed introduction.")
    response = editor_client.get(f"/safety/?revision={revision.pk}")
    html = response.content.decode()
    assert "Pending changes — not public yet" in html and "Previewed introduction." in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Previewed introduction." not in editor_client.get("/safety/").content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "99999", "1" * 40, "<script>"])
def test_a_bad_revision_number_is_a_clean_404_for_staff(editor_client, safety_page, value):
    assert editor_client.get("/safety/", {"revision": value}).status_code == 404


def test_visitors_never_see_a_pending_change(editor_client, safety_page):
    revision = stage_edit(editor_client, safety_page, intro="Secret new text.")
    response = Client().get(f"/safety/?revision={revision.pk}")
    assert response.status_code == 200
    assert "Secret new text." not in response.content.decode()


def test_the_review_page_shows_the_difference(editor_client, safety_page):
    revision = stage_edit(
        editor_client, safety_page, intro="Read this first.", sections={"Low blood counts": "X."}
    )
    html = editor_client.get(reverse("admin:content_revision_review", args=[revision.pk]))
    text = html.content.decode()
    assert "Page: Introduction" in text and "<ins>first</ins>" in text
    assert "Section “Low blood counts”: Text" in text


# Submitting, sending back, approving ------------------------------------------------------------


def test_a_change_with_markdown_problems_cannot_be_submitted(editor_client, safety_page):
    # The edit form refuses such text already; a change staged another way meets the same check.
    editor = User.objects.get(username="editor1")
    broken = "[a broken link](/no-such-page/)"
    revision = revisions.stage(
        safety_page, [revisions.StagedPart("", {"intro": broken}, None)], editor
    )
    response = editor_client.post(
        reverse("admin:content_revision_review", args=[revision.pk]),
        {"step": "submit"},
        follow=True,
    )
    revision.refresh_from_db()
    assert revision.state == RevisionState.DRAFT
    assert "Not submitted" in response.content.decode()


def test_reviewer_signs_with_password_and_the_change_goes_live(
    editor_client, reviewer_client, reviewer, safety_page
):
    revision = stage_edit(
        editor_client, safety_page, sections={"Blood clots": "### Signs\n\nNew clot words."}
    )
    submit(editor_client, revision)
    revision.refresh_from_db()
    assert revision.state == RevisionState.SUBMITTED
    response = approve_form(reviewer_client, revision, approval_code="POM-2026-0042")
    assert "Approved as POM-2026-0042" in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == RevisionState.PUBLISHED
    safety_page.refresh_from_db()
    assert safety_page.approval_code == "POM-2026-0042"
    assert safety_page.reviewed_by == "Ann Lee"
    assert safety_page.medically_reviewed_on == timezone.localdate()
    assert safety_page.history.first().history_change_reason == "Published: approval POM-2026-0042"
    approval = Approval.objects.get()
    assert approval.reviewer == reviewer and approval.meaning == signoff.MEANING
    assert approval.data_digest == revisions.data_digest(revision.data)
    public = Client().get("/safety/").content.decode()
    assert "New clot words." in public and "Medically reviewed on" in public
    assert "Approval code: POM-2026-0042" in public
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [AuditAction.SUBMITTED, AuditAction.APPROVED, AuditAction.PUBLISHED]


def test_the_site_assigns_an_approval_code_when_none_is_entered(
    editor_client, reviewer_client, safety_page
):
    revision = stage_edit(editor_client, safety_page, intro="Assigned code.")
    submit(editor_client, revision)
    approve_form(reviewer_client, revision)
    safety_page.refresh_from_db()
    assert re.fullmatch(rf"POM-{timezone.localdate().year}-\d{{4}}", safety_page.approval_code)


def test_a_wrong_password_approves_nothing(editor_client, reviewer_client, safety_page):
    revision = stage_edit(editor_client, safety_page, intro="Should not go live.")
    submit(editor_client, revision)
    response = approve_form(reviewer_client, revision, password="wrong-password")
    assert "That password is wrong. Nothing was approved." in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == RevisionState.SUBMITTED and not Approval.objects.exists()
    safety_page.refresh_from_db()
    assert safety_page.intro == "Read this before you start."


def test_wrong_passwords_at_sign_off_count_toward_the_login_lockout(
    settings, editor_client, reviewer_client, safety_page
):
    revision = stage_edit(editor_client, safety_page, intro="Locked out.")
    submit(editor_client, revision)
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = approve_form(reviewer_client, revision, password="wrong-password")
        assert "That password is wrong" in response.content.decode()
    response = approve_form(reviewer_client, revision, password="wrong-password")
    assert response.status_code == 429 and "Login paused" in response.content.decode()
    right = approve_form(reviewer_client, revision)  # the right password, too late
    assert right.status_code == 429
    login = Client().post(reverse("admin:login"), {"username": "reviewer1", "password": PASSWORD})
    assert login.status_code == 429  # the same lockout as the login page
    assert not Approval.objects.exists()
    settings.AXES_ENABLED = False


def test_the_meaning_must_be_stated(editor_client, reviewer_client, safety_page):
    revision = stage_edit(editor_client, safety_page, intro="No meaning.")
    submit(editor_client, revision)
    response = approve_form(reviewer_client, revision, meaning="")
    assert response.status_code == 200 and not Approval.objects.exists()


@pytest.mark.parametrize(
    "code", ["<script>alert(1)</script>", "POM 2026", "x" * 41, "POM–2026", "'; DROP TABLE"]
)
def test_hostile_approval_codes_are_refused(editor_client, reviewer_client, safety_page, code):
    revision = stage_edit(editor_client, safety_page, intro="Codes.")
    submit(editor_client, revision)
    response = approve_form(reviewer_client, revision, approval_code=code)
    assert response.status_code == 200
    assert "Use only letters, digits and dashes" in response.content.decode() or len(code) > 40
    assert not Approval.objects.exists()


def test_a_used_approval_code_is_refused(editor_client, reviewer_client, safety_page, make_guide):
    revision = stage_edit(editor_client, safety_page, intro="First.")
    submit(editor_client, revision)
    approve_form(reviewer_client, revision, approval_code="POM-1")
    revision = stage_edit(editor_client, safety_page, intro="Second.")
    submit(editor_client, revision)
    response = approve_form(reviewer_client, revision, approval_code="POM-1")
    assert "already used" in response.content.decode()
    assert Approval.objects.count() == 1


def test_nobody_approves_their_own_change_not_even_a_superuser(safety_page):
    boss = User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    client = Client()
    client.force_login(boss)
    revision = stage_edit(client, safety_page, intro="My own change.")
    submit(client, revision)
    url = reverse("admin:content_revision_approve", args=[revision.pk])
    assert "another medical reviewer must" in client.get(url).content.decode()
    digest = revisions.data_digest(Revision.objects.get(pk=revision.pk).data)
    data = {"password": PASSWORD, "meaning": "on", "digest": digest}
    response = client.post(url, data, follow=True)
    assert "another medical reviewer must approve it" in response.content.decode()
    assert not Approval.objects.exists()
    with pytest.raises(signoff.SignOffRefused):
        signoff.approve(revision.pk, boss, digest=revisions.data_digest(revision.data))


def test_an_edit_after_submission_takes_it_out_of_review(
    editor_client, reviewer_client, reviewer, safety_page
):
    revision = stage_edit(editor_client, safety_page, intro="Submitted text.")
    submit(editor_client, revision)
    digest = revisions.data_digest(Revision.objects.get(pk=revision.pk).data)
    stage_edit(editor_client, safety_page, intro="Edited after submission.")
    revision.refresh_from_db()
    assert revision.state == RevisionState.DRAFT
    with pytest.raises(signoff.SignOffRefused):
        signoff.approve(revision.pk, reviewer, digest=digest)


def test_a_revision_whose_live_item_changed_is_refused(editor, reviewer, safety_page):
    revision = revisions.stage(
        safety_page, [revisions.StagedPart("", {"intro": "Staged."}, None)], editor
    )
    signoff.submit(revision, editor)
    Page.objects.get(pk=safety_page.pk).save()  # the live item changes (a new version)
    with pytest.raises(signoff.SignOffRefused, match="live version changed"):
        signoff.approve(revision.pk, reviewer, digest=revisions.data_digest(revision.data))


def test_of_two_reviewers_approving_at_once_exactly_one_wins(editor, make_reviewer, safety_page):
    first, second = make_reviewer("reviewer1"), make_reviewer("reviewer2")
    revision = revisions.stage(
        safety_page, [revisions.StagedPart("", {"intro": "Once."}, None)], editor
    )
    signoff.submit(revision, editor)
    digest = revisions.data_digest(revision.data)
    signoff.approve(revision.pk, first, digest=digest)
    with pytest.raises(signoff.SignOffRefused, match="already approved"):
        signoff.approve(revision.pk, second, digest=digest)
    assert Approval.objects.count() == 1


def test_send_back_needs_a_comment_and_keeps_hostile_text_harmless(
    editor_client, reviewer_client, safety_page
):
    revision = stage_edit(editor_client, safety_page, intro="To send back.")
    submit(editor_client, revision)
    url = reverse("admin:content_revision_review", args=[revision.pk])
    response = reviewer_client.post(url, {"step": "send-back", "comment": "  "}, follow=True)
    assert "Write a comment" in response.content.decode()
    hostile = "<script>alert('x')</script> Fix the ⚠️ dose line"
    reviewer_client.post(url, {"step": "send-back", "comment": hostile})
    revision.refresh_from_db()
    assert revision.state == RevisionState.REJECTED and revision.comment == hostile
    html = editor_client.get(change_url(safety_page)).content.decode()
    assert "<script>alert('x')</script>" not in html and "&lt;script&gt;" in html
    assert AuditEvent.objects.filter(action=AuditAction.SENT_BACK, comment=hostile).exists()
    revision = stage_edit(editor_client, safety_page, intro="Sent back again.")
    submit(editor_client, revision)
    response = reviewer_client.post(url, {"step": "send-back", "comment": "x" * 5000}, follow=True)
    assert response.status_code == 200 and "The comment is too long" in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == RevisionState.SUBMITTED


def test_an_editor_cannot_approve(editor_client, make_editor, safety_page):
    revision = stage_edit(editor_client, safety_page, intro="Editors do not sign.")
    submit(editor_client, revision)
    other = Client()
    other.force_login(make_editor("editor2"))
    url = reverse("admin:content_revision_approve", args=[revision.pk])
    assert other.get(url).status_code == 403
    assert other.post(url, {"password": PASSWORD, "meaning": "on"}).status_code == 403


def test_a_draft_is_submitted_and_goes_public_when_approved(
    editor_client, reviewer_client, make_guide
):
    guide = make_guide(slug="new-guide", status=Status.DRAFT, title="New", body="Draft text.")
    data = open_change_form(editor_client, guide) | {"_submit": "Save and submit"}
    response = editor_client.post(change_url(guide), data, follow=True)
    assert "Submitted for medical review" in response.content.decode()
    assert Client().get("/guides/new-guide/").status_code == 404
    approve_form(reviewer_client, revisions.pending_revision(guide))
    guide.refresh_from_db()
    assert guide.status == Status.PUBLISHED and guide.approval_code


# Scheduling -------------------------------------------------------------------------------------


def test_a_go_live_time_in_the_past_is_refused(editor_client, reviewer_client, safety_page):
    revision = stage_edit(editor_client, safety_page, intro="Past.")
    submit(editor_client, revision)
    response = approve_form(reviewer_client, revision, go_live_at="2020-01-01T09:00")
    assert "That time has passed" in response.content.decode()
    assert not Approval.objects.exists()


def test_an_approved_change_waits_for_its_go_live_time(editor_client, reviewer_client, safety_page):
    revision = stage_edit(editor_client, safety_page, intro="Later text.")
    submit(editor_client, revision)
    later = timezone.localtime() + datetime.timedelta(days=2)
    approve_form(reviewer_client, revision, go_live_at=later.strftime("%Y-%m-%dT%H:%M"))
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED
    assert signoff.publish_due_revisions(timezone.now()) == 0
    assert "Later text." not in Client().get("/safety/").content.decode()
    assert signoff.publish_due_revisions(timezone.now() + datetime.timedelta(days=3)) == 1
    assert "Later text." in Client().get("/safety/").content.decode()


# Records ----------------------------------------------------------------------------------------


def test_approvals_and_audit_events_can_be_neither_changed_nor_deleted(
    editor, reviewer, safety_page
):
    revision = revisions.stage(
        safety_page, [revisions.StagedPart("", {"intro": "Signed."}, None)], editor
    )
    signoff.submit(revision, editor)
    approval = signoff.approve(revision.pk, reviewer, digest=revisions.data_digest(revision.data))
    approval.approval_code = "CHANGED"
    with pytest.raises(PermissionError):
        approval.save()
    with pytest.raises(PermissionError):
        approval.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.first().delete()


def test_nobody_can_add_change_or_delete_records_in_the_admin(safety_page):
    boss = User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    client = Client()
    client.force_login(boss)
    assert client.get(reverse("admin:content_approval_add")).status_code == 403
    assert client.get(reverse("admin:content_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:content_auditevent_changelist")).status_code == 200
    for model in (Approval, AuditEvent):
        model_admin = admin.site._registry[model]
        request = type("Request", (), {"user": boss})()
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_taking_a_page_offline_is_audited(editor_client, make_page):
    page = make_page(slug="clots", status=Status.PUBLISHED)
    url = reverse("admin:content_page_take_offline", args=[page.pk])
    editor_client.post(url, {"confirm": "yes"})
    assert AuditEvent.objects.filter(action=AuditAction.WITHDRAWN, object_id=page.pk).exists()


def test_the_audit_list_filters_by_action_and_by_item(
    editor_client, reviewer_client, safety_page, make_guide
):
    revision = stage_edit(editor_client, safety_page, intro="Audited.")
    submit(editor_client, revision)
    guide = make_guide(slug="sleep", title="Sleeping well")
    editor_client.post(
        reverse("admin:content_guide_take_offline", args=[guide.pk]), {"confirm": "yes"}
    )
    url = reverse("admin:content_auditevent_changelist")
    submitted = reviewer_client.get(url, {"action__exact": "submitted"}).content.decode()
    assert "Safety" in submitted and "Sleeping well" not in submitted
    per_item = reviewer_client.get(item_events_url(guide))
    assert per_item.status_code == 200
    assert "Sleeping well" in per_item.content.decode()
    assert "Safety" not in per_item.content.decode().split("<tbody>")[1]


# Roles and the admin home -----------------------------------------------------------------------


def test_reviewers_may_approve_and_editors_may_not(editor, reviewer):
    assert reviewer.has_perm("content.approve_revision")
    assert not editor.has_perm("content.approve_revision")
    assert reviewer.has_perm("content.view_page") and not reviewer.has_perm("content.change_page")
    assert Group.objects.filter(name=REVIEWERS_GROUP).exists()


def test_create_editor_makes_a_reviewer(db):
    call_command("create_editor", "rev", "rev@example.org", "--reviewer", "--no-password")
    user = User.objects.get(username="rev")
    assert user.is_staff and user.has_perm("content.approve_revision")


def test_the_admin_home_shows_what_waits_for_each_person(
    editor_client, reviewer_client, safety_page
):
    revision = stage_edit(editor_client, safety_page, intro="Waiting.")
    assert "Safety" in editor_client.get(reverse("admin:index")).content.decode()
    reviewer_home = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "submitted for medical review" not in reviewer_home
    submit(editor_client, revision)
    reviewer_home = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "1 change submitted for medical review" in reviewer_home


# The public site never reads the workflow ------------------------------------------------------


def test_public_pages_never_read_revisions_approvals_or_audit_events(
    editor, reviewer, public_pages
):
    page = Page.objects.get(slug="safety")
    revision = revisions.stage(
        page, [revisions.StagedPart("", {"intro": "Pending."}, None)], editor
    )
    signoff.submit(revision, editor)
    snippet = Snippet.objects.first()
    revisions.stage(snippet, [revisions.StagedPart("", {"title": "Pending title"}, None)], editor)
    visitor = Client()
    visitor.cookies["us_audience"] = "yes"
    for url in public_pages:
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get(url, {"revision": revision.pk})
        assert response.status_code == 200, url
        assert len(queries) <= 3, url  # the public query budget does not grow
        sql = " ".join(query["sql"] for query in queries).lower()
        for table in ("content_revision", "content_approval", "content_auditevent"):
            assert table not in sql, (url, table)
        assert "Pending." not in response.content.decode()


def test_guides_stage_and_publish_too(editor_client, reviewer_client, make_guide):
    guide = make_guide(slug="sleep", title="Sleep", body="Old sleep text.")
    data = open_change_form(editor_client, guide) | {"body": "New sleep text."}
    editor_client.post(change_url(guide), data)
    assert Guide.objects.get(pk=guide.pk).body == "Old sleep text."
    revision = revisions.pending_revision(guide)
    preview = editor_client.get(f"/guides/sleep/?revision={revision.pk}").content.decode()
    assert "New sleep text." in preview
    submit(editor_client, revision)
    approve_form(reviewer_client, revision)
    assert Guide.objects.get(pk=guide.pk).body == "New sleep text."


def test_staging_keeps_the_cached_page_and_publishing_refreshes_it(
    settings, editor, reviewer, safety_page, isi
):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        visitor = Client()  # no cookie at all: the answer the page cache shares
        assert b"Read this before you start." in visitor.get("/safety/").content
        revision = revisions.stage(
            safety_page, [revisions.StagedPart("", {"intro": "Fresh words."}, None)], editor
        )
        signoff.submit(revision, editor)
        assert visitor.get("/safety/")["X-Page-Cache"] == "hit"  # a pending change is not news
        signoff.approve(revision.pk, reviewer, digest=revisions.data_digest(revision.data))
        response = visitor.get("/safety/")
        assert response["X-Page-Cache"] == "miss" and b"Fresh words." in response.content
    finally:
        cache.clear()


def test_restoring_a_live_page_to_an_earlier_moment_waits_for_review(editor_client, safety_page):
    from urllib.parse import urlencode

    moment = max(
        record.history_date
        for record in [*safety_page.history.all(), *Section.history.filter(page=safety_page)]
    )
    Page.objects.filter(pk=safety_page.pk).update(intro="Changed outside the workflow.")
    url = reverse("admin:content_page_document", args=[safety_page.pk])
    response = editor_client.post(
        f"{url}?{urlencode({'at': moment.isoformat()})}", {"confirm": "yes"}
    )
    assert response.status_code == 302
    assert Page.objects.get(pk=safety_page.pk).intro == "Changed outside the workflow."
    revision = revisions.pending_revision(safety_page)
    assert revision.data["fields"]["intro"] == "Read this before you start."
    assert AuditEvent.objects.filter(action=AuditAction.RESTORED, revision=revision).exists()


def test_a_deleted_guide_brought_back_is_recorded(editor_client, make_guide):
    from .test_recently_deleted import delete_in_admin, restore_from_list

    delete_in_admin(editor_client, make_guide(slug="sleep", title="Sleeping well"))
    assert restore_from_list(editor_client, "Sleeping well").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.RESTORED, label="Sleeping well").exists()


def test_a_live_pages_section_is_not_deleted_on_its_own_page(editor_client, safety_page):
    section = Section.objects.get(page=safety_page, order=20)
    url = reverse("admin:content_section_delete", args=[section.pk])
    response = editor_client.post(url, {"post": "yes"}, follow=True)
    assert "delete it on its page" in response.content.decode()
    assert Section.objects.filter(pk=section.pk).exists()
    change = editor_client.get(reverse("admin:content_section_change", args=[section.pk]))
    assert 'name="body"' not in change.content.decode()  # read-only here


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not __import__("os").environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two approvals at the same moment need a server database (CI's PostgreSQL run)",
)
def test_two_reviewers_approving_at_the_same_moment_one_signs(editor, make_reviewer, safety_page):
    """Two threads, two connections, PostgreSQL's row lock: exactly one approval is recorded."""
    import threading

    reviewers = [make_reviewer("reviewer1"), make_reviewer("reviewer2")]
    revision = revisions.stage(
        safety_page, [revisions.StagedPart("", {"intro": "Signed once."}, None)], editor
    )
    signoff.submit(revision, editor)
    digest = revisions.data_digest(revision.data)
    barrier, outcomes = threading.Barrier(2), []

    def sign(reviewer) -> None:
        barrier.wait()
        try:
            signoff.approve(revision.pk, reviewer, digest=digest)
            outcomes.append("signed")
        except signoff.SignOffRefused as refusal:
            outcomes.append(str(refusal))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(reviewer,)) for reviewer in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("signed") == 1, outcomes
    assert any("already approved" in outcome for outcome in outcomes), outcomes
    assert Approval.objects.count() == 1
    assert Page.objects.get(pk=safety_page.pk).intro == "Signed once."


def test_restoring_an_old_version_of_a_live_guide_waits_for_review(editor_client, make_guide):
    from .conftest import read_form

    guide = make_guide(slug="sleep", title="Sleeping well", body="The first text.")
    old = guide.history.first()
    Guide.objects.filter(pk=guide.pk).update(body="A later text.")
    url = reverse("admin:content_guide_simple_history", args=[guide.pk, old.history_id])
    form = read_form(editor_client.get(url), "historicalguide_form")
    assert form["body"] == "The first text."
    assert editor_client.post(url, form).status_code == 302
    assert Guide.objects.get(pk=guide.pk).body == "A later text."  # live until approved
    revision = revisions.pending_revision(guide)
    assert revision.data["fields"]["body"] == "The first text."
    assert AuditEvent.objects.filter(action=AuditAction.RESTORED, revision=revision).exists()


def test_returning_a_live_page_to_draft_keeps_its_pending_change(editor_client, make_page):
    page = make_page(slug="clots", status=Status.PUBLISHED)
    stage_edit(editor_client, page, intro="Reworked offline.")
    url = reverse("admin:content_page_changelist")
    data = {"action": "unpublish_selected", "_selected_action": [page.pk], "confirm": "yes"}
    editor_client.post(url, data)
    page.refresh_from_db()
    assert (page.status, page.intro) == (Status.DRAFT, "Reworked offline.")
    assert revisions.pending_revision(page) is None
    assert AuditEvent.objects.filter(action=AuditAction.WITHDRAWN, object_id=page.pk).exists()


# A changed fact sends a text back to review ------------------------------------------------------


def test_a_text_sent_back_to_review_is_submitted_unchanged_and_the_approval_clears_it(
    editor_client, reviewer_client, safety_page
):
    from content.editing.reviews import send_back_to_review

    send_back_to_review(safety_page, "The REMS phone number changed.")
    event = AuditEvent.objects.get(action=AuditAction.BACK_TO_REVIEW)
    assert (event.object_id, event.user, event.comment) == (
        safety_page.pk,
        None,
        "The REMS phone number changed.",
    )
    data = open_change_form(editor_client, safety_page) | {"_submit": "Save and submit"}
    response = editor_client.post(change_url(safety_page), data, follow=True)
    assert "Submitted for medical review" in response.content.decode()
    revision = revisions.pending_revision(safety_page)
    assert revision.state == RevisionState.SUBMITTED
    approve_form(reviewer_client, revision)
    safety_page.refresh_from_db()
    assert not safety_page.needs_verification
    assert safety_page.approval_code and safety_page.status == Status.PUBLISHED


def test_a_live_text_with_nothing_to_verify_is_not_submitted_unchanged(editor_client, safety_page):
    data = open_change_form(editor_client, safety_page) | {"_submit": "Save and submit"}
    response = editor_client.post(change_url(safety_page), data, follow=True)
    assert "There is no change to submit" in response.content.decode()
    assert revisions.pending_revision(safety_page) is None
