"""Previewing a pending change to a site-wide text in a real browser: an editor changes the safety
summary shown on every page, opens "Preview on the site" and sees the new text under the
pending-changes banner, while a visitor at the same moment still sees the approved text."""

import pytest
from django.contrib.auth.models import User

from content.editing.permissions import sync_editors_group
from content.models import Snippet

from .conftest import AXE_JS, EDITOR_PASSWORD, require_tool
from .test_browser_accessibility import run_axe

pytestmark = pytest.mark.django_db(transaction=True)

ADDED = "This sentence is new and waits for medical review."


def test_an_editor_previews_a_changed_safety_summary_a_visitor_still_sees_the_old(
    open_page, log_in, site
):
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    editor_user = User.objects.create_user("editor-s", password=EDITOR_PASSWORD, is_staff=True)
    editor_user.groups.add(sync_editors_group())
    isi = Snippet.objects.get(key="isi-summary")

    editor = log_in("editor-s")
    editor.context.add_cookies([{"name": "us_audience", "value": "yes", "url": site}])
    editor.goto(f"/admin/content/snippet/{isi.pk}/change/")
    editor.fill("[name='body']", f"{isi.body}\n\n{ADDED}")
    editor.locator("input[name='_submit']").first.click()
    assert editor.get_by_text("Submitted for medical review").first.is_visible()
    with editor.expect_navigation():
        editor.get_by_role("link", name="Preview on the site").click()
    assert "/safety/?revision=" in editor.url
    assert ADDED in editor.locator("aside.isi").inner_text()
    assert editor.get_by_text("Pending changes — not public yet").is_visible()
    assert run_axe(editor) == []

    visitor = open_page(editor.url.replace(site, ""), confirmed=True)
    shown = visitor.locator("aside.isi").inner_text()
    assert ADDED not in shown and "POMALYST can cause blood clots" in shown
    assert visitor.get_by_text("Pending changes").count() == 0
