"""Orientation hints at the five promised viewports, in a real browser."""

import os
from pathlib import Path

import pytest

from .conftest import VIEWPORTS

TABLET_HINT = ".hint--hint-tablet-portrait"
PHONE_HINT = ".hint--hint-phone-landscape"
EXPECTED_HINT = {
    "phone-upright": None,
    "phone-sideways": PHONE_HINT,
    "tablet-upright": TABLET_HINT,
    "tablet-sideways": None,
    "desktop": None,
}
SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_each_viewport_shows_exactly_the_hint_it_should(open_page, viewport):
    page = open_page("/taking-pomalyst/", viewport=viewport, confirmed=True)

    shown = [hint for hint in (TABLET_HINT, PHONE_HINT) if page.locator(hint).is_visible()]
    expected = EXPECTED_HINT[viewport]
    assert shown == ([expected] if expected else [])
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{viewport}.png")
        gate = open_page("/taking-pomalyst/", viewport=viewport)
        gate.screenshot(path=f"{SHOTS}/{viewport}-gate.png")


def test_a_narrow_upright_desktop_window_gets_no_tablet_hint(open_page):
    """Without a touch screen an upright window is not a tablet (the hint needs pointer: coarse)."""
    page = open_page("/", viewport=(820, 1180, False), confirmed=True)

    assert not page.locator(TABLET_HINT).is_visible()


@pytest.mark.parametrize(
    ("viewport", "hint"), [("tablet-upright", TABLET_HINT), ("phone-sideways", PHONE_HINT)]
)
def test_a_hint_sits_in_the_flow_above_the_content_and_covers_nothing(open_page, viewport, hint):
    page = open_page("/safety/", viewport=viewport, confirmed=True)

    box = page.locator(hint).bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    header = page.locator(".site-header").bounding_box()
    assert page.locator(hint).evaluate("el => getComputedStyle(el).position") == "static"
    assert box["y"] >= header["y"] + header["height"]
    assert heading["y"] >= box["y"] + box["height"]


def test_a_hint_can_be_hidden_and_stays_hidden(open_page):
    page = open_page("/safety/", viewport="tablet-upright", confirmed=True)

    page.get_by_role("button", name="Hide this tip").click()

    assert not page.locator(TABLET_HINT).is_visible()
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.goto("/guides/")
    assert not page.locator(TABLET_HINT).is_visible()


def test_without_javascript_the_hint_shows_with_no_dead_button(open_page):
    page = open_page("/safety/", viewport="phone-sideways", javascript=False, confirmed=True)

    assert page.locator(PHONE_HINT).is_visible()
    assert not page.get_by_role("button", name="Hide this tip").is_visible()


def test_editors_change_the_hints_wording(open_page):
    from content.models import Snippet

    Snippet.objects.filter(key="hint-phone-landscape").update(title="Please turn your phone")
    page = open_page("/", viewport="phone-sideways", confirmed=True)

    assert page.locator(PHONE_HINT).inner_text().startswith("Please turn your phone")
