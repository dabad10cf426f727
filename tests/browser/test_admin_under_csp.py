"""The strict Content-Security-Policy in a real browser: the admin and the Markdown editor work,
and no page trips the policy.

Chromium (Debian's /usr/bin/chromium) reports every blocked script, style or request as a
`securitypolicyviolation` event; the tests collect them and expect none.
"""

import pytest
from playwright.sync_api import expect

from content.models import Page, Section, Status

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def site_data(transactional_db, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    page = Page.objects.create(
        slug="safety", title="Safety", summary="Safety information.", status=Status.PUBLISHED
    )
    Section.objects.create(page=page, heading="Blood clots", body="Know the **warning signs**.")
    return page


@pytest.fixture
def browser_page(site_data, browser):
    """A page in the session's Chromium (tests/browser/conftest.py), collecting CSP violations."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            console_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.console_errors = console_errors
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_errors


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


def test_public_page_trips_no_policy(browser_page, live_server, site_data):
    response = browser_page.goto(f"{live_server.url}/safety/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(browser_page.locator("h1")).to_contain_text("Safety")
    assert violations(browser_page) == []


def test_markdown_editor_live_preview_works_under_the_policy(browser_page, live_server, site_data):
    log_in(browser_page, live_server)
    browser_page.goto(f"{live_server.url}/admin/content/page/{site_data.pk}/change/")
    editor = browser_page.locator("textarea[name=intro]")
    editor.fill("Call your care team **at once** if you notice [signs](/safety/).")
    editor.dispatch_event("input")
    preview = browser_page.locator(".markdownx-preview").first
    # The preview is fetched by the editor's script: it needs script-src and connect-src 'self'.
    expect(preview.locator("strong")).to_have_text("at once")
    expect(preview.locator("a")).to_have_attribute("href", "/safety/")
    assert violations(browser_page) == []


def test_admin_scripts_work_under_the_policy(browser_page, live_server, site_data):
    log_in(browser_page, live_server)
    browser_page.goto(f"{live_server.url}/admin/content/page/{site_data.pk}/change/")
    sections = browser_page.locator(".inline-related:not(.empty-form)")
    count = sections.count()
    # "Add another Section" is made and handled by the admin's inlines.js.
    browser_page.get_by_text("Add another Section").click()
    expect(sections).to_have_count(count + 1)
    browser_page.goto(f"{live_server.url}/admin/content/page/")
    assert browser_page.locator("#changelist").is_visible()
    assert violations(browser_page) == []


def test_the_policy_really_blocks_inline_script(browser_page, live_server, site_data):
    """The checks above can fail: an inline script on one of our pages is refused and reported."""
    browser_page.goto(f"{live_server.url}/safety/")
    browser_page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.appendChild(script);
        }"""
    )
    browser_page.wait_for_function("window.__cspViolations.length > 0")
    assert browser_page.evaluate("window.__ran === undefined")
    assert any("script-src" in violation for violation in violations(browser_page))
