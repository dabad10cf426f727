"""What a tired reader on a phone, with large text or on paper, would notice, measured in Chromium:
how much of the first screen the header takes, how small the figures' words get, words broken
inside, what prints and on how many pages, and whether the printed legend still matches."""

import re

import pytest

from .conftest import public_paths, require_tool
from .test_browser_accessibility import AXE_JS, run_axe
from .test_browser_layout import cut_off

PHONE = (375, 812, True)
SMALL_PHONE = (320, 640, True)
FIGURE_PAGES = ["/understanding-relapse/", "/taking-pomalyst/"]
# The patient tools' pages, which are not content pages.
TOOL_PATHS = [
    "/my-calendar/",
    "/my-calendar/?start=2026-12-01",
    "/glossary/",
    "/search/?q=blood+clot",
    "/sheets/",
    "/sheets/questions/",
    "/sheets/diary/",
]


def every_page() -> list[str]:
    return public_paths() + TOOL_PATHS


# The smallest text a reader sees in any figure, in CSS pixels; SVG text counts at its drawn size.
SMALLEST_FIGURE_TEXT = """() => {
  let smallest = Infinity, where = "";
  for (const el of document.querySelectorAll(".figure *")) {
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // the visually hidden text alternative
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = el.ownerSVGElement.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
    }
    if (size < smallest) { smallest = size; where = el.textContent.trim().slice(0, 30); }
  }
  return {smallest, where};
}"""

# Words split over two lines inside headings, menu entries, cards and figure labels.
BROKEN_WORDS = """() => {
  const broken = [];
  const labels = "h1, h2, h3, .main-nav a, .task__title, .legend strong, .week__label, .brand";
  for (const el of document.querySelectorAll(labels)) {
    if (!el.checkVisibility()) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s\\u00a0]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(`${el.tagName.toLowerCase()}: ${match[0]}`);
      }
    }
  }
  return broken;
}"""


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def large_text(page) -> None:
    page.evaluate("document.documentElement.style.fontSize = '225%'")  # 200% of 112.5%


def test_the_phone_header_takes_at_most_a_quarter_of_the_first_screen(open_page):
    page = open_page("/safety/", viewport=PHONE, confirmed=True)
    bottom = page.locator(".site-header").evaluate("el => el.getBoundingClientRect().bottom")

    assert bottom <= 0.25 * PHONE[1]
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 0.3 * PHONE[1]


@pytest.mark.parametrize("javascript", [False, True])
def test_the_phone_menu_opens_by_keyboard_without_a_script(open_page, javascript):
    page = open_page("/safety/", viewport=PHONE, confirmed=True, javascript=javascript)
    link = page.get_by_role("link", name="Taking POMALYST", exact=True)
    assert not link.is_visible()

    page.get_by_text("Menu", exact=True).focus()
    page.keyboard.press("Enter")
    assert link.is_visible()
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 0.8 * PHONE[0]  # a large target

    page.keyboard.press("Enter")
    assert not link.is_visible()


