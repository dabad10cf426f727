"""Nothing is cut off at 320 CSS pixels wide, at 200% zoom, or at 200% text size."""

import pytest

from .conftest import public_paths

# Elements that stick out of the viewport sideways, ignoring what scrolls inside its own box
# (wide tables scroll on their own by design) and what is deliberately off-screen (skip link).
OVERFLOW_REPORT = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsInside = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (p !== document.body && p !== document.documentElement &&
          ["auto", "scroll", "hidden", "clip"].includes(overflow)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height || el.closest(".skip-link")) continue;
    if ((rect.right > width + 1 || rect.left < -1) && !scrollsInside(el)) {
      const where = `${Math.round(rect.left)}..${Math.round(rect.right)}`;
      out.push(`${el.tagName.toLowerCase()}.${el.className}: ${where}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""

CASES = {
    "320px": {"viewport": (320, 640, True)},
    "zoom-200": {"viewport": (1280, 800, False), "zoom": 2},
    "text-200": {"viewport": (1280, 800, False), "text": 2},
}


def cut_off(page, text: float = 1) -> dict:
    if text != 1:
        page.evaluate(f"document.documentElement.style.fontSize = '{112.5 * text}%'")
    report = page.evaluate(OVERFLOW_REPORT)
    return report if report["out"] or report["scrollWidth"] > report["width"] else {}


def pages_cut_off(open_page, case: str, paths: list[str]) -> dict:
    """What is cut off on each of `paths`, seen as `case` says (by a visitor past the gate)."""
    options = CASES[case]
    page = open_page(
        None, viewport=options["viewport"], zoom=options.get("zoom", 1), confirmed=True
    )
    problems = {}
    for path in paths:
        page.goto(path)
        if report := cut_off(page, options.get("text", 1)):
            problems[path] = report
    return problems


@pytest.mark.parametrize("case", list(CASES))
def test_nothing_is_cut_off_on_any_public_page(open_page, case):
    assert not pages_cut_off(open_page, case, public_paths())


@pytest.mark.parametrize("case", list(CASES))
def test_the_question_fits_and_its_answers_can_be_reached(open_page, case):
    options = CASES[case]
    page = open_page("/safety/", viewport=options["viewport"], zoom=options.get("zoom", 1))

    assert not cut_off(page, options.get("text", 1))
    for name in ("Yes, I am in the US", "No, I am not in the US"):
        button = page.get_by_role("button", name=name)
        button.scroll_into_view_if_needed()
        assert button.is_visible()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
