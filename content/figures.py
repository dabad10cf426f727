"""Server-drawn pictures. Their numbers come from model fields, never from prose."""

from dataclasses import dataclass

from .models import DosingSchedule

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class CycleDay:
    number: int
    takes_capsule: bool
    takes_companion: bool


@dataclass(frozen=True)
class CycleChart:
    schedule: DosingSchedule
    weeks: list[list[CycleDay]]

    @property
    def days(self) -> list[CycleDay]:
        return [day for week in self.weeks for day in week]


def cycle_chart(schedule: DosingSchedule) -> CycleChart:
    """Lay out a schedule's cycle as rows of a week, marking capsule days and companion days."""
    companion_days = set(schedule.companion_day_list)
    days = [
        CycleDay(
            number=number,
            takes_capsule=schedule.first_dose_day <= number <= schedule.last_dose_day,
            takes_companion=number in companion_days,
        )
        for number in range(1, schedule.cycle_length_days + 1)
    ]
    weeks = [days[start : start + DAYS_PER_WEEK] for start in range(0, len(days), DAYS_PER_WEEK)]
    return CycleChart(schedule=schedule, weeks=weeks)
