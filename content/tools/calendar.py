"""My cycle calendar: a person's treatment days, worked out from a dosing schedule's fields.

Nothing here is stored or logged. A plan is made from the visitor's form (condition, dose, day 1
of the first cycle, how many cycles, an optional reminder time) and turned into days, month
tables, one sheet per cycle and an iCalendar file. Every number (cycle length, capsule days,
dexamethasone days and doses, blood test plan) comes from the DosingSchedule record.

Time zones: the iCalendar file uses *floating* times (no time zone, no "Z"). A phone shows a
floating 9:00 reminder at 9:00 wherever it is, before and after the clocks change, which is what
someone taking a capsule every morning wants. All-day items are plain dates.
"""

import calendar as std_calendar
import datetime
import hashlib
from dataclasses import dataclass
from itertools import groupby

from icalendar import Alarm, Calendar, Event

from ..models import DosingSchedule

PRODID = "-//POMALYST patient guide//My cycle calendar//EN"
UID_DOMAIN = "my-calendar.pomalyst-guide"
REMINDER_LENGTH = datetime.timedelta(minutes=15)
NOT_INSTRUCTIONS = "This calendar does not replace your care team's instructions."
# US calendars start the week on Sunday.
WEEK = std_calendar.Calendar(firstweekday=std_calendar.SUNDAY)
WEEKDAYS = [("Sun", "Sunday"), ("Mon", "Monday"), ("Tue", "Tuesday"), ("Wed", "Wednesday"),
            ("Thu", "Thursday"), ("Fri", "Friday"), ("Sat", "Saturday")]  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What the visitor asked for. `dose_mg` is one of the schedule's allowed doses."""

    schedule: DosingSchedule
    dose_mg: int
    start: datetime.date
    cycles: int
    remind_at: datetime.time | None = None

    @property
    def total_days(self) -> int:
        return self.cycles * self.schedule.cycle_length_days

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=self.total_days - 1)


@dataclass(frozen=True)
class PlanDay:
    date: datetime.date
    cycle: int
    day: int  # day of the cycle, from 1
    capsule: bool
    companion: bool
    blood_test: bool

    @property
    def rest(self) -> bool:
        return not self.capsule


@dataclass(frozen=True)
class MonthCell:
    date: datetime.date | None  # None: a blank square before the 1st or after the last day
    plan_day: PlanDay | None
    is_today: bool


@dataclass(frozen=True)
class Month:
    first: datetime.date
    weeks: list[list[MonthCell]]


def blood_test_days(schedule: DosingSchedule, total_days: int) -> set[int]:
    """Days since day 1 (0 = day 1) that get a blood test reminder.

    The schedule says "every N days for the first W weeks, then every M days": reminders fall on
    day 1 and every N days after it until the W weeks are over, then every M days.
    """
    if not schedule.has_blood_test_plan:
        return set()
    early_end = schedule.blood_test_early_weeks * 7
    early = range(0, min(early_end, total_days), schedule.blood_test_early_every_days)
    later = range(early_end, total_days, schedule.blood_test_later_every_days)
    return {*early, *later}


def plan_days(plan: Plan) -> list[PlanDay]:
    schedule = plan.schedule
    companion_days = set(schedule.companion_day_list) if schedule.companion_medicine else set()
    tests = blood_test_days(schedule, plan.total_days)
    days = []
    for offset in range(plan.total_days):
        cycle, day_index = divmod(offset, schedule.cycle_length_days)
        day = day_index + 1
        days.append(
            PlanDay(
                date=plan.start + datetime.timedelta(days=offset),
                cycle=cycle + 1,
                day=day,
                capsule=schedule.first_dose_day <= day <= schedule.last_dose_day,
                companion=day in companion_days,
                blood_test=offset in tests,
            )
        )
    return days


def cycles(days: list[PlanDay]) -> list[list[PlanDay]]:
    """The days grouped by cycle: one printed sheet each."""
    return [list(group) for _, group in groupby(days, key=lambda d: d.cycle)]


