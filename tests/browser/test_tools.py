"""The patient tools in a real browser: with JavaScript on and off, by keyboard, at 320 px and at
200% text, with axe-core and the Nu HTML Checker on each tool page and its printed form."""

import re
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from content.loader import load_content

from .conftest import AXE_JS, require_tool
from .test_browser_accessibility import run_axe
from .test_browser_layout import CASES, pages_cut_off
from .test_html_validity import vnu_messages


def tool_paths() -> list[str]:
    """Each tool's empty form, a filled-in answer, a wrong answer and its printable form."""
    start = timezone.localdate().isoformat()
    plan = urlencode(
        {"condition": "multiple-myeloma", "start": start, "cycles": 2, "remind": "09:00"}
    )
    ks = urlencode({"condition": "kaposi-sarcoma", "start": start, "cycles": 1})
    return [
        "/my-calendar/",
        f"/my-calendar/?{plan}",
        f"/my-calendar/?{ks}",
        f"/my-calendar/print/?{plan}",
        "/my-calendar/?condition=multiple-myeloma&start=2026-02-30&cycles=500&dose=9",
        "/my-calendar/?condition=multiple-myeloma&start=soon&cycles=three&remind=25:99",
        "/glossary/",
        "/search/",
        "/search/?q=blood+clot",
        "/search/?q=zebra",
        "/search/?q=a",
        "/sheets/",
        "/sheets/questions/",
        "/sheets/diary/",
        f"/sheets/diary/?condition=multiple-myeloma&start={start}",
        "/sheets/diary/?start=soon",
    ]


QUESTIONS_POST = {"questions": ["my-dose", "paying"], "own": "Can I travel?"}


@pytest.mark.django_db
def test_every_tool_page_is_valid_html(client, tmp_path):
    load_content()
    client.cookies["us_audience"] = "yes"
    files, names = [], {}
    responses = [(path, client.get(path)) for path in tool_paths()]
    responses.append(("POST questions", client.post("/sheets/questions/", QUESTIONS_POST)))
    responses.append(("POST questions (empty)", client.post("/sheets/questions/", {})))
    for number, (path, response) in enumerate(responses):
        assert response.status_code in (200, 400), path
        file = tmp_path / f"tool-{number}.html"
        file.write_bytes(response.content)
        files.append(file)
        names[file.name] = path
    errors = {
        names[name]: [f"{m.get('lastLine')}: {m['message']}" for m in found[:5]]
        for name, found in vnu_messages(files).items()
        if any(m["type"] in ("error", "non-document-error") for m in found)
    }
    assert not errors


@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("viewport", ["phone-upright", "desktop"])
def test_every_tool_page_has_no_axe_violations(open_page, viewport, media):
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    page = open_page(None, viewport=viewport, confirmed=True)
    violations = {}
    page.goto("/sheets/questions/")
    page.locator("input[name=questions]").first.check()
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    page.emulate_media(media=media)
    if found := run_axe(page):
        violations["POST questions"] = found
    for path in tool_paths():
        page.goto(path)
        if found := run_axe(page):
            violations[path] = found
    assert not violations


@pytest.mark.parametrize("case", list(CASES))
def test_no_tool_page_is_cut_off(open_page, case):
    assert not pages_cut_off(open_page, case, tool_paths())


@pytest.mark.parametrize("javascript", [True, False])
def test_the_calendar_by_keyboard(open_page, javascript):
    page = open_page(
        "/my-calendar/", viewport="phone-upright", javascript=javascript, confirmed=True
    )
    page.locator("#id_condition_0").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the dose: keep the usual one
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_start"
    page.locator("#id_start").fill(timezone.localdate().isoformat())
    page.locator("#id_cycles").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Your calendar").is_visible()
    assert page.locator('td[aria-current="date"]').count() == 1
    assert page.get_by_text("Cycle 2, day 28.").count() == 1
    page.get_by_role("link", name="Printable calendar").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("section.sheet").count() == 2


@pytest.mark.parametrize("javascript", [True, False])
def test_a_wrong_date_is_shown_next_to_its_field(open_page, javascript):
    page = open_page(
        "/my-calendar/?condition=multiple-myeloma&start=2026-02-30&cycles=2",
        javascript=javascript,
        confirmed=True,
    )
    start = page.locator("#id_start")
    assert start.get_attribute("aria-invalid") == "true"
    described = start.get_attribute("aria-describedby").split()
    assert "Enter a real date" in page.locator(f"#{described[-1]}").inner_text()


def test_the_ics_download_starts_from_the_link(open_page):
    start = timezone.localdate().isoformat()
    page = open_page(
        f"/my-calendar/?condition=multiple-myeloma&start={start}&cycles=1&remind=08:00",
        confirmed=True,
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my phone’s calendar (.ics file)").click()
    assert download.value.suggested_filename == "pomalyst-cycle-calendar.ics"
    with open(download.value.path(), "rb") as ics:
        assert b"BEGIN:VCALENDAR" in ics.read()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_glossary_meaning_opens_in_place_by_keyboard(open_page, javascript):
    page = open_page("/safety/", javascript=javascript, confirmed=True)
    meaning = page.locator("details.gloss").first
    assert not meaning.locator(".gloss__body").is_visible()
    meaning.locator("summary").focus()
    page.keyboard.press("Enter")
    assert meaning.locator(".gloss__body").is_visible()
    assert page.url.endswith("/safety/")


@pytest.mark.parametrize("javascript", [True, False])
def test_search_by_keyboard(open_page, javascript):
    page = open_page("/search/", viewport="phone-upright", javascript=javascript, confirmed=True)
    page.get_by_label("Words to search for").focus()
    page.keyboard.type("missed pill")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".search-results mark").count() > 0
    assert page.locator(".search-results a").first.get_attribute("href").startswith("/")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_questions_sheet_by_keyboard(open_page, javascript):
    page = open_page("/sheets/questions/", javascript=javascript, confirmed=True)
    page.locator("input[name=questions]").first.focus()
    page.keyboard.press("Space")
    page.get_by_label("Your own questions").fill("Can I travel?")
    page.get_by_role("button", name="Make my page to print").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".question").all_inner_texts()[-1] == "Can I travel?"
    assert page.locator(".question").count() == 2


def pdf_pages(page, paper: str) -> int:
    """Pages in Chromium's PDF of the page (its print styles applied)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format=paper)))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_printed_page_counts(open_page, paper):
    """One calendar cycle a page; the questions sheet and the diary on one page each."""
    start = timezone.localdate().isoformat()
    page = open_page(None, confirmed=True)
    for cycles in (1, 3, 12):
        query = urlencode({"condition": "multiple-myeloma", "start": start, "cycles": cycles})
        page.goto(f"/my-calendar/print/?{query}")
        assert pdf_pages(page, paper) == cycles, cycles
    page.goto(f"/sheets/diary/?condition=multiple-myeloma&start={start}")
    assert pdf_pages(page, paper) == 1
    page.goto("/sheets/questions/")
    for box in page.locator("input[name=questions]").all()[:8]:
        box.check()
    page.get_by_label("Your own questions").fill("Can I travel?\nWhat about my dentist?")
    with page.expect_navigation():
        page.get_by_role("button", name="Make my page to print").click()
    assert page.locator(".question").count() == 10
    assert pdf_pages(page, paper) == 1
