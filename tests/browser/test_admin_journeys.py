"""Editors' journeys in a real browser (Debian's Chromium): what a key press or two people working
at once do to the public site. Uses the session's browser from tests/browser/conftest.py."""

import pytest
from django.contrib.auth.models import User

from content.editing.permissions import sync_editors_group
from content.editing.revisions import pending_revision
from content.models import Guide, Page, Section, Status

from .conftest import AXE_JS, require_tool
from .conftest import EDITOR_PASSWORD as PASSWORD
from .test_browser_accessibility import run_axe

pytestmark = pytest.mark.django_db(transaction=True)


ONE_LINE_FIELDS = "#page_form input[type=text], #page_form input[type=number]"


@pytest.fixture
def editors():
    group = sync_editors_group()
    for name in ("editor-a", "editor-b"):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(group)


@pytest.fixture
def shared_page(editors, safety_page):
    return safety_page


def _field_names(page, url: str) -> list[str]:
    page.goto(url)
    return page.locator(ONE_LINE_FIELDS).evaluate_all(
        "fields => fields.filter(f => f.name && f.offsetParent !== null).map(f => f.name)"
    )


def test_enter_in_any_one_line_field_of_a_live_page_keeps_it_live(log_in, shared_page):
    """Enter submits a form with its first button: that must be a plain save, never one that
    takes the page offline."""
    page = log_in("editor-a")
    url = f"/admin/content/page/{shared_page.pk}/change/"
    names = _field_names(page, url)
    assert {"title", "nav_title", "sections-0-heading"} <= set(names)
    for name in names:
        page.goto(url)
        with page.expect_navigation():
            page.locator(f"[name='{name}']").press("Enter")
        shared_page.refresh_from_db()
        assert shared_page.status == Status.PUBLISHED, f"Enter in {name} took the page offline"
    assert page.context.request.get("/safety/", headers={"Cookie": "us_audience=yes"}).ok


def test_enter_in_a_new_guide_saves_a_draft(log_in, editors):
    page = log_in("editor-a")
    page.goto("/admin/content/guide/add/")
    page.fill("#id_title", "Sleeping well")
    page.fill("#id_summary", "Rest tips.")
    page.fill("#id_published_on", "2026-12-01")
    page.fill("#id_body", "Rest when you can.")
    with page.expect_navigation():
        page.locator("#id_title").press("Enter")
    guide = Guide.objects.get(slug="sleeping-well")
    assert guide.status == Status.DRAFT


def test_taking_a_live_page_offline_asks_first(log_in, shared_page):
    Page.objects.filter(pk=shared_page.pk).update(slug="clots")  # Safety itself may not go
    page = log_in("editor-a")
    page.goto(f"/admin/content/page/{shared_page.pk}/change/")
    page.get_by_role("button", name="Save, then take offline…").first.click()
    assert page.get_by_role("heading", name="Take “Safety” offline?").is_visible()
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    assert run_axe(page) == []
    shared_page.refresh_from_db()
    assert shared_page.status == Status.PUBLISHED  # nothing happened yet
    page.get_by_role("button", name="Yes, take it offline").click()
    shared_page.refresh_from_db()
    assert shared_page.status == Status.DRAFT


def test_two_editors_on_different_sections_of_one_page_both_keep_their_text(log_in, shared_page):
    first, second = log_in("editor-a"), log_in("editor-b")
    url = f"/admin/content/page/{shared_page.pk}/change/"
    first.goto(url)
    second.goto(url)
    first.fill("[name='sections-0-body']", "Leg pain, by A.")
    second.fill("[name='sections-1-body']", "Do not get pregnant, by B.")
    first.locator("input[name='_continue']").first.click()
    second.locator("input[name='_continue']").first.click()

    assert second.locator(".edit-conflict").count() == 0
    expected = {10: "Leg pain, by A.", 20: "Do not get pregnant, by B."}
    assert _pending_bodies(shared_page) == expected  # both kept, in the pending change
    # Saving once more from either window loses nothing either.
    first.locator("input[name='_continue']").first.click()
    assert _pending_bodies(shared_page) == expected
    # The page is live, so the public text waits for medical review.
    bodies = dict(Section.objects.filter(page=shared_page).values_list("order", "body"))
    assert bodies == {10: "Leg pain.", 20: "Do not get pregnant."}


def _pending_bodies(page) -> dict:
    revision = pending_revision(page)
    return {section.order: section.body for section in revision.built_item().staged_sections}


def test_a_deleted_guide_comes_back_from_recently_deleted(log_in, editors, make_guide):
    """It comes back as a draft that needs medical review, not public. (It used to come back
    published, which let a restore skip the reviewer; this test now expects a draft.)"""
    make_guide()
    page = log_in("editor-a")
    page.goto("/admin/content/guide/")
    page.get_by_role("link", name="Sleeping well").click()
    page.get_by_role("link", name="Delete").first.click()
    page.get_by_role("button", name="Yes, I’m sure").click()
    assert not Guide.objects.exists()

    page.goto("/admin/")
    page.get_by_role("link", name="Recently deleted").click()
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    assert run_axe(page) == []
    assert page.get_by_text("It comes back as a draft").is_visible()
    page.get_by_role("link", name="Sleeping well").click()
    page.get_by_text("It comes back as a draft, not public").wait_for()
    assert run_axe(page) == []
    page.locator("input[name='_save']").first.click()
    page.get_by_text("“Sleeping well” is back as a draft.").wait_for()
    assert run_axe(page) == []
    assert Guide.objects.get(slug="sleep").status == Status.DRAFT
    public = page.context.request.get("/guides/sleep/", headers={"Cookie": "us_audience=yes"})
    assert public.status == 404
