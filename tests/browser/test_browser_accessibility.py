"""axe-core (WCAG 2.2 A and AA rules) on every public page, with the question open and answered."""

import pytest

from .conftest import AXE_JS, public_paths, require_tool

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """tags => axe
  .run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  })))"""


def run_axe(page) -> list[dict]:
    # Evaluated through the DevTools protocol rather than added as a <script> tag, so a strict
    # Content-Security-Policy (no inline scripts) neither blocks axe nor reports a violation.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, AXE_TAGS)


@pytest.mark.parametrize("question", ["open", "answered"])
@pytest.mark.parametrize("viewport", ["phone-upright", "desktop"])
def test_every_public_page_has_no_axe_violations(open_page, question, viewport):
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    page = open_page(None, viewport=viewport, confirmed=question == "answered")
    violations = {}
    for path in public_paths():
        page.goto(path)
        assert page.locator("[role=dialog]").count() == (
            1 if question == "open" and not path.startswith("/audience-check/") else 0
        ), path
        found = run_axe(page)
        print(f"axe {viewport} question-{question} {path}: {len(found)} violations")
        if found:
            violations[path] = found
    assert not violations


def test_axe_finds_a_known_violation(open_page):
    """The check can fail: a page made inaccessible on purpose is reported."""
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    page = open_page("/", confirmed=True)
    page.evaluate("document.querySelector('.main-nav a').textContent = ''")

    assert "link-name" in {violation["id"] for violation in run_axe(page)}


@pytest.mark.parametrize("viewport", ["tablet-upright", "phone-sideways"])
def test_pages_showing_an_orientation_hint_have_no_axe_violations(open_page, viewport):
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    page = open_page("/safety/", viewport=viewport, confirmed=True)
    assert page.locator(".hint").filter(visible=True).count() == 1

    assert run_axe(page) == []
