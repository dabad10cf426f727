"""The scheduler (content/editing/schedule.py): approved drafts that go live at their time (never
without a medical reviewer's sign-off), expired items flagged or taken offline, the site's time
zone, and jobs added by other parts of the site."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from content.editing import revisions, schedule, signoff
from content.editing.publishing import markdown_problems
from content.editing.schedule import FLAGGED_ON_EXPIRY, TAKEN_OFFLINE_ON_EXPIRY, run_due
from content.models import (
    REQUIRED_PAGES,
    AuditAction,
    AuditEvent,
    Guide,
    OnExpiry,
    Page,
    Revision,
    RevisionState,
    Snippet,
    Status,
)

from .conftest import submit_and_approve

JOB = "publish_due_revisions"  # approved changes whose go-live time has come

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime.datetime(2027, 1, 15, 10, 0, tzinfo=NEW_YORK)
TODAY = NOW.date()


def minutes(count: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=count)


@pytest.fixture
def scheduled_guide(make_guide):
    """A draft guide set to go live at NOW."""
    return make_guide(status=Status.DRAFT, publish_at=NOW)


@pytest.fixture
def approved_guide(scheduled_guide):
    """The same draft, submitted and approved with no go-live time of the reviewer's own."""
    submit_and_approve(scheduled_guide)
    return scheduled_guide


def latest_record(item):
    return item.history.order_by("-history_id").first()


def reasons(item) -> list[str]:
    return list(item.history.order_by("history_id").values_list("history_change_reason", flat=True))


# Going live ----------------------------------------------------------------------------------


def test_an_approved_draft_goes_live_at_its_time_not_before(approved_guide):
    revision = Revision.objects.get(object_id=approved_guide.pk, state=RevisionState.APPROVED)
    assert revision.go_live_at == NOW  # the draft's wished-for time became the go-live time
    assert run_due(NOW - minutes(1))[JOB] == 0
    approved_guide.refresh_from_db()
    assert approved_guide.status == Status.DRAFT

    assert run_due(NOW)[JOB] == 1
    approved_guide.refresh_from_db()
    assert approved_guide.status == Status.PUBLISHED
    assert approved_guide.publish_at is None  # taking it offline later cannot re-publish it
    assert approved_guide.approval_code
    record = latest_record(approved_guide)
    assert record.history_change_reason == f"Published: approval {approved_guide.approval_code}"
    assert record.history_user.username == "signing-reviewer"


def test_a_scheduled_draft_with_no_approval_stays_a_draft(scheduled_guide):
    """Nothing reaches the public without a medical reviewer's sign-off."""
    assert run_due(NOW + datetime.timedelta(days=3650))[JOB] == 0
    scheduled_guide.refresh_from_db()
    assert scheduled_guide.status == Status.DRAFT
    assert scheduled_guide.publish_at == NOW  # still there, so the admin can say it is late


def test_a_submitted_draft_not_yet_approved_stays_a_draft(scheduled_guide, editor):
    revision = revisions.refresh_from_live(scheduled_guide, editor)
    signoff.submit(revision, editor)
    assert run_due(NOW + minutes(5))[JOB] == 0
    scheduled_guide.refresh_from_db()
    assert scheduled_guide.status == Status.DRAFT


def test_the_reviewers_own_go_live_time_wins(scheduled_guide):
    later = NOW + datetime.timedelta(days=1)
    submit_and_approve(scheduled_guide, go_live_at=later)
    assert run_due(NOW)[JOB] == 0
    assert run_due(later)[JOB] == 1
    scheduled_guide.refresh_from_db()
    assert scheduled_guide.status == Status.PUBLISHED


def test_a_time_long_past_still_goes_live_on_the_next_run(approved_guide):
    """A scheduler that was stopped for a day catches up."""
    assert run_due(NOW + datetime.timedelta(days=1))[JOB] == 1
    approved_guide.refresh_from_db()
    assert approved_guide.status == Status.PUBLISHED


def test_running_again_changes_nothing_more(approved_guide):
    assert run_due(NOW)[JOB] == 1
    assert set(run_due(NOW + minutes(1)).values()) == {0}
    assert AuditEvent.objects.filter(action=AuditAction.PUBLISHED).count() == 1


def test_a_draft_without_a_time_is_never_published(make_guide):
    guide = make_guide(status=Status.DRAFT)
    run_due(NOW + datetime.timedelta(days=3650))
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT


def test_a_page_goes_live_with_its_sections(make_page):
    page = make_page(slug="clots", status=Status.DRAFT, publish_at=NOW)
    submit_and_approve(page)
    run_due(NOW)
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED
    assert page.sections.count() == 1


def test_a_draft_whose_text_has_errors_cannot_be_approved(scheduled_guide):
    """The form refuses to schedule such a draft; a text changed afterwards is checked again."""
    Guide.objects.filter(pk=scheduled_guide.pk).update(body="See [the page](/no-such-page/).")
    scheduled_guide.refresh_from_db()
    assert markdown_problems(scheduled_guide)
    with pytest.raises(signoff.SignOffRefused, match="problems"):
        submit_and_approve(scheduled_guide)

    assert run_due(NOW + minutes(5))[JOB] == 0
    scheduled_guide.refresh_from_db()
    assert scheduled_guide.status == Status.DRAFT


