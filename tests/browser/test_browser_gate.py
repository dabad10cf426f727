"""The US-audience gate in a real browser: with and without JavaScript, and by keyboard only."""

import time

import pytest

GATE_DIALOG = "[role=dialog]"
YES = "Yes, I am in the US"
NO = "No, I am not in the US"
DEEP_LINK = "/guides/?audience=caregivers"
FOCUSED_IN_GATE = "document.activeElement.closest('.gate') !== null"


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName, text: (el.innerText || "").trim().slice(0, 60), id: el.id,
            role: el.getAttribute("role"), inGate: el.closest(".gate") !== null,
            outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
            shadow: style.boxShadow,
          };
        }"""
    )


def has_focus_ring(state: dict) -> bool:
    return state["outline"] not in ("none", "") and state["outlineWidth"] >= 2


def gate_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "us_audience"), None)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_yes_on_a_deep_link_shows_the_page_asked_for_and_is_remembered(open_page, javascript):
    page = open_page(DEEP_LINK, javascript=javascript)
    dialog = page.locator(GATE_DIALOG)
    assert dialog.is_visible()
    assert page.get_by_role("dialog").get_attribute("aria-labelledby") == "gate-title"

    page.get_by_role("button", name=YES).click()

    assert page.url.endswith(DEEP_LINK)
    assert page.locator(GATE_DIALOG).count() == 0
    assert page.get_by_role("heading", level=1).inner_text() == "Guides for caregivers"
    cookie = gate_cookie(page)
    assert cookie["value"] == "yes"
    days_left = (cookie["expires"] - time.time()) / 86400
    assert 89 < days_left <= 90
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Safety").click()
    assert page.url.endswith("/safety/")
    assert page.locator(GATE_DIALOG).count() == 0


def test_the_page_behind_the_question_does_not_scroll_until_it_is_answered(open_page):
    page = open_page("/taking-pomalyst/", viewport="phone-upright")
    overflow = "getComputedStyle(document.documentElement).overflow"
    assert page.evaluate(overflow) == "hidden"
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(200)
    assert page.evaluate("window.scrollY") == 0
    page.get_by_role("button", name=YES).click()
    assert page.evaluate(overflow) == "visible"


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_no_explains_respectfully_and_leads_back_to_the_question(open_page, javascript):
    page = open_page("/safety/", javascript=javascript)

    page.get_by_role("button", name=NO).click()

    assert "/audience-check/outside-us/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == (
        "This site is for people in the United States"
    )
    assert gate_cookie(page) is None
    page.get_by_role("link", name="Go back to the question").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Are you in the United States?"
    page.get_by_role("button", name=YES).click()
    assert page.url.endswith("/safety/")
    assert page.locator(GATE_DIALOG).count() == 0


def accessibility_tree(page) -> list[tuple[str, str]]:
    """(role, name) of every node Chromium exposes to assistive technology."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    return [
        (node.get("role", {}).get("value", ""), node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    ]


def test_a_screen_reader_finds_only_the_labelled_question_until_it_is_answered(open_page):
    page = open_page("/taking-pomalyst/")

    tree = accessibility_tree(page)

    assert ("dialog", "Are you in the United States?") in tree
    roles = {role for role, _ in tree}
    assert "navigation" not in roles and "main" not in roles
    assert not [n for role, n in tree if "Taking POMALYST" in n and role != "RootWebArea"]
    page.get_by_role("button", name=YES).click()
    # The answer posts and redirects: read the tree once the page has come back.
    page.get_by_role("heading", name="Taking POMALYST", exact=True).wait_for()
    answered = accessibility_tree(page)
    assert ("heading", "Taking POMALYST") in answered
    assert ("navigation", "Main") in answered


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_keyboard_focus_goes_to_the_question_and_stays_inside_it(open_page, javascript):
    page = open_page("/safety/", javascript=javascript)

    start = focused(page)
    assert start["role"] == "dialog" and start["inGate"]
    assert has_focus_ring(start)
    reached = []
    for key in ["Tab"] * 7 + ["Shift+Tab"] * 7:
        page.keyboard.press(key)
        state = focused(page)
        # Past the last control the browser's own toolbar would take focus (body, here),
        # never the page behind the question.
        assert state["inGate"] or state["tag"] == "BODY", state
        if state["tag"] == "BUTTON":
            assert has_focus_ring(state), state
            reached.append(state["text"])
    assert {YES, NO} <= set(reached)


def test_the_question_is_answered_with_the_keyboard_alone(open_page):
    page = open_page("/drug-facts/")

    page.keyboard.press("Tab")
    assert focused(page)["text"] == YES
    page.keyboard.press("Enter")

    page.wait_for_url("**/drug-facts/")
    assert page.locator(GATE_DIALOG).count() == 0
    assert gate_cookie(page)["value"] == "yes"


def test_the_skip_link_and_the_menu_work_with_the_keyboard_alone(open_page):
    page = open_page("/", confirmed=True)

    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Skip to main content" and has_focus_ring(skip)
    assert page.get_by_role("link", name="Skip to main content").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    page.keyboard.press("Shift+Tab")  # back into the header, then forward to the menu
    for _ in range(60):  # the menu, or the home page's own link to Safety
        page.keyboard.press("Tab")
        state = focused(page)
        if state["text"] == "Safety":
            break
    assert state["text"] == "Safety" and has_focus_ring(state)
    page.keyboard.press("Enter")
    page.wait_for_url("**/safety/")
    assert page.get_by_role("heading", level=1).inner_text() == "Important Safety Information"
