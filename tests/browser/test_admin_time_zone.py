"""An editor whose computer is in another time zone than the site's, in Chromium: no "You are
5 hours ahead of server time" under every date field; times say which zone they are in."""

from content.models import Guide


def test_an_editor_in_another_zone_sees_no_server_time_warning(browser, site, log_in_editor):
    guide = Guide.objects.get(slug="caregiver-guide")
    context = browser.new_context(base_url=site, timezone_id="Europe/London")
    try:
        page = context.new_page()
        log_in_editor(page)
        page.goto(f"/admin/content/guide/{guide.pk}/change/")
        page.locator(".datetimeshortcuts").first.wait_for()  # Django's date script has run
        assert page.locator(".timezonewarning").count() >= 3  # it is there, as Django adds it
        assert page.locator(".timezonewarning").filter(visible=True).count() == 0
        assert page.get_by_text("server time").filter(visible=True).count() == 0

        page.goto(f"/admin/content/guide/{guide.pk}/history/")
        assert page.get_by_role("columnheader", name="Saved (New York time)").is_visible()
    finally:
        context.close()
