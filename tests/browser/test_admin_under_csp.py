"""The Django admin under the strict Content-Security-Policy, in a real browser.

`open_page` (tests/browser/conftest.py) fails every browser test on a CSP violation or a script
error; the editor's live preview is tested in test_editor_preview.py.
"""

from content.models import Page


def test_admin_scripts_work_under_the_policy(open_page, log_in_editor):
    from playwright.sync_api import expect

    browser_page = open_page(None)
    log_in_editor(browser_page)
    page_pk = Page.objects.get(slug="safety").pk
    browser_page.goto(f"/admin/content/page/{page_pk}/change/")
    sections = browser_page.locator(".inline-related:not(.empty-form)")
    count = sections.count()
    # "Add another Section" is made and handled by the admin's inlines.js.
    browser_page.get_by_text("Add another Section").click()
    expect(sections).to_have_count(count + 1)
    browser_page.goto("/admin/content/page/")
    assert browser_page.locator("#changelist").is_visible()