def months(days: list[PlanDay], today: datetime.date) -> list[Month]:
    """Every month the plan touches, as weeks of seven cells from Sunday."""
    by_date = {day.date: day for day in days}
    first, last = days[0].date, days[-1].date
    result = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = [
            [
                MonthCell(
                    date=date if date.month == month else None,
                    plan_day=by_date.get(date) if date.month == month else None,
                    is_today=date == today and date.month == month,
                )
                for date in week
            ]
            for week in WEEK.monthdatescalendar(year, month)
        ]
        result.append(Month(first=datetime.date(year, month, 1), weeks=weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def companion_dose_text(schedule: DosingSchedule) -> str:
    """The other medicine's dose as the schedule sets it, such as "40 mg if you are 75 or
    younger; 20 mg if you are over 75"."""
    if not schedule.companion_dose_mg:
        return ""
    if schedule.companion_older_dose_mg and schedule.companion_age_limit:
        age = schedule.companion_age_limit
        return (
            f"{schedule.companion_dose_mg} mg if you are {age} or younger; "
            f"{schedule.companion_older_dose_mg} mg if you are over {age}"
        )
    return f"{schedule.companion_dose_mg} mg"


def _every(days: int) -> str:
    if days == 7:
        return "every week"
    if days % 7 == 0:
        return f"every {days // 7} weeks"
    return f"every {days} days"


def blood_test_text(schedule: DosingSchedule) -> str:
    """The schedule's blood test plan in words, such as "every week for the first 8 weeks, then
    every 4 weeks"."""
    if not schedule.has_blood_test_plan:
        return ""
    return (
        f"{_every(schedule.blood_test_early_every_days)} for the first "
        f"{schedule.blood_test_early_weeks} weeks, then "
        f"{_every(schedule.blood_test_later_every_days)}"
    )


def plan_id(plan: Plan) -> str:
    """Stable for one schedule and start date, so importing an updated file again replaces the
    events instead of adding copies. Holds nothing readable."""
    source = f"{plan.schedule.key}|{plan.start.isoformat()}"
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _event(
    plan: Plan,
    kind: str,
    date: datetime.date,
    summary: str,
    description: str,
    timed: bool,
    last: datetime.date | None = None,
) -> Event:
    event = Event()
    event.add("uid", f"{plan_id(plan)}-{kind}-{date:%Y%m%d}@{UID_DOMAIN}")
    event.add("summary", summary)
    event.add("description", f"{description} {NOT_INSTRUCTIONS}")
    if timed and plan.remind_at is not None:
        starts = datetime.datetime.combine(date, plan.remind_at)  # naive: a floating time
        event.add("dtstart", starts)
        event.add("dtend", starts + REMINDER_LENGTH)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", datetime.timedelta(0))
        event.add_component(alarm)
    else:
        event.add("dtstart", date)
        event.add("dtend", (last or date) + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event


def build_ics(plan: Plan, stamp: datetime.datetime) -> bytes:
    """The plan as an iCalendar file: capsule days, the other medicine's days, rest days and
    blood test reminders. `stamp` (UTC) is when the file was made (DTSTAMP)."""
    schedule = plan.schedule
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "POMALYST cycle calendar")
    days = plan_days(plan)
    for day in days:
        where = f"cycle {day.cycle}, day {day.day}"
        if day.capsule:
            cal.add_component(
                _event(
                    plan,
                    "dose",
                    day.date,
                    f"POMALYST {plan.dose_mg} mg ({where})",
                    f"Take your POMALYST dose today: {plan.dose_mg} mg.",
                    timed=True,
                )
            )
        if day.companion:
            dose = companion_dose_text(schedule)
            cal.add_component(
                _event(
                    plan,
                    "companion",
                    day.date,
                    f"{schedule.companion_medicine.capitalize()} day ({where})",
                    f"Take your {schedule.companion_medicine} today"
                    + (f": {dose}." if dose else "."),
                    timed=True,
                )
            )
        if day.blood_test:
            check = (
                " Ask your care team to confirm this plan."
                if schedule.blood_tests_need_verification
                else ""
            )
            cal.add_component(
                _event(
                    plan,
                    "blood-test",
                    day.date,
                    "Blood test due",
                    f"A blood count test is due: {blood_test_text(schedule)}. "
                    f"Your care team tells you the day.{check}",
                    timed=False,
                )
            )
    for sheet in cycles(days):
        rest = [day for day in sheet if day.rest]
        if rest:
            cal.add_component(
                _event(
                    plan,
                    "rest",
                    rest[0].date,
                    f"Rest days: no POMALYST (cycle {rest[0].cycle})",
                    f"Days {rest[0].day} to {rest[-1].day} of cycle {rest[0].cycle}: "
                    "no POMALYST on these days.",
                    timed=False,
                    last=rest[-1].date,
                )
            )
    for component in cal.walk("VEVENT"):
        component.add("dtstamp", stamp)
    return cal.to_ical()
