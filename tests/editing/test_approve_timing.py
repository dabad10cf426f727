"""The reviewer chooses when an approved draft goes live: at the time the editor asked for (filled
in), at another time, or at once, by clearing the time or by ticking "as soon as I approve"."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.editing import revisions, signoff
from content.editing.permissions import sync_reviewers_group
from content.models import Approval, Guide, RevisionState, Status

from .conftest import make_staff
from .test_workflow import approve_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(db) -> Client:
    client = Client()
    client.force_login(make_staff("reviewer1", sync_reviewers_group, first_name="Ann"))
    return client


@pytest.fixture
def wished() -> datetime.datetime:
    later = timezone.localtime() + datetime.timedelta(days=2)
    return later.replace(second=0, microsecond=0)


@pytest.fixture
def scheduled(editor, make_guide, wished):
    """A draft guide the editor wants live in two days, submitted for review."""
    guide = make_guide(slug="later", status=Status.DRAFT, title="Later", publish_at=wished)
    revision = revisions.refresh_from_live(guide, editor)
    signoff.submit(revision, editor)
    return revision


def approve_url(revision) -> str:
    return reverse("admin:content_revision_approve", args=[revision.pk])


def test_the_form_offers_the_editors_time_and_a_publish_now_choice(
    reviewer_client, scheduled, wished
):
    text = reviewer_client.get(approve_url(scheduled)).content.decode()
    assert f'value="{wished:%Y-%m-%dT%H:%M}"' in text
    assert "Publish as soon as I approve" in text
    box = text.split('name="publish_now"')[1][:40]
    assert "checked" not in box  # the editor's time is kept unless the reviewer says otherwise


def test_keeping_the_editors_time_waits_for_it(reviewer_client, scheduled, wished):
    approve_form(reviewer_client, scheduled, go_live_at=f"{wished:%Y-%m-%dT%H:%M}")
    scheduled.refresh_from_db()
    assert (scheduled.state, scheduled.go_live_at) == (RevisionState.APPROVED, wished)
    assert Guide.objects.get(slug="later").status == Status.DRAFT


def test_clearing_the_time_publishes_at_once(reviewer_client, scheduled):
    response = approve_form(reviewer_client, scheduled, go_live_at="")
    assert "It is public now." in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.state == RevisionState.PUBLISHED
    guide = Guide.objects.get(slug="later")
    assert guide.status == Status.PUBLISHED and guide.publish_at is None


def test_ticking_publish_now_publishes_at_once_even_with_a_time(reviewer_client, scheduled, wished):
    response = approve_form(
        reviewer_client, scheduled, go_live_at=f"{wished:%Y-%m-%dT%H:%M}", publish_now="on"
    )
    assert "It is public now." in response.content.decode()
    assert Guide.objects.get(slug="later").status == Status.PUBLISHED
    assert Client().get("/guides/later/", HTTP_COOKIE="us_audience=yes").status_code == 200


@pytest.mark.parametrize(
    "bad", ["tomorrow", "2026-99-99T10:00", "<script>alert(1)</script>", "二〇二七年", "9" * 5000]
)
def test_a_bad_go_live_time_gets_a_clear_message(reviewer_client, scheduled, bad):
    response = approve_form(reviewer_client, scheduled, go_live_at=bad)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Enter a valid date/time." in text and "<script>alert(1)</script>" not in text
    assert not Approval.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"meaning": ""}, "Tick this statement"),
        ({"password": ""}, "Enter your password"),
        ({"password": "x" * 10_000}, "That password is wrong"),
        ({"password": "<b>mot de passe ✓</b>"}, "That password is wrong"),
    ],
)
def test_a_form_without_the_statement_or_password_says_nothing_was_approved(
    reviewer_client, scheduled, fields, message
):
    response = approve_form(reviewer_client, scheduled, **fields)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was approved. Fix what is marked below" in text and message in text
    scheduled.refresh_from_db()
    assert scheduled.state == RevisionState.SUBMITTED and not Approval.objects.exists()