def test_on_a_wide_screen_the_menu_is_a_bar_that_is_always_open(open_page):
    page = open_page("/safety/", viewport="desktop", confirmed=True)
    assert not page.get_by_text("Menu", exact=True).is_visible()
    links = page.locator(".main-nav a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1  # one row, nothing orphaned


@pytest.mark.parametrize("viewport", [SMALL_PHONE, PHONE], ids=["320px", "375px"])
@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_figure_text_is_at_least_16_css_pixels_on_a_phone(open_page, viewport, path):
    page = open_page(path, viewport=viewport, confirmed=True)
    found = page.evaluate(SMALLEST_FIGURE_TEXT)
    assert found["smallest"] >= 16, found


def test_figure_text_grows_with_the_readers_text_size(open_page):
    page = open_page("/understanding-relapse/", viewport=PHONE, confirmed=True)
    before = page.evaluate(SMALLEST_FIGURE_TEXT)["smallest"]
    large_text(page)
    assert page.evaluate(SMALLEST_FIGURE_TEXT)["smallest"] >= 1.9 * before


@pytest.mark.parametrize(
    ("viewport", "text"),
    [(SMALL_PHONE, 1), (PHONE, 2), (SMALL_PHONE, 2)],
    ids=["320px", "375px-text-200", "320px-text-200"],
)
def test_no_page_scrolls_sideways_or_breaks_a_label_inside_a_word(open_page, viewport, text):
    page = open_page(None, viewport=viewport, confirmed=True)
    problems = {}
    for path in every_page():
        page.goto(path)
        report = cut_off(page, text)
        if broken := page.evaluate(BROKEN_WORDS):
            report["broken words"] = broken
        if report:
            problems[path] = report
    assert not problems


def test_the_schedule_the_reader_picks_is_the_only_one_shown_and_printed(open_page):
    page = open_page("/taking-pomalyst/", viewport=PHONE, confirmed=True, javascript=False)
    myeloma = page.get_by_role("heading", name=re.compile("^Multiple myeloma:"))
    kaposi = page.get_by_role("heading", name=re.compile("^Kaposi sarcoma:"))
    assert myeloma.is_visible() and not kaposi.is_visible()

    page.get_by_role("radio", name="Kaposi sarcoma").check()
    assert kaposi.is_visible() and not myeloma.is_visible()
    page.emulate_media(media="print")
    assert kaposi.is_visible() and not myeloma.is_visible()


def test_the_cycle_picture_prints_on_one_page(open_page):
    page = open_page("/taking-pomalyst/", confirmed=True)
    page.emulate_media(media="print")
    figure = page.locator(".figure--cycle").first
    assert figure.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    # The figure alone, everything else taken away (through the CSSOM, which the CSP allows).
    page.evaluate("""() => {
      const keep = document.querySelector(".figure--cycle");
      for (let el = keep; el.parentElement; el = el.parentElement) {
        for (const other of el.parentElement.children) {
          if (other !== el) other.style.display = "none";
        }
      }
    }""")
    assert pdf_pages(page.pdf(format="Letter")) == 1


# Letter pages each public page may print on; the long pages are the ones patients keep.
PRINT_BUDGET = {"/safety/": 6, "/taking-pomalyst/": 5}


def test_every_page_prints_without_the_menu_and_with_its_address_within_its_page_budget(open_page):
    page = open_page(None, confirmed=True)
    counts, problems = {}, {}
    for path in every_page():
        page.goto(path)
        page.emulate_media(media="print")
        hidden = [
            sel
            for sel in (".main-nav", ".menu__button", ".toc", ".back-to-top", ".schedule-pick")
            if page.locator(sel).filter(visible=True).count()
        ]
        meta = page.locator(".print-meta")
        if meta.count() and not meta.is_visible():
            hidden.append("page address not printed")
        counts[path] = pdf_pages(page.pdf(format="Letter"))
        if hidden or counts[path] > PRINT_BUDGET.get(path, 4):
            problems[path] = (counts[path], hidden)
    print("printed pages:", counts)
    assert not problems


def test_the_print_date_is_the_day_the_reader_prints_not_the_day_the_page_was_cached(open_page):
    page = open_page("/safety/", confirmed=True)
    stamp = page.locator(".print-meta__date")
    # A page made on another day, as a cached copy can be; the date is set again when printing.
    stamp.evaluate("(node) => { node.textContent = 'May 1, 2020'; node.dateTime = '2020-05-01'; }")
    page.wait_for_timeout(100)
    assert stamp.get_attribute("datetime") == "2020-05-01"  # nothing rewrites it before printing
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    today = page.evaluate(
        "new Date().toLocaleDateString('en-US', {year: 'numeric', month: 'long', day: 'numeric'})"
    )
    assert stamp.text_content() == today


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_legend_marks_print_in_the_colours_of_the_picture(open_page, path):
    page = open_page(path, confirmed=True)
    page.emulate_media(media="print")
    pairs = page.evaluate("""() => {
      const style = (sel) => {
        const el = document.querySelector(sel);
        if (!el) return null;
        const s = getComputedStyle(el);
        return [s.backgroundColor, s.borderStyle, s.printColorAdjust];
      };
      return [
        [".week .day--on", ".legend .day--on"],
        [".week .day--off", ".legend .day--off"],
        [".week .companion-mark", ".legend .companion-mark"],
        [".m-protein .m-protein__marker--1", ".m-protein__legend .m-protein__marker"],
      ].map(([mark, key]) => [style(mark), style(key)]).filter(([m, k]) => m || k);
    }""")
    assert pairs
    for mark, key in pairs:
        assert mark == key
        assert key[2] == "exact"  # printed even where the browser drops backgrounds


@pytest.mark.parametrize("mode", ["320px", "text-200", "print"])
def test_every_public_page_has_no_axe_violations_small_large_or_printed(open_page, mode):
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    page = open_page(None, viewport=SMALL_PHONE if mode == "320px" else PHONE, confirmed=True)
    if mode == "print":
        page.emulate_media(media="print")
    violations = {}
    for path in every_page():
        page.goto(path)
        if mode == "text-200":
            large_text(page)
        if found := run_axe(page):
            violations[path] = found
    assert not violations


def test_the_picked_schedule_is_remembered_in_this_browser(open_page):
    page = open_page("/taking-pomalyst/", viewport=PHONE, confirmed=True)
    page.get_by_role("radio", name="Kaposi sarcoma").check()
    page.reload()
    assert page.get_by_role("radio", name="Kaposi sarcoma").is_checked()
    assert page.get_by_role("heading", name=re.compile("^Kaposi sarcoma:")).is_visible()


# What print writes after each link to another site (its ::after content), in print media.
PRINTED_ADDRESSES = """() => [...document.querySelectorAll("a")]
  .filter((a) => a.checkVisibility())
  .map((a) => [a.textContent.trim(), getComputedStyle(a, "::after").content])
  .filter(([, after]) => after.includes("http"))"""


PI_ADDRESS = (
    "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=2b25ef01-5c9e-11e1-b86c-0800200c9a66"
)


def test_links_to_other_sites_print_their_address(open_page, site):
    from content.models import Section

    section = Section.objects.get(page__slug="contact", anchor="side-effects")
    section.body = "Report it on [the FDA's MedWatch page](https://www.fda.gov/medwatch)."
    section.save()
    page = open_page("/contact/", confirmed=True)
    assert page.evaluate(PRINTED_ADDRESSES) == []  # on screen, nothing is added
    page.emulate_media(media="print")
    assert page.evaluate(PRINTED_ADDRESSES) == [
        ["the FDA’s MedWatch page", '" (https://www.fda.gov/medwatch)"'],
        ["Prescribing Information and Medication Guide", f'" ({PI_ADDRESS})"'],
    ]


def test_the_frames_links_to_other_sites_print_their_address(open_page):
    """The safety summary's Prescribing Information link (on every page) and the REMS panel's
    website link, which templates write, print their address like the links in the text."""
    page = open_page("/safety/", confirmed=True)
    page.emulate_media(media="print")
    printed = dict(page.evaluate(PRINTED_ADDRESSES))
    assert printed["Prescribing Information and Medication Guide"] == f'" ({PI_ADDRESS})"'
    page.goto("/support/")
    printed = dict(page.evaluate(PRINTED_ADDRESSES))
    assert (
        printed["The PS-Pomalidomide REMS website"] == '" (https://www.ps-pomalidomiderems.com/)"'
    )


def test_the_safety_summarys_link_to_the_safety_page_prints_its_address(open_page):
    """The summary sits outside the page's main part, on every page; on paper its "Read the full
    Important Safety Information" still says where that is."""
    page = open_page("/support/", confirmed=True)
    page.emulate_media(media="print")
    link = page.locator(".isi a", has_text="Read the full Important Safety Information")
    assert link.evaluate('a => getComputedStyle(a, "::after").content') == '" (/safety/)"'


@pytest.mark.parametrize("path", ["/safety/", "/support/"])
def test_a_phone_number_is_never_split_across_two_lines(open_page, path):
    """A number split after "1-" is hard to read and dial: it moves to the next line whole."""
    page = open_page(path, viewport=(320, 800, True), confirmed=True)
    assert page.locator('a[href^="tel:"]').count() > 0
    split = {}
    for width in range(320, 521, 10):
        page.set_viewport_size({"width": width, "height": 800})
        split[width] = page.evaluate(
            """[...document.querySelectorAll('a[href^="tel:"]')]
                .filter((link) => link.getClientRects().length > 1)
                .map((link) => link.textContent)"""
        )
    assert {width: links for width, links in split.items() if links} == {}
