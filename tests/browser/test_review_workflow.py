"""The medical-review journey in a real browser: an editor changes a live page and one of its
sections and submits it; the public keeps the approved text; a reviewer signs with their password
and the change goes live with its review date. axe-core checks the new admin screens."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from content.editing.permissions import sync_editors_group, sync_reviewers_group
from content.models import Status

from .conftest import AXE_JS, require_tool
from .conftest import EDITOR_PASSWORD as PASSWORD
from .test_browser_accessibility import run_axe

pytestmark = pytest.mark.django_db(transaction=True)


# Set to a folder to keep screenshots of the new screens (the docs' pictures come from here).
SCREENSHOTS = os.environ.get("WORKFLOW_SCREENSHOTS", "")


@pytest.fixture
def people():
    editor = User.objects.create_user("editor-a", password=PASSWORD, is_staff=True)
    editor.groups.add(sync_editors_group())
    reviewer = User.objects.create_user(
        "reviewer-r", password=PASSWORD, is_staff=True, first_name="Rita", last_name="Ray"
    )
    reviewer.groups.add(sync_reviewers_group())


@pytest.fixture
def live_page(people, safety_page):
    return safety_page


def public_text(page) -> str:
    response = page.context.request.get(
        "/safety/", headers={"Cookie": "us_audience=yes"}, fail_on_status_code=True
    )
    return response.text()


def snap(page, name: str) -> None:
    """Keep a desktop and a phone-width picture of the screen (when WORKFLOW_SCREENSHOTS is set)."""
    if not SCREENSHOTS:
        return
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_change_to_a_live_page_goes_public_only_after_a_signed_review(log_in, live_page):
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    editor = log_in("editor-a")
    editor.goto(f"/admin/content/page/{live_page.pk}/change/")
    editor.fill("#id_summary", "Risks and warning signs.")
    editor.fill("[name='sections-0-body']", "Leg pain or swelling in one leg.")
    editor.locator("input[name='_submit']").first.click()
    assert editor.get_by_text("Submitted for medical review").first.is_visible()
    assert "Leg pain or swelling in one leg." not in public_text(editor)  # still the old text
    assert "Leg pain." in public_text(editor)

    reviewer = log_in("reviewer-r")
    reviewer.get_by_role("link", name="Safety").first.click()
    assert reviewer.get_by_role("heading", name="What changes when this is published").is_visible()
    assert run_axe(reviewer) == []
    snap(reviewer, "review-diff")
    reviewer.get_by_role("link", name="Approve…").click()
    reviewer.fill("#id_password", "not-my-password")
    reviewer.get_by_label("I approve this content as medically accurate").check()
    reviewer.get_by_role("button", name="Approve and sign").click()
    assert reviewer.get_by_text("That password is wrong. Nothing was approved.").is_visible()
    assert run_axe(reviewer) == []
    reviewer.fill("#id_password", PASSWORD)
    reviewer.get_by_label("I approve this content as medically accurate").check()
    reviewer.fill("#id_approval_code", "POM-2026-0007")
    snap(reviewer, "approve-form")
    reviewer.get_by_role("button", name="Approve and sign").click()
    assert reviewer.get_by_text("Approved as POM-2026-0007. It is public now.").is_visible()

    text = public_text(reviewer)
    assert "Leg pain or swelling in one leg." in text
    assert "Medically reviewed on" in text and "POM-2026-0007" in text

    reviewer.goto("/admin/content/auditevent/")
    assert reviewer.get_by_role("cell", name="Approved").first.is_visible()
    assert run_axe(reviewer) == []
    snap(reviewer, "audit-list")


def test_the_approve_form_offers_the_time_the_editor_asked_for(log_in, people):
    """A scheduled draft submitted for review: the reviewer sees the editor's go-live time filled
    in, and the approval waits for it."""
    import datetime

    from django.utils import timezone

    from content.editing import revisions, signoff
    from content.models import Guide, RevisionState

    when = (timezone.localtime() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    guide = Guide.objects.create(
        slug="sleep", title="Sleeping well", summary="Rest.", body="Go to bed early.",
        published_on="2026-01-01", status=Status.DRAFT, publish_at=when,
    )  # fmt: skip
    editor = User.objects.get(username="editor-a")
    revision = revisions.refresh_from_live(guide, editor)
    signoff.submit(revision, editor)
    reviewer = log_in("reviewer-r")
    reviewer.goto(f"/admin/content/revision/{revision.pk}/approve/")
    assert reviewer.locator("#id_go_live_at").input_value() == f"{when:%Y-%m-%dT%H:%M}"
    assert "The editor asked for this time" in reviewer.content()
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    assert run_axe(reviewer) == []
    snap(reviewer, "approve-scheduled-draft")
    reviewer.fill("#id_password", PASSWORD)
    reviewer.check("#id_meaning")
    reviewer.get_by_role("button", name="Approve and sign").click()
    assert "It goes live on" in reviewer.locator(".messagelist").inner_text()
    revision.refresh_from_db()
    assert (revision.state, revision.go_live_at) == (RevisionState.APPROVED, when)
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT
