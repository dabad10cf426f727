"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

One browser per test session; each test opens its own context (viewport, JavaScript, cookies).
A missing browser or tool skips these tests on a developer's machine but fails them in CI; no
module here imports Playwright at its top, so collecting the suite never needs it. Every test
here is marked `browser` (tests/conftest.py): `pytest -m "not browser"` is the fast subset.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; Django refuses ORM calls from
# a thread with a running loop unless told that this (test-only) use is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The viewports the product promises (PRODUCT.md): (width, height, touch screen).
VIEWPORTS = {
    "phone-upright": (390, 844, True),
    "phone-sideways": (844, 390, True),
    "tablet-upright": (820, 1180, True),
    "tablet-sideways": (1180, 820, True),
    "desktop": (1440, 900, False),
}

# Records Content-Security-Policy violations as console errors the test can see.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""


def require_tool(present: bool, what: str) -> None:
    """Skip on a developer's machine without the tool; fail in CI, where it must be installed."""
    if present:
        return
    message = f"{what} is missing (.ci/run installs Chromium and Java; make test, the npm tools)."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    require_tool(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool(False, "Playwright (requirements-dev.txt)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserProblems:
    """What the browser reported while a test ran: CSP violations and uncaught script errors."""

    csp: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)


@pytest.fixture
def site(live_server) -> str:
    """The live site with the starting content loaded, as the browser tests need real pages."""
    from content.loader import load_content

    load_content()
    return live_server.url


@pytest.fixture
def open_page(browser, site) -> Iterator[Callable]:
    """Open a page in a fresh browser context; fails the test on any CSP violation or JS error."""
    contexts = []
    problems = BrowserProblems()

    def on_console(message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            problems.csp.append(text)

    def open_(
        path: str = "/",
        *,
        viewport: str | tuple[int, int, bool] = "desktop",
        javascript: bool = True,
        confirmed: bool = False,
        zoom: float = 1,
    ):
        width, height, touch = VIEWPORTS[viewport] if isinstance(viewport, str) else viewport
        context = browser.new_context(
            viewport={"width": round(width / zoom), "height": round(height / zoom)},
            device_scale_factor=zoom,
            has_touch=touch,
            is_mobile=touch,
            java_script_enabled=javascript,
            base_url=site,
        )
        contexts.append(context)
        context.add_init_script(CSP_LISTENER)
        if confirmed:
            context.add_cookies([{"name": "us_audience", "value": "yes", "url": site}])
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.script_errors.append(str(error)))
        if path is not None:
            page.goto(path)
        return page

    open_.problems = problems
    yield open_
    for context in contexts:
        context.close()
    assert not problems.csp, f"Content-Security-Policy violations: {problems.csp}"
    assert not problems.script_errors, f"JavaScript errors: {problems.script_errors}"


EDITOR_PASSWORD = "a-long-password-1"


@pytest.fixture
def log_in_editor(site) -> Callable:
    """Log a browser page in to the admin as a member of the Editors group."""
    from django.contrib.auth.models import User

    from content.editing.permissions import sync_editors_group

    user = User.objects.create_user("browser-editor", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(sync_editors_group())

    def log_in(page) -> None:
        page.goto("/admin/login/")
        page.fill("#id_username", "browser-editor")
        page.fill("#id_password", EDITOR_PASSWORD)
        page.click("input[type=submit]")
        page.locator("#site-name").wait_for()

    return log_in


@pytest.fixture
def log_in(browser, live_server):
    """Log in as `username` (whose password is EDITOR_PASSWORD) in a browser context of its own,
    so two people can work side by side; returns the admin home page."""
    contexts = []

    def log_in_(username: str, width: int = 1280):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", EDITOR_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    yield log_in_
    for context in contexts:
        context.close()


@pytest.fixture
def safety_page():
    """A live Safety page with two sections, as two people edit it."""
    from content.models import Page, Section, Status

    page = Page.objects.create(
        slug="safety", title="Safety", summary="Risks.", intro="Read this.", status=Status.PUBLISHED
    )
    Section.objects.create(page=page, order=10, heading="Blood clots", body="Leg pain.")
    Section.objects.create(page=page, order=20, heading="Pregnancy", body="Do not get pregnant.")
    return page


def public_paths() -> list[str]:
    """Every public page of the loaded content, the gate's own pages and the error notices."""
    from tests.conftest import OTHER_VISITOR_PAGES, shipped_public_pages

    return [*shipped_public_pages(), *OTHER_VISITOR_PAGES]