def test_a_time_given_in_another_time_zone_is_the_same_moment(make_guide):
    """16:00 in Berlin is 10:00 in New York (15:00 UTC), not 16:00 New York time."""
    berlin = datetime.datetime(2027, 1, 15, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    guide = make_guide(status=Status.DRAFT, publish_at=berlin)
    guide.refresh_from_db()
    assert guide.publish_at == NOW
    submit_and_approve(guide)

    assert run_due(datetime.datetime(2027, 1, 15, 14, 59, tzinfo=datetime.UTC))[JOB] == 0
    assert run_due(datetime.datetime(2027, 1, 15, 15, 0, tzinfo=datetime.UTC))[JOB] == 1


def test_a_time_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        run_due(datetime.datetime(2027, 1, 15, 10, 0))


def test_editors_read_times_in_new_york_time():
    utc_noon = datetime.datetime(2027, 7, 1, 16, 0, tzinfo=datetime.UTC)
    assert schedule.site_time(utc_noon) == "July 1, 2027, noon (New York time)"


# Jobs added by other parts of the site --------------------------------------------------------


def test_an_added_job_runs_with_the_same_time(monkeypatch):
    seen = []

    def send_reminders(now):
        seen.append(now)
        return 2

    jobs = [*schedule.SCHEDULED_JOBS, send_reminders]
    monkeypatch.setattr(schedule, "SCHEDULED_JOBS", jobs)
    results = run_due(NOW)
    assert results["send_reminders"] == 2
    assert seen == [NOW]


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch, approved_guide):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(schedule, "SCHEDULED_JOBS", [broken, *schedule.SCHEDULED_JOBS])
    results = run_due(NOW)
    assert results["broken"] is None
    assert results[JOB] == 1


# Expiry --------------------------------------------------------------------------------------


def test_an_expired_item_set_to_flag_is_flagged_and_stays_public(make_guide):
    guide = make_guide(expires_on=TODAY)
    version = guide.version
    assert run_due(NOW - datetime.timedelta(days=1))["expire_items"] == 0
    assert run_due(NOW)["expire_items"] == 1
    guide.refresh_from_db()
    assert guide.expired_at == NOW
    assert guide.status == Status.PUBLISHED
    assert guide.version == version  # an editor's open form is still up to date
    assert latest_record(guide).history_change_reason == FLAGGED_ON_EXPIRY


def test_an_expired_item_set_to_go_is_taken_offline(make_guide):
    guide = make_guide(expires_on=TODAY, on_expiry=OnExpiry.TAKE_OFFLINE)
    assert run_due(NOW)["expire_items"] == 1
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT
    assert guide.expired_at == NOW
    record = latest_record(guide)
    assert (record.history_change_reason, record.history_user) == (TAKEN_OFFLINE_ON_EXPIRY, None)
    assert run_due(NOW + minutes(1))["expire_items"] == 0


def test_expiry_follows_the_date_in_new_york(make_guide):
    guide = make_guide(expires_on=TODAY, on_expiry=OnExpiry.TAKE_OFFLINE)
    # 03:00 UTC on the 15th is still the 14th in New York.
    assert run_due(datetime.datetime(2027, 1, 15, 3, 0, tzinfo=datetime.UTC))["expire_items"] == 0
    assert run_due(datetime.datetime(2027, 1, 15, 5, 0, tzinfo=datetime.UTC))["expire_items"] == 1
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT


@pytest.mark.parametrize("slug", sorted(REQUIRED_PAGES))
def test_a_page_the_whole_site_needs_is_only_flagged(make_page, slug):
    page = make_page(slug=slug, expires_on=TODAY, on_expiry=OnExpiry.TAKE_OFFLINE)
    assert run_due(NOW)["expire_items"] == 1
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED
    assert page.expired_at == NOW
    assert schedule.expiry_outcome(page) == (
        f"Flagged for editors, not taken offline: {REQUIRED_PAGES[slug]}"
    )


def test_an_expired_site_wide_text_is_flagged(isi):
    Snippet.objects.filter(pk=isi.pk).update(expires_on=TODAY)
    assert run_due(NOW)["expire_items"] == 1
    isi.refresh_from_db()
    assert isi.expired_at == NOW
    assert isi.body == "**Boxed warning text.**"


def test_an_expired_draft_stays_a_draft_and_is_flagged(make_guide):
    guide = make_guide(status=Status.DRAFT, expires_on=TODAY, on_expiry=OnExpiry.TAKE_OFFLINE)
    run_due(NOW)
    guide.refresh_from_db()
    assert (guide.status, guide.expired_at) == (Status.DRAFT, NOW)


def test_an_item_that_expires_tomorrow_is_left_alone(make_guide):
    guide = make_guide(expires_on=TODAY + datetime.timedelta(days=1))
    assert run_due(NOW)["expire_items"] == 0
    guide.refresh_from_db()
    assert guide.expired_at is None


def test_a_page_set_to_go_live_after_it_is_taken_offline_is_not_brought_back(make_page):
    """Publishing clears the time, so withdrawing a page later never re-publishes it."""
    page = make_page(slug="clots", status=Status.DRAFT, publish_at=NOW)
    submit_and_approve(page)
    run_due(NOW)
    Page.objects.filter(pk=page.pk).update(status=Status.DRAFT)
    assert run_due(NOW + minutes(5))[JOB] == 0
    page.refresh_from_db()
    assert page.status == Status.DRAFT
    assert page.publish_at is None
