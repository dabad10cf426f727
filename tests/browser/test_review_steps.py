"""More of the medical-review journey in a real browser: Enter in the approve form never signs
by accident, an editor discards a pending change, and a brand-new draft's review page shows all
of it as new. axe-core checks each new screen. (A deleted guide's way back, as a draft, is in
test_admin_journeys.py.)"""

import pytest
from django.contrib.auth.models import User

from content.editing import revisions, signoff
from content.editing.permissions import sync_editors_group, sync_reviewers_group
from content.models import (
    Approval,
    AuditAction,
    AuditEvent,
    Revision,
    RevisionState,
    Status,
)

from .conftest import AXE_JS, require_tool
from .conftest import EDITOR_PASSWORD as PASSWORD
from .test_browser_accessibility import run_axe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor():
    user = User.objects.create_user("editor-a", password=PASSWORD, is_staff=True)
    user.groups.add(sync_editors_group())
    return user


@pytest.fixture
def reviewer():
    user = User.objects.create_user("reviewer-r", password=PASSWORD, is_staff=True)
    user.groups.add(sync_reviewers_group())
    return user


@pytest.fixture
def submitted(editor, reviewer, safety_page) -> Revision:
    part = revisions.StagedPart("", {"intro": "Read this first, please."}, None)
    revision = revisions.stage(safety_page, [part], editor)
    signoff.submit(revision, editor)
    return revision


def no_axe_violations(page) -> None:
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    assert run_axe(page) == []


# What each Enter leaves filled in: (tick the statement?, password).
ENTER_CASES = {
    "statement not ticked": (False, PASSWORD),
    "wrong password": (True, "not-my-password"),
    "no password": (True, ""),
}


@pytest.mark.parametrize("field", ["#id_password", "#id_approval_code", "#id_go_live_at"])
def test_enter_in_a_one_line_field_of_the_approve_form_never_signs(log_in, submitted, field):
    reviewer = log_in("reviewer-r")
    approve_url = f"/admin/content/revision/{submitted.pk}/approve/"
    for case, (tick, password) in ENTER_CASES.items():
        reviewer.goto(approve_url)
        reviewer.fill("#id_password", password)
        if tick:
            reviewer.check("#id_meaning")
        reviewer.focus(field)
        with reviewer.expect_navigation():
            reviewer.keyboard.press("Enter")
        errors = reviewer.locator(".errornote").first.inner_text()
        assert "Nothing was approved" in errors, case
        assert reviewer.url.endswith(approve_url), case
        submitted.refresh_from_db()
        assert submitted.state == RevisionState.SUBMITTED, case
        assert not Approval.objects.exists(), case
        assert not AuditEvent.objects.filter(action=AuditAction.SENT_BACK).exists(), case
    no_axe_violations(reviewer)


def test_enter_with_everything_right_signs_once(log_in, submitted):
    """Enter is a normal way to send a complete form: the one thing it may do is approve."""
    reviewer = log_in("reviewer-r")
    reviewer.goto(f"/admin/content/revision/{submitted.pk}/approve/")
    reviewer.check("#id_meaning")
    reviewer.fill("#id_password", PASSWORD)
    reviewer.focus("#id_approval_code")
    reviewer.keyboard.press("Enter")
    reviewer.get_by_text("It is public now.").wait_for()
    assert Approval.objects.count() == 1


def test_an_editor_discards_a_pending_change(log_in, editor, safety_page):
    page = log_in("editor-a")
    page.goto(f"/admin/content/page/{safety_page.pk}/change/")
    page.fill("#id_summary", "A summary nobody wants.")
    page.locator("input[name='_continue']").first.click()
    page.locator(".publish-note--pending").wait_for()
    page.get_by_role("link", name="Discard this change…").click()
    page.get_by_role("heading", name="Discard this change?").wait_for()
    assert page.get_by_text("The public version stays as it is").is_visible()
    no_axe_violations(page)
    page.get_by_role("button", name="Yes, discard this change").click()
    page.get_by_text("The change is discarded.").wait_for()
    assert page.locator("#id_summary").input_value() == "Risks."
    assert page.locator(".publish-note--pending").count() == 0  # no pending change shown
    assert Revision.objects.get().state == RevisionState.DISCARDED
    no_axe_violations(page)


def test_the_review_page_of_a_new_draft_shows_it_all_as_new(log_in, editor, reviewer, make_guide):
    guide = make_guide(slug="new", status=Status.DRAFT, title="Fresh air", body="Walk outside.")
    revision = revisions.refresh_from_live(guide, editor)
    signoff.submit(revision, editor)
    page = log_in("reviewer-r")
    page.goto(f"/admin/content/revision/{revision.pk}/review/")
    assert page.get_by_text("This is new: it has never been public.").is_visible()
    assert page.locator(".diff ins", has_text="Walk outside.").is_visible()
    no_axe_violations(page)
