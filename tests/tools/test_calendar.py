"""My cycle calendar: the day arithmetic, the month tables, the printed sheets and the .ics file."""

import datetime
import logging
import re

import pytest
import vobject
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar

from content.models import DosingSchedule, Status
from content.tools import calendar
from tests.schedules import ks_schedule, mm_schedule

URL = "/my-calendar/"
PRINT_URL = "/my-calendar/print/"
ICS_URL = "/my-calendar/calendar.ics"
STAMP = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


def plan(schedule=None, start=datetime.date(2026, 3, 2), cycles=3, dose=4, remind=None):
    return calendar.Plan(
        schedule=schedule or mm_schedule(),
        dose_mg=dose,
        start=start,
        cycles=cycles,
        remind_at=remind,
    )


def expected_days(start: datetime.date, cycles: int, days: set[int]) -> list[datetime.date]:
    """The dates of the given cycle days, counted by hand: day d of cycle c is start + 28(c-1) +
    (d-1)."""
    return [
        start + datetime.timedelta(days=28 * cycle + day - 1)
        for cycle in range(cycles)
        for day in sorted(days)
    ]


# The day arithmetic


def test_capsules_on_days_1_to_21_and_rest_on_22_to_28_of_every_cycle():
    days = calendar.plan_days(plan(cycles=3))
    assert len(days) == 84
    capsule_dates = [d.date for d in days if d.capsule]
    assert capsule_dates == expected_days(datetime.date(2026, 3, 2), 3, set(range(1, 22)))
    assert [d.day for d in days if d.rest][:7] == [22, 23, 24, 25, 26, 27, 28]
    assert (days[28].cycle, days[28].day) == (2, 1)


def test_dexamethasone_on_days_1_8_15_and_22_for_myeloma_only():
    mm_days = calendar.plan_days(plan(cycles=2))
    assert [d.date for d in mm_days if d.companion] == expected_days(
        datetime.date(2026, 3, 2), 2, {1, 8, 15, 22}
    )
    ks_days = calendar.plan_days(plan(schedule=ks_schedule(), dose=5, cycles=2))
    assert not any(d.companion for d in ks_days)


def test_myeloma_blood_tests_weekly_for_8_weeks_then_every_4_weeks():
    offsets = [i for i, d in enumerate(calendar.plan_days(plan(cycles=4))) if d.blood_test]
    assert offsets == [0, 7, 14, 21, 28, 35, 42, 49, 56, 84]


def test_kaposi_blood_tests_every_2_weeks_for_12_weeks_then_every_4_weeks():
    days = calendar.plan_days(plan(schedule=ks_schedule(), dose=5, cycles=5))
    assert [i for i, d in enumerate(days) if d.blood_test] == [0, 14, 28, 42, 56, 70, 84, 112]


def test_no_blood_test_reminders_without_a_complete_plan():
    schedule = mm_schedule(blood_test_later_every_days=None)
    assert not any(d.blood_test for d in calendar.plan_days(plan(schedule=schedule)))


def test_a_cycle_across_february_29_in_a_leap_year():
    days = calendar.plan_days(plan(start=datetime.date(2028, 2, 10), cycles=2))
    assert days[19].date == datetime.date(2028, 2, 29)
    assert (days[19].cycle, days[19].day, days[19].capsule) == (1, 20, True)
    assert days[20].date == datetime.date(2028, 3, 1)
    assert days[28].date == datetime.date(2028, 3, 9)  # 2027 would give March 10


def test_a_cycle_across_the_end_of_february_in_a_common_year():
    days = calendar.plan_days(plan(start=datetime.date(2027, 2, 10), cycles=1))
    assert days[19].date == datetime.date(2027, 3, 1)


def test_months_start_on_sunday_cover_the_plan_and_mark_today():
    days = calendar.plan_days(plan(start=datetime.date(2026, 12, 20), cycles=1))
    today = datetime.date(2026, 12, 25)
    months = calendar.months(days, today)
    assert [m.first for m in months] == [datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]
    december = months[0]
    assert december.weeks[0][0].date is None  # Dec 1, 2026 is a Tuesday
    assert december.weeks[0][2].date == datetime.date(2026, 12, 1)
    cells = [cell for week in december.weeks for cell in week]
    assert [c.date for c in cells if c.is_today] == [today]
    assert [c.date.day for c in cells if c.plan_day and c.plan_day.day == 1] == [20]
    assert all(len(week) == 7 for month in months for week in month.weeks)


