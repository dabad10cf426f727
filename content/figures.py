"""Server-drawn pictures. Their numbers come from model fields, never from prose."""

from dataclasses import dataclass

from .models import DosingSchedule

DAYS_PER_ROW = 7
CELL = 44  # the size of one day's square in the SVG's own units
GAP = 6


@dataclass(frozen=True)
class CycleDay:
    number: int
    takes_capsule: bool
    takes_companion: bool
    x: int
    y: int

    @property
    def label_x(self) -> int:
        return self.x + CELL // 2

    @property
    def label_y(self) -> int:
        return self.y + CELL // 2 + 6


@dataclass(frozen=True)
class CycleChart:
    schedule: DosingSchedule
    days: list[CycleDay]
    width: int
    height: int


def cycle_chart(schedule: DosingSchedule) -> CycleChart:
    """Lay out a schedule's cycle as rows of a week, marking capsule days and companion days."""
    companion_days = set(schedule.companion_day_list)
    days = []
    for number in range(1, schedule.cycle_length_days + 1):
        row, column = divmod(number - 1, DAYS_PER_ROW)
        days.append(
            CycleDay(
                number=number,
                takes_capsule=schedule.first_dose_day <= number <= schedule.last_dose_day,
                takes_companion=number in companion_days,
                x=column * (CELL + GAP),
                y=row * (CELL + GAP),
            )
        )
    rows = -(-schedule.cycle_length_days // DAYS_PER_ROW)
    return CycleChart(
        schedule=schedule,
        days=days,
        width=DAYS_PER_ROW * (CELL + GAP) - GAP,
        height=rows * (CELL + GAP) - GAP,
    )
