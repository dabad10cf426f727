"""Discarding a pending change: its author (or any editor, once it is abandoned) throws it away
after a confirmation screen. The public version stays as it was; the change is kept, marked
discarded, in the record; an approved or published change cannot be discarded."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.editing import revisions, signoff
from content.editing.permissions import sync_reviewers_group
from content.models import AuditAction, AuditEvent, Revision, RevisionState

from .conftest import change_url, make_staff, open_change_form
from .test_workflow import approve_form, stage_edit, submit

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def discard_url(revision) -> str:
    return reverse("admin:content_revision_discard", args=[revision.pk])


@pytest.fixture
def reviewer(db):
    return make_staff("reviewer1", sync_reviewers_group, first_name="Ann", last_name="Lee")


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def pending(editor_client, safety_page) -> Revision:
    return stage_edit(editor_client, safety_page, intro="A change nobody wants.")


def test_the_author_discards_a_change_after_a_confirmation_screen(
    editor_client, safety_page, pending
):
    screen = editor_client.get(discard_url(pending))
    text = screen.content.decode()
    assert screen.status_code == 200
    assert "Discard this change?" in text and "Yes, discard this change" in text
    assert "The public version stays as it is" in text
    pending.refresh_from_db()
    assert pending.state == RevisionState.DRAFT  # opening the screen discards nothing

    response = editor_client.post(discard_url(pending), {"confirm": "yes"}, follow=True)
    assert "The change is discarded" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == RevisionState.DISCARDED
    assert revisions.pending_revision(safety_page) is None
    event = AuditEvent.objects.get(action=AuditAction.DISCARDED)
    assert event.revision == pending and event.object_id == safety_page.pk
    safety_page.refresh_from_db()
    assert safety_page.intro == "Read this before you start."
    assert "Read this before you start." in Client().get("/safety/").content.decode()


def test_the_edit_form_no_longer_shows_a_discarded_change(editor_client, safety_page, pending):
    editor_client.post(discard_url(pending), {"confirm": "yes"})
    form = editor_client.get(change_url(safety_page)).content.decode()
    assert "pending change</strong>" not in form
    assert open_change_form(editor_client, safety_page)["intro"] == "Read this before you start."
    # A new change starts afresh from the public version.
    again = stage_edit(editor_client, safety_page, intro="A better change.")
    assert again.pk != pending.pk and again.state == RevisionState.DRAFT


def test_the_review_page_and_the_edit_form_offer_the_discard(editor_client, safety_page, pending):
    review = editor_client.get(reverse("admin:content_revision_review", args=[pending.pk]))
    assert discard_url(pending) in review.content.decode()
    assert discard_url(pending) in editor_client.get(change_url(safety_page)).content.decode()


@pytest.mark.parametrize("step", ["submitted", "sent back"])
def test_a_submitted_or_sent_back_change_can_be_discarded(
    editor_client, reviewer, reviewer_client, pending, step
):
    submit(editor_client, pending)
    if step == "sent back":
        review = reverse("admin:content_revision_review", args=[pending.pk])
        reviewer_client.post(review, {"step": "send-back", "comment": "Not needed."})
    editor_client.post(discard_url(pending), {"confirm": "yes"})
    pending.refresh_from_db()
    assert pending.state == RevisionState.DISCARDED
    # Nobody can approve it any more: the form is gone, and a signature is refused.
    approve_page = reviewer_client.get(reverse("admin:content_revision_approve", args=[pending.pk]))
    assert "Approve and sign" not in approve_page.content.decode()
    digest = revisions.data_digest(pending.data)
    with pytest.raises(signoff.SignOffRefused, match="discarded"):
        signoff.approve(pending.pk, reviewer, digest=digest)
    assert not pending.approvals.exists()


def test_an_approved_change_cannot_be_discarded(editor_client, reviewer_client, pending):
    submit(editor_client, pending)
    later = timezone.localtime() + datetime.timedelta(days=2)
    approve_form(reviewer_client, pending, go_live_at=later.strftime("%Y-%m-%dT%H:%M"))
    pending.refresh_from_db()
    assert pending.state == RevisionState.APPROVED

    screen = editor_client.get(discard_url(pending), follow=True).content.decode()
    assert "cannot be discarded" in screen
    response = editor_client.post(discard_url(pending), {"confirm": "yes"}, follow=True)
    assert "cannot be discarded" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == RevisionState.APPROVED
    assert not AuditEvent.objects.filter(action=AuditAction.DISCARDED).exists()


def test_a_published_change_cannot_be_discarded(editor, reviewer, safety_page):
    revision = revisions.stage(
        safety_page, [revisions.StagedPart("", {"intro": "New."}, None)], editor
    )
    signoff.submit(revision, editor)
    signoff.approve(revision.pk, reviewer, digest=revisions.data_digest(revision.data))
    with pytest.raises(signoff.SignOffRefused, match="published: it cannot be discarded"):
        signoff.discard(revision, editor)


def test_another_editor_may_discard_only_an_abandoned_change(make_editor, safety_page, pending):
    other = Client()
    other.force_login(make_editor("editor2"))
    assert discard_url(pending) not in other.get(change_url(safety_page)).content.decode()
    response = other.post(discard_url(pending), {"confirm": "yes"}, follow=True)
    assert "Only the editor who started this change" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == RevisionState.DRAFT

    untouched = timezone.now() - signoff.ABANDONED_AFTER - datetime.timedelta(days=1)
    Revision.objects.filter(pk=pending.pk).update(updated_at=untouched)
    assert "Yes, discard this change" in other.get(discard_url(pending)).content.decode()
    other.post(discard_url(pending), {"confirm": "yes"})
    pending.refresh_from_db()
    assert pending.state == RevisionState.DISCARDED


def test_a_reviewer_who_is_not_an_editor_cannot_discard(reviewer_client, pending):
    assert reviewer_client.post(discard_url(pending), {"confirm": "yes"}).status_code == 403
    pending.refresh_from_db()
    assert pending.state == RevisionState.DRAFT


@pytest.mark.parametrize("confirm", ["", "no", "yes" * 100_000, SCRIPT, "ja ✓ 是"])
def test_anything_but_a_plain_yes_discards_nothing(editor_client, pending, confirm):
    response = editor_client.post(discard_url(pending), {"confirm": confirm})
    assert response.status_code == 200
    assert "Yes, discard this change" in response.content.decode()
    assert SCRIPT not in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == RevisionState.DRAFT


@pytest.mark.parametrize("bad_id", ["999999", "abc", "-1", "1%3Cscript%3E"])
def test_a_bad_change_number_is_a_clean_404(editor_client, bad_id):
    response = editor_client.get(f"/admin/content/revision/{bad_id}/discard/", follow=True)
    assert response.status_code == 404


def test_discarding_twice_says_it_is_already_discarded(editor_client, pending):
    editor_client.post(discard_url(pending), {"confirm": "yes"})
    response = editor_client.post(discard_url(pending), {"confirm": "yes"}, follow=True)
    assert "already discarded" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DISCARDED).count() == 1