def test_dose_and_blood_test_words_come_from_the_schedule_fields():
    assert calendar.companion_dose_text(mm_schedule()) == (
        "40 mg if you are 75 or younger; 20 mg if you are over 75"
    )
    assert calendar.companion_dose_text(mm_schedule(companion_dose_mg=None)) == ""
    assert calendar.blood_test_text(mm_schedule()) == (
        "every week for the first 8 weeks, then every 4 weeks"
    )
    assert calendar.blood_test_text(ks_schedule()) == (
        "every 2 weeks for the first 12 weeks, then every 4 weeks"
    )


def test_allowed_doses_always_include_the_usual_dose():
    assert mm_schedule(allowed_doses_mg="").allowed_doses == [4]
    assert ks_schedule(allowed_doses_mg="2, 3").allowed_doses == [2, 3, 5]


def test_shipped_schedules_hold_the_prescribing_facts(seeded):
    mm = DosingSchedule.objects.get(key="multiple-myeloma")
    ks = DosingSchedule.objects.get(key="kaposi-sarcoma")
    assert (mm.companion_dose_mg, mm.companion_older_dose_mg, mm.companion_age_limit) == (
        40,
        20,
        75,
    )
    assert mm.companion_day_list == [1, 8, 15, 22]
    assert (mm.blood_test_early_every_days, mm.blood_test_early_weeks) == (7, 8)
    assert not mm.blood_tests_need_verification
    assert (ks.blood_test_early_every_days, ks.blood_test_early_weeks) == (14, 12)
    assert ks.blood_tests_need_verification  # *verify* in the facts list
    assert mm.allowed_doses == [1, 2, 3, 4]
    assert ks.dose_mg == 5 and ks.companion_medicine == ""


# The .ics file


def events(ics: bytes, kind: str) -> list:
    return [e for e in Calendar.from_ical(ics).walk("VEVENT") if f"-{kind}-" in str(e["uid"])]


def start_dates(found: list) -> list[datetime.date]:
    dates = []
    for event in found:
        value = event.decoded("dtstart")
        dates.append(value.date() if isinstance(value, datetime.datetime) else value)
    return sorted(dates)


@pytest.mark.parametrize(
    "start",
    [
        datetime.date(2026, 3, 2),  # US clocks go forward on March 8, 2026
        datetime.date(2026, 10, 19),  # and back on November 1, 2026
        datetime.date(2028, 2, 10),  # across February 29, 2028
    ],
)
def test_ics_has_every_dose_dexamethasone_day_and_blood_test_of_several_cycles(start):
    ics = calendar.build_ics(plan(start=start, cycles=3, remind=datetime.time(8, 30)), STAMP)
    assert start_dates(events(ics, "dose")) == expected_days(start, 3, set(range(1, 22)))
    assert start_dates(events(ics, "companion")) == expected_days(start, 3, {1, 8, 15, 22})
    blood = [start + datetime.timedelta(days=n) for n in (0, 7, 14, 21, 28, 35, 42, 49, 56)]
    assert start_dates(events(ics, "blood-test")) == blood
    rest = events(ics, "rest")
    assert start_dates(rest) == expected_days(start, 3, {22})
    assert rest[0].decoded("dtend") == start + datetime.timedelta(days=28)


@pytest.mark.parametrize("start", [datetime.date(2026, 3, 2), datetime.date(2026, 10, 19)])
def test_ics_reminders_stay_at_the_same_clock_time_when_the_clocks_change(start):
    ics = calendar.build_ics(plan(start=start, cycles=1, remind=datetime.time(8, 30)), STAMP)
    starts = [e.decoded("dtstart") for e in events(ics, "dose")]
    assert {(s.hour, s.minute) for s in starts} == {(8, 30)}
    assert all(s.tzinfo is None for s in starts)  # floating: the phone's own zone
    text = ics.decode()
    assert "TZID" not in text
    assert not re.search(r"DTSTART[^\r\n]*Z\r\n", text)


