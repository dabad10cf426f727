"""The editor in a real browser (Debian's Chromium), under the strict Content-Security-Policy: the
live preview shows the public output and the reading grade follows the text."""

import pytest

from content.markdown.render import render_markdown
from content.models import Page, Section, Status

ADDED = "\n\n### New part\n\nTake **one** capsule. See [safety](/safety/)."


@pytest.fixture
def page_to_edit(site):
    page = Page.objects.create(
        slug="editing-test", title="Editing test", summary="S", status=Status.PUBLISHED
    )
    Section.objects.create(page=page, order=10, heading="Blood clots", body="Leg pain or swelling.")
    return page


def test_live_preview_and_reading_grade_follow_the_text(open_page, log_in_editor, page_to_edit):
    section = page_to_edit.sections.get()
    expected = render_markdown(section.body + ADDED, anchor_prefix="blood-clots--")
    errors = open_page.problems.script_errors
    page = open_page(None)
    log_in_editor(page)
    page.goto(f"/admin/content/page/{page_to_edit.pk}/change/")
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
    assert shown.strip() == expected.strip()
    assert grade == "Too short to grade (fewer than 30 words)."  # 15 words: no "grade 0"
    assert errors == []
