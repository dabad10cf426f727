"""Setting "go live at" and the expiry in the admin: New York time, clear messages for bad input,
and the lists, the admin home and the reviews-due page saying what is planned and what expired."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.editing import revisions
from content.editing.forms import CLOCK_CHANGE
from content.editing.permissions import sync_reviewers_group
from content.editing.schedule import run_due
from content.models import REQUIRED_PAGES, Guide, OnExpiry, Status

from .conftest import change_url, open_change_form, publish_pending, read_form

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
GUIDE_LIST = "/admin/content/guide/"
PASSWORD = "a-long-password-1"


@pytest.fixture
def draft(make_guide) -> Guide:
    return make_guide(status=Status.DRAFT)


def tomorrow_at(hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NEW_YORK)


def schedule_form(client, item, day: str, time: str, **extra) -> dict:
    return open_change_form(client, item) | {"publish_at_0": day, "publish_at_1": time} | extra


def post(client, item, data):
    response = client.post(change_url(item), data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def next_clock_change(month: int) -> datetime.date:
    """The next day New York's clocks change in `month` (3: forward, 11: back)."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    while True:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=NEW_YORK)
        midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=NEW_YORK)
        if day.month == month and noon.utcoffset() != midnight.utcoffset():
            return day
        day += datetime.timedelta(days=1)


def test_an_editor_schedules_a_draft_in_new_york_time(editor_client, draft):
    when = tomorrow_at(9, 30)
    data = schedule_form(editor_client, draft, f"{when:%Y-%m-%d}", "09:30")
    page = post(editor_client, draft, data)
    draft.refresh_from_db()
    assert draft.publish_at == when
    assert draft.status == Status.DRAFT
    assert "Scheduled: it goes live on" in page and "9:30 a.m. (New York time)" in page
    assert "once a medical reviewer approves it" in page
    edit_page = editor_client.get(change_url(draft)).content.decode()
    assert "9:30 a.m. (New York time) once a medical reviewer approves it." in edit_page
    listing = editor_client.get(GUIDE_LIST).content.decode()
    assert "Goes live on" in listing and "9:30 a.m. (New York time)" in listing
    scheduled = editor_client.get(GUIDE_LIST + "?schedule=scheduled").content.decode()
    assert draft.title in scheduled
    home = editor_client.get("/admin/").content.decode()
    assert "1 draft scheduled to go live once a medical reviewer approves it." in home


def test_the_edit_page_says_the_time_is_new_york_time(editor_client, draft):
    page = editor_client.get(change_url(draft)).content.decode()
    assert "Go live at (New York time)" in page


def test_the_scheduled_filter_lists_only_scheduled_drafts(editor_client, make_guide):
    make_guide(slug="later", title="Later guide", status=Status.DRAFT, publish_at=tomorrow_at(9))
    make_guide(slug="plain", title="Plain draft", status=Status.DRAFT)
    listing = editor_client.get(GUIDE_LIST + "?schedule=scheduled").content.decode()
    assert "Later guide" in listing and "Plain draft" not in listing


def test_a_time_that_has_passed_is_refused(editor_client, draft):
    past = timezone.localtime() - datetime.timedelta(hours=1)
    data = schedule_form(editor_client, draft, f"{past:%Y-%m-%d}", f"{past:%H:%M}")
    assert "This time has passed" in post(editor_client, draft, data)
    draft.refresh_from_db()
    assert draft.publish_at is None