def test_ics_doses_have_an_alarm_at_the_reminder_time():
    ics = calendar.build_ics(plan(cycles=1, remind=datetime.time(21, 0)), STAMP)
    for event in events(ics, "dose"):
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0]["action"] == "DISPLAY"
        assert alarms[0].decoded("trigger") == datetime.timedelta(0)


def test_ics_without_a_reminder_time_has_all_day_events_and_no_alarms():
    ics = calendar.build_ics(plan(cycles=1), STAMP)
    doses = events(ics, "dose")
    assert all(type(e.decoded("dtstart")) is datetime.date for e in doses)
    assert b"VALARM" not in ics


def test_ics_uids_are_unique_and_stable_and_every_event_has_a_dtstamp():
    first = calendar.build_ics(plan(cycles=2, remind=datetime.time(9, 0)), STAMP)
    later = calendar.build_ics(
        plan(cycles=2, remind=datetime.time(9, 0)), STAMP + datetime.timedelta(days=3)
    )
    uids = [str(e["uid"]) for e in Calendar.from_ical(first).walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert uids == [str(e["uid"]) for e in Calendar.from_ical(later).walk("VEVENT")]
    stamps = {e.decoded("dtstamp") for e in Calendar.from_ical(first).walk("VEVENT")}
    assert stamps == {STAMP}


def test_ics_holds_nothing_but_the_plan():
    ics = calendar.build_ics(plan(cycles=1, remind=datetime.time(9, 0)), STAMP).decode()
    properties = {line.split(":")[0].split(";")[0] for line in ics.splitlines() if ":" in line}
    assert properties <= {
        "BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "METHOD", "X-WR-CALNAME", "UID",
        "SUMMARY", "DESCRIPTION", "DTSTART", "DTEND", "TRANSP", "DTSTAMP", "ACTION", "TRIGGER",
    }  # fmt: skip
    assert calendar.NOT_INSTRUCTIONS.split(" ")[0] in ics


def test_a_second_parser_reads_the_same_dates():
    """vobject, an independent iCalendar parser, sees the same events as icalendar."""
    start = datetime.date(2028, 2, 10)
    ics = calendar.build_ics(plan(start=start, cycles=2, remind=datetime.time(7, 15)), STAMP)
    parsed = vobject.readOne(ics.decode())
    doses = [e for e in parsed.vevent_list if "-dose-" in e.uid.value]
    assert sorted(e.dtstart.value.date() for e in doses) == expected_days(
        start, 2, set(range(1, 22))
    )
    assert {e.dtstart.value.time() for e in doses} == {datetime.time(7, 15)}
    assert all(e.dtstart.value.tzinfo is None for e in doses)
    assert len(parsed.vevent_list) == 42 + 8 + 8 + 2  # doses, dexamethasone, blood tests, rest


# The pages


def query(**fields) -> dict:
    today = timezone.localdate()
    return {"condition": "multiple-myeloma", "start": today.isoformat(), "cycles": "2"} | fields


def test_the_empty_form_offers_published_conditions_and_their_doses(schedules, us_client):
    DosingSchedule.objects.filter(key="kaposi-sarcoma").update(status=Status.DRAFT)
    response = us_client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Multiple myeloma" in text and "Kaposi sarcoma" not in text
    assert 'value="5"' not in text
    assert 'type="date"' in text


def test_the_calendar_shows_cycle_days_marks_today_and_is_private(schedules, us_client):
    response = us_client.get(URL, query())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cycle 1, day 1." in text and "Cycle 2, day 28." in text
    assert text.count('aria-current="date"') == 1
    assert "POMALYST 4 mg." in text
    assert "40 mg if you are 75 or younger; 20 mg if you are over 75" in text
    assert "every week for the first 8 weeks" in text
    assert "does not replace your care team" in text
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_kaposi_calendar_asks_to_confirm_the_blood_test_plan(schedules, us_client):
    response = us_client.get(URL, query(condition="kaposi-sarcoma"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "POMALYST 5 mg." in text
    assert "Ask your care team to confirm this plan." in text
    assert "Dexamethasone" not in text


def test_the_print_version_has_one_sheet_per_cycle_with_tick_boxes(schedules, us_client):
    response = us_client.get(PRINT_URL, query(cycles="3"))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('class="sheet"') == 3
    assert text.count('class="tick-box"') == 3 * (21 + 4)
    assert text.count("This calendar does not replace your care team&#x27;s instructions") == 3
    assert "http://testserver/my-calendar/" in text
    assert "no-store" in response["Cache-Control"]


def test_the_ics_download(schedules, us_client):
    response = us_client.get(ICS_URL, query(remind="09:00"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    parsed = Calendar.from_ical(response.content)
    assert len([e for e in parsed.walk("VEVENT") if "-dose-" in str(e["uid"])]) == 42


def test_a_chosen_dose_is_used(schedules, us_client):
    response = us_client.get(URL, query(dose="3"))
    assert "POMALYST 3 mg." in response.content.decode()


def far(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": ""}, "Enter the date of day 1."),
        ({"start": "2026-02-30"}, "Enter a real date"),
        ({"start": "tomorrow"}, "Enter a real date"),
        ({"start": "9999999-01-01"}, "Enter a real date"),
        ({"start": far(-800)}, "within one year of today"),
        ({"start": far(800)}, "within one year of today"),
        ({"cycles": "0"}, "from 1 to 12"),
        ({"cycles": "500"}, "from 1 to 12"),
        ({"cycles": "three"}, "from 1 to 12"),
        ({"cycles": "1e3"}, "from 1 to 12"),
        ({"dose": "7"}, "Choose a dose from the list."),
        ({"dose": "5"}, "For multiple myeloma, choose one of these doses: 1 mg, 2 mg, 3 mg, 4 mg."),
        ({"dose": "four"}, "Choose a dose from the list."),
        ({"condition": "lung-cancer"}, "Choose one of the conditions"),
        ({"condition": ""}, "Choose your condition."),
        ({"remind": "25:99"}, "Enter a time as HH:MM"),
    ],
)
@pytest.mark.parametrize("url", [URL, PRINT_URL, ICS_URL])
def test_bad_input_shows_the_form_again_with_a_plain_message(
    schedules, us_client, url, fields, message
):
    response = us_client.get(url, query(**fields))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert message.replace("'", "&#x27;") in text
    assert 'aria-invalid="true"' in text
    assert "no-store" in response["Cache-Control"]


def test_a_huge_query_string_is_refused_plainly(schedules, us_client):
    response = us_client.get(URL, query(start="1" * 1500))
    assert response.status_code == 400
    assert "This address is too long" in response.content.decode()
    assert us_client.get(URL, query(start="1" * 5000)).status_code == 414  # pomsite/security.py


def test_a_nul_byte_gets_the_sites_plain_bad_request_page(schedules, us_client):
    response = us_client.get(URL + "?start=2026%00-01-01&condition=multiple-myeloma&cycles=1")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_draft_schedule_cannot_be_chosen(schedules, us_client):
    DosingSchedule.objects.filter(key="kaposi-sarcoma").update(status=Status.DRAFT)
    response = us_client.get(URL, query(condition="kaposi-sarcoma"))
    assert response.status_code == 400


def test_the_calendar_is_gated_like_every_page(schedules, client):
    response = client.get(URL, query())
    assert response.status_code == 200
    assert 'class="gate' in response.content.decode()


def test_a_personal_calendar_never_enters_the_page_cache(schedules, us_client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        for _ in range(2):
            response = us_client.get(URL, query())
            assert response.status_code == 200
            assert "X-Page-Cache" not in response
    finally:
        cache.clear()


def test_what_was_typed_is_not_logged(schedules, us_client, caplog):
    with caplog.at_level(logging.DEBUG):
        us_client.get(URL, query(start="1234-56-78"))
        us_client.get(ICS_URL, query(remind="07:47"))
    assert "1234-56-78" not in caplog.text and "07:47" not in caplog.text
