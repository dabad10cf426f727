import datetime

import pytest
from django.core.exceptions import ValidationError

from content.figures import cycle_chart
from content.models import ExternalLink, Guide, Page, Section, Status
from tests.schedules import ks_schedule, mm_schedule


def test_section_stores_rendered_html_and_makes_an_anchor_from_its_heading(make_page):
    page = make_page(sections=[("Blood clots & you", "**Get help** at once.\n\n### Signs")])
    section = page.sections.get()
    assert section.anchor == "blood-clots-you"
    assert section.body_html == (
        '<p><strong>Get help</strong> at once.</p>\n<h3 id="blood-clots-you--signs">Signs</h3>'
    )


def test_saving_again_re_renders_changed_markdown(make_page):
    section = make_page().sections.get()
    section.body = "New *text*."
    section.save()
    section.refresh_from_db()
    assert section.body_html == "<p>New <em>text</em>.</p>"


def test_published_queryset_leaves_out_drafts(make_page):
    make_page(slug="safety")
    make_page(slug="support", status=Status.DRAFT)
    assert list(Page.objects.published().values_list("slug", flat=True)) == ["safety"]


def test_home_page_lives_at_the_site_root(make_page):
    assert make_page(slug="home").get_absolute_url() == "/"
    assert make_page(slug="safety").get_absolute_url() == "/safety/"


def test_new_content_starts_as_a_draft(db):
    guide = Guide.objects.create(
        slug="g", title="G", summary="S", published_on=datetime.date(2026, 1, 1), body="B"
    )
    assert guide.status == Status.DRAFT


def test_the_test_schedules_are_valid_so_each_refusal_below_has_one_cause(db):
    mm_schedule().full_clean()
    ks_schedule().full_clean()


def test_cycle_chart_marks_21_capsule_days_and_the_companion_days():
    chart = cycle_chart(mm_schedule())
    assert len(chart.days) == 28
    assert [d.number for d in chart.days if d.takes_capsule] == list(range(1, 22))
    assert [d.number for d in chart.days if d.takes_companion] == [1, 8, 15, 22]
    assert [week[0].number for week in chart.weeks] == [1, 8, 15, 22]  # a row for each week


def test_schedule_days_on_and_off_come_from_the_fields():
    schedule = mm_schedule()
    assert (schedule.days_on, schedule.days_off) == (21, 7)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_dose_day": 22, "last_dose_day": 21}, "last_dose_day"),
        ({"last_dose_day": 30}, "last_dose_day"),
        ({"companion_days": "1, 40"}, "companion_days"),
        ({"companion_days": "one, eight"}, "companion_days"),
        ({"dose_mg": 0}, "dose_mg"),
    ],
)
def test_a_schedule_that_does_not_fit_its_cycle_is_refused(db, overrides, field):
    with pytest.raises(ValidationError) as error:
        mm_schedule(**overrides).full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize("url", ["http://example.com", "javascript:alert(1)", "ftp://x.example"])
def test_external_links_must_be_https(db, url):
    link = ExternalLink(key="x", title="X", url=url, description="D")
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "url" in error.value.message_dict


def test_two_sections_of_a_page_cannot_share_an_anchor(make_page):
    page = make_page(sections=[("Food", "A")])
    duplicate = Section(page=page, heading="Food", anchor="food", body="B")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
