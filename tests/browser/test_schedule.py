"""Scheduled publication in a real browser: an editor sets "go live at" on a draft guide, and the
public page shows it once a medical reviewer approved it and the scheduler has run. The new
fields pass axe-core, on a phone and a desktop. SCREENSHOT_DIR=... keeps screenshots."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from content.editing.schedule import run_due
from content.models import Guide, OnExpiry, Status
from tests.editing.conftest import submit_and_approve

from .conftest import AXE_JS, require_tool
from .test_browser_accessibility import run_axe

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("SCREENSHOT_DIR")
PHONE = (375, 812, True)
DESKTOP = (1280, 900, False)


def screenshot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        # caret="initial": hiding the caret would add an inline style, which the CSP refuses.
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True, caret="initial")


def axe_on_admin_form(page, problems) -> list[dict]:
    """axe-core on an admin edit page. The admin's forms.css @imports widgets.css, and axe reads
    such stylesheets again by adding <style> elements of its own, which the CSP blocks: those
    reports are axe's, not the page's, and are dropped. The page's own come before axe runs."""
    assert problems.csp == []
    found = run_axe(page)
    problems.csp.clear()
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_editor_schedules_a_draft_guide_and_it_goes_live(
    open_page, log_in_editor, make_guide, viewport
):
    guide = make_guide(slug="sleep", title="Sleeping well", status=Status.DRAFT)
    visitor = open_page(None, confirmed=True)
    assert visitor.goto("/guides/sleep/").status == 404

    editor = open_page(None, viewport=viewport)
    log_in_editor(editor)
    editor.goto(f"/admin/content/guide/{guide.pk}/change/")
    when = timezone.localtime() + datetime.timedelta(minutes=20)
    editor.get_by_label("Date to go live").fill(f"{when:%Y-%m-%d}")
    editor.get_by_label("Time to go live").fill(f"{when:%H:%M}")
    editor.locator("input[name='_continue']").first.click()
    assert "Scheduled: it goes live on" in editor.locator(".messagelist").inner_text()
    assert "(New York time)" in editor.locator(".publish-note--schedule").inner_text()
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    assert axe_on_admin_form(editor, open_page.problems) == []
    width = viewport[0]
    screenshot(editor, f"schedule-edit-{width}")

    assert "once a medical reviewer approves it" in editor.locator(".messagelist").inner_text()
    assert Guide.objects.get(pk=guide.pk).status == Status.DRAFT
    run_due(when + datetime.timedelta(minutes=1))  # the time came, but nobody approved it
    assert visitor.goto("/guides/sleep/").status == 404
    approval = submit_and_approve(Guide.objects.get(pk=guide.pk))
    assert approval.revision.go_live_at == when.replace(second=0, microsecond=0)
    run_due(when - datetime.timedelta(minutes=1))
    assert visitor.goto("/guides/sleep/").status == 404
    run_due(when + datetime.timedelta(minutes=1))
    response = visitor.goto("/guides/sleep/")
    assert response.status == 200
    assert visitor.get_by_role("heading", level=1).inner_text() == "Sleeping well"

    editor.goto("/admin/content/guide/")
    screenshot(editor, f"schedule-list-{width}")


def test_a_bad_time_is_shown_next_to_the_field_and_passes_axe(open_page, log_in_editor, make_guide):
    guide = make_guide(slug="sleep", title="Sleeping well", status=Status.DRAFT)
    editor = open_page(None, viewport=PHONE)
    log_in_editor(editor)
    editor.goto(f"/admin/content/guide/{guide.pk}/change/")
    editor.get_by_label("Date to go live").fill("2020-01-01")
    editor.get_by_label("Time to go live").fill("09:00")
    editor.locator("input[name='_continue']").first.click()
    assert "This time has passed" in editor.locator(".field-publish_at .errorlist").inner_text()
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    assert axe_on_admin_form(editor, open_page.problems) == []
    screenshot(editor, "schedule-error-375")


def test_expired_items_are_shown_on_the_admin_home_and_the_reviews_page(
    open_page, log_in_editor, make_guide
):
    make_guide(slug="old", title="Old guide", expires_on=timezone.localdate(),
               on_expiry=OnExpiry.TAKE_OFFLINE)  # fmt: skip
    run_due()
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    for viewport in (PHONE, DESKTOP):
        editor = open_page(None, viewport=viewport)
        log_in_editor(editor)
        assert "1 item expired." in editor.locator(".schedule-summary").inner_text()
        assert run_axe(editor) == []
        screenshot(editor, f"schedule-home-{viewport[0]}")
        editor.get_by_role("link", name="See what expired").click()
        expired_table = editor.locator("#expired ~ table").first
        row = expired_table.get_by_role("row", name=re.compile("Old guide"))
        assert "Taken offline: visitors cannot see it." in row.inner_text()
        assert run_axe(editor) == []
        screenshot(editor, f"schedule-reviews-due-{viewport[0]}")