@pytest.mark.parametrize(
    ("day", "time", "message"),
    [
        ("2027-02-30", "09:00", "Enter a real date, such as 2026-12-24."),
        ("99999-01-01", "09:00", "Enter a real date"),
        ("9999-12-31", "23:59", "more than five years away"),
        ("tomorrow", "09:00", "Enter a real date"),
        ("<script>alert(1)</script>", "09:00", "Enter a real date"),
        ("2027-01-15", "25:00", "Enter a time such as 09:30"),
        ("2027-01-15", "9 in the morning", "Enter a time such as 09:30"),
        ("2027-01-15", "", "Enter both the date and the time."),
        ("", "09:00", "Enter both the date and the time."),
        ("2" * 10_000, "0" * 10_000, "Enter a real date"),
        ("2027-01-15\x00", "09:00", "Enter a real date"),
        ("٢٠٢٧-٠١-١٥", "ninety", "Enter a time such as 09:30"),
    ],
)
def test_bad_times_get_a_clear_message(editor_client, draft, day, time, message):
    page = post(editor_client, draft, schedule_form(editor_client, draft, day, time))
    assert message in page
    assert "<script>alert(1)</script>" not in page
    draft.refresh_from_db()
    assert draft.publish_at is None


@pytest.mark.parametrize(
    "month, time",
    [
        (3, "02:30"),  # the spring-forward day: 2:30 a.m. does not exist in New York
        (11, "01:30"),  # the fall-back day: 1:30 a.m. happens twice in New York
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_refused(editor_client, draft, month, time):
    day = next_clock_change(month)
    page = post(editor_client, draft, schedule_form(editor_client, draft, f"{day}", time))
    assert CLOCK_CHANGE in page.replace("&#x27;", "'")
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_the_hour_after_the_clocks_change_is_fine(editor_client, draft):
    day = next_clock_change(3)
    post(editor_client, draft, schedule_form(editor_client, draft, f"{day}", "03:30"))
    draft.refresh_from_db()
    assert draft.publish_at == datetime.datetime.combine(day, datetime.time(3, 30), tzinfo=NEW_YORK)
    assert timezone.localtime(draft.publish_at).utcoffset() == datetime.timedelta(hours=-4)


def test_a_draft_whose_text_has_errors_cannot_be_scheduled(editor_client, draft):
    when = tomorrow_at(9)
    data = schedule_form(
        editor_client, draft, f"{when:%Y-%m-%d}", "09:00", body="See [it](/no-such-page/)."
    )
    assert "can be scheduled only when its text has no errors" in post(editor_client, draft, data)
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_a_page_whose_stored_section_has_errors_cannot_be_scheduled(editor_client, make_page):
    page = make_page(slug="clots", status=Status.DRAFT)
    page.sections.update(body="See [it](/no-such-page/).")
    when = tomorrow_at(9)
    data = schedule_form(editor_client, page, f"{when:%Y-%m-%d}", "09:00")
    assert "can be scheduled only when its text has no errors" in post(editor_client, page, data)
    page.refresh_from_db()
    assert page.publish_at is None


def test_a_scheduled_draft_submitted_for_review_keeps_its_time_for_the_reviewer(
    editor_client, make_guide
):
    """The draft's time is the editor's wish: the approve form offers it, and nothing is public
    until a medical reviewer approves."""
    guide = make_guide(status=Status.DRAFT, publish_at=tomorrow_at(9))
    data = open_change_form(editor_client, guide) | {"_submit": "Save and submit"}
    assert "Submitted for medical review" in post(editor_client, guide, data)
    guide.refresh_from_db()
    assert (guide.status, guide.publish_at) == (Status.DRAFT, tomorrow_at(9))
    reviewer = User.objects.create_user("reviewer9", password=PASSWORD, is_staff=True)
    reviewer.groups.add(sync_reviewers_group())
    client = Client()
    client.force_login(reviewer)
    revision = revisions.pending_revision(guide)
    form = client.get(reverse("admin:content_revision_approve", args=[revision.pk]))
    assert f'value="{tomorrow_at(9):%Y-%m-%dT%H:%M}"' in form.content.decode()
    assert "The editor asked for this time" in form.content.decode()


def test_a_published_item_has_no_go_live_field(editor_client, make_guide):
    guide = make_guide()
    data = open_change_form(editor_client, guide)
    assert "publish_at_0" not in data
    data |= {"publish_at_0": "2020-01-01", "publish_at_1": "09:00"}
    post(editor_client, guide, data)
    guide.refresh_from_db()
    assert guide.publish_at is None


# Expiry --------------------------------------------------------------------------------------


def test_an_expiry_date_in_the_past_is_refused(editor_client, make_guide):
    guide = make_guide()
    data = open_change_form(editor_client, guide) | {"expires_on": "2020-01-01"}
    assert "This date has passed" in post(editor_client, guide, data)


def test_a_required_page_cannot_be_set_to_go_on_expiry(editor_client, make_page):
    page = make_page(slug="safety")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = open_change_form(editor_client, page) | {
        "expires_on": f"{tomorrow}",
        "on_expiry": OnExpiry.TAKE_OFFLINE,
    }
    assert REQUIRED_PAGES["safety"] in post(editor_client, page, data)
    page.refresh_from_db()
    assert page.on_expiry == OnExpiry.FLAG


def test_a_site_wide_text_has_an_expiry_date_but_is_never_taken_offline(editor_client, isi):
    page = editor_client.get(change_url(isi))
    data = read_form(page, "snippet_form")
    assert "expires_on" in data and "on_expiry" not in data
    assert "Site-wide texts are never taken offline" in page.content.decode()


def test_expired_items_are_shown_with_what_happened(editor_client, make_guide, make_page):
    today = timezone.localdate()
    make_guide(slug="old", title="Old guide", expires_on=today, on_expiry=OnExpiry.TAKE_OFFLINE)
    make_page(slug="safety", title="Safety", expires_on=today, on_expiry=OnExpiry.TAKE_OFFLINE)
    run_due()

    home = editor_client.get("/admin/").content.decode()
    assert "2 items expired." in home
    due = editor_client.get("/admin/reviews-due/").content.decode().replace("&#x27;", "'")
    assert "Old guide" in due and "Taken offline: visitors cannot see it." in due
    assert f"Flagged for editors, not taken offline: {REQUIRED_PAGES['safety']}" in due
    listing = editor_client.get(GUIDE_LIST + "?schedule=expired").content.decode()
    assert "Old guide" in listing and "Expired on" in listing


def test_a_later_expiry_date_clears_the_flag_once_approved(editor_client, make_guide):
    guide = make_guide(expires_on=timezone.localdate())
    run_due()
    guide.refresh_from_db()
    assert guide.expired_at is not None
    later = timezone.localdate() + datetime.timedelta(days=30)
    post(editor_client, guide, open_change_form(editor_client, guide) | {"expires_on": f"{later}"})
    guide.refresh_from_db()
    assert guide.expired_at is not None  # the new date waits for medical review
    publish_pending(guide, User.objects.get(username="editor1"))
    guide.refresh_from_db()
    assert (guide.expires_on, guide.expired_at) == (later, None)


def test_an_expired_item_set_to_go_cannot_be_submitted_again_unchanged(editor_client, make_guide):
    guide = make_guide(expires_on=timezone.localdate(), on_expiry=OnExpiry.TAKE_OFFLINE)
    run_due()
    data = open_change_form(editor_client, guide) | {"_submit": "Save and submit"}
    assert "it would be taken offline again at once" in post(editor_client, guide, data)
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT
    assert revisions.pending_revision(guide) is None


def test_the_edit_page_of_an_expired_item_says_so(editor_client, make_guide):
    guide = make_guide(expires_on=timezone.localdate())
    run_due()
    page = editor_client.get(change_url(guide)).content.decode()
    assert "Expired on" in page and "Flagged for editors. It is still on the site." in page
    assert read_form(editor_client.get(change_url(guide)), "guide_form")["on_expiry"] == "flag"


def test_a_scheduled_draft_saved_unchanged_is_not_saved_again(editor_client, make_guide):
    """The time read back from the form (New York) is the stored one (UTC): not an edit."""
    guide = make_guide(status=Status.DRAFT, publish_at=tomorrow_at(9))
    version = guide.version
    post(editor_client, guide, open_change_form(editor_client, guide))
    guide.refresh_from_db()
    assert guide.version == version
