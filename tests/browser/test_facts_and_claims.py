"""An editor meets fact tags and claims that may not be published in a real browser."""

import pytest

from content.editing.starting_claims import add_starting_claims
from content.models import Guide, Status

from .conftest import AXE_JS, require_tool
from .test_browser_accessibility import run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_typing_a_forbidden_phrase_sees_why_and_the_current_fact(
    open_page, log_in_editor
):
    add_starting_claims()
    guide = Guide.objects.get(slug="pomalyst-dosing-guide")
    Guide.objects.filter(pk=guide.pk).update(status=Status.DRAFT)
    page = open_page(None, viewport="desktop")
    log_in_editor(page)
    page.goto(f"/admin/content/guide/{guide.pk}/change/")
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\nTake it on an empty stomach.\n")
    page.locator("input[name='_submit']").first.click()
    errors = page.locator(".errorlist").first
    assert "“empty stomach”:" in errors.inner_text()
    assert "Current fact: Take POMALYST with or without food." in errors.inner_text()
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT and "empty stomach" not in guide.body
    page.screenshot(path="/tmp/claim-refused.png", full_page=False)
    link = page.get_by_role("link", name="Fact tags you can use, with their current values")
    assert link.first.get_attribute("href").endswith("/fact-tags/")


def test_the_fact_tags_page_shows_values_and_has_no_accessibility_violations(
    open_page, log_in_editor
):
    page = open_page(None, viewport=(375, 812, True))
    log_in_editor(page)
    page.get_by_role("link", name="Fact tags").first.click()
    assert page.get_by_role("cell", name="[[fact:rems-phone]]").is_visible()
    assert page.get_by_role("cell", name="1-888-423-5436").is_visible()
    page.screenshot(path="/tmp/fact-tags-phone.png", full_page=True)
    require_tool(AXE_JS.exists(), f"axe-core at {AXE_JS}")
    assert run_axe(page) == []
