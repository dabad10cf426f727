"""The editor in a real browser (Debian's Chromium): the live preview shows the public output and
the reading grade follows the text. Uses the session's browser from tests/browser/conftest.py."""

import pytest
from django.contrib.auth.models import User

from content.editing.permissions import sync_editors_group
from content.markdown.render import render_markdown
from content.models import Page, Section, Status

ADDED = "\n\n### New part\n\nTake **one** capsule. See [safety](/safety/)."

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page_to_edit():
    page = Page.objects.create(slug="safety", title="Safety", summary="S", status=Status.PUBLISHED)
    Section.objects.create(page=page, order=10, heading="Blood clots", body="Leg pain or swelling.")
    user = User.objects.create_user("browser-editor", password="a-long-password-1", is_staff=True)
    user.groups.add(sync_editors_group())
    return page


def test_live_preview_and_reading_grade_follow_the_text(live_server, page_to_edit, browser):
    section = page_to_edit.sections.get()
    expected = render_markdown(section.body + ADDED, anchor_prefix="blood-clots--")
    errors = []
    context = browser.new_context()
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/content/page/{page_to_edit.pk}/change/")
    editor = page.locator("textarea[name='sections-0-body']")
    editor.click()
    editor.press("End")
    editor.type(ADDED)
    preview = page.locator(".markdownx-preview").nth(1)
    preview.locator("#blood-clots--new-part").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.reading-grade')[1].textContent.includes('grade')"
    )
    shown = preview.inner_html()
    grade = page.locator(".reading-grade").nth(1).inner_text()
    context.close()
    assert shown.strip() == expected.strip()
    assert "Reading grade" in grade
    assert errors == []
