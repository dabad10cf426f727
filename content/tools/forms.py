"""The visitors' forms for the patient tools. Every error is a short, plain sentence."""

import datetime

from django import forms
from django.utils import timezone

from ..models import DosingSchedule

MAX_CYCLES = 12
# How far from today day 1 may be: a calendar for last year or in two years is a typing mistake.
MAX_DAYS_FROM_TODAY = 366
DATE_FORMATS = ["%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


class _ShowsOnlyValidValues:
    """Date, time and number inputs may only hold a value of their own type (HTML): a wrong
    value typed is not put back in the box; the message beside it says what to fix."""

    formats: list[str] = []  # the formats a value may be written in

    def parse(self, value: str) -> None:
        """Raise ValueError unless `value` is written in one of `formats`."""
        for value_format in self.formats:
            try:
                datetime.datetime.strptime(value, value_format)
                return
            except ValueError:
                continue
        raise ValueError(value)

    def format_value(self, value):
        if isinstance(value, str):
            try:
                self.parse(value.strip())
            except ValueError:
                return None
        return super().format_value(value)


class DateInput(_ShowsOnlyValidValues, forms.DateInput):
    input_type = "date"
    formats = DATE_FORMATS

    def __init__(self) -> None:
        super().__init__(format=DATE_FORMATS[0])


class TimeInput(_ShowsOnlyValidValues, forms.TimeInput):
    input_type = "time"
    formats = TIME_FORMATS

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class NumberInput(_ShowsOnlyValidValues, forms.NumberInput):
    @staticmethod
    def parse(value: str) -> None:
        if not value.isdigit():
            raise ValueError(value)


def _day_one_field(label: str, help_text: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
        error_messages={
            "required": "Enter the date of day 1.",
            "invalid": "Enter a real date as YYYY-MM-DD, for example 2027-01-04.",
        },
    )


class _ScheduleForm(forms.Form):
    """A form that asks which condition (one of the published dosing schedules) and day 1 of a
    cycle. Where the condition may be left empty, "Not chosen" comes first."""

    def __init__(self, *args, schedules: list[DosingSchedule], **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.schedules = {schedule.key: schedule for schedule in schedules}
        choices = [(s.key, s.condition) for s in schedules]
        if not self.fields["condition"].required:
            choices.insert(0, ("", "Not chosen"))
        self.fields["condition"].choices = choices

    def clean_start(self) -> datetime.date | None:
        start = self.cleaned_data["start"]
        if start and abs((start - timezone.localdate()).days) > MAX_DAYS_FROM_TODAY:
            raise forms.ValidationError(
                "Choose a date within one year of today. Check the year you typed."
            )
        return start


class CalendarForm(_ScheduleForm):
    condition = forms.ChoiceField(
        label="What is POMALYST for, for you?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose your condition.",
            "invalid_choice": "Choose one of the conditions in the list.",
        },
    )
    dose = forms.TypedChoiceField(
        label="Your daily dose of POMALYST",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="The dose your doctor prescribed. If you are not sure, ask your care team.",
        error_messages={"invalid_choice": "Choose a dose from the list."},
    )
    start = _day_one_field(
        "Day 1 of your first cycle", help_text="The day you take your first capsule of the cycle."
    )
    cycles = forms.IntegerField(
        label="How many cycles to show",
        min_value=1,
        max_value=MAX_CYCLES,
        initial=3,
        widget=NumberInput(),
        help_text=f"A number from 1 to {MAX_CYCLES}.",
        error_messages={
            "required": f"Enter how many cycles to show, from 1 to {MAX_CYCLES}.",
            "invalid": f"Enter a whole number from 1 to {MAX_CYCLES}.",
            "min_value": f"Enter a whole number from 1 to {MAX_CYCLES}.",
            "max_value": f"Enter a whole number from 1 to {MAX_CYCLES}.",
        },
    )
    remind = forms.TimeField(
        label="Reminder time (you can leave this empty)",
        required=False,
        input_formats=TIME_FORMATS,
        widget=TimeInput(),
        help_text="For the phone calendar: the time you take your dose, such as 09:00.",
        error_messages={"invalid": "Enter a time as HH:MM, for example 09:00."},
    )

    def __init__(self, *args, schedules: list[DosingSchedule], **kwargs) -> None:
        super().__init__(*args, schedules=schedules, **kwargs)
        doses = sorted({dose for s in schedules for dose in s.allowed_doses})
        usual = "; ".join(f"{s.condition}: {s.dose_mg} mg" for s in schedules)
        self.fields["dose"].choices = [("", f"The usual dose ({usual})")] + [
            (str(dose), f"{dose} mg") for dose in doses
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        schedule = self.schedules.get(cleaned.get("condition"))
        dose = cleaned.get("dose")
        if schedule is None:
            return cleaned
        if dose is None and "dose" not in self.errors:
            cleaned["dose"] = schedule.dose_mg
        elif dose is not None and dose not in schedule.allowed_doses:
            allowed = ", ".join(f"{d} mg" for d in schedule.allowed_doses)
            self.add_error(
                "dose", f"For {schedule.condition.lower()}, choose one of these doses: {allowed}."
            )
        cleaned["schedule"] = schedule
        return cleaned


MAX_QUESTIONS = 10
MAX_QUESTION_LENGTH = 200


class QuestionsForm(forms.Form):
    questions = forms.MultipleChoiceField(
        label="Questions from this site",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose questions from the list."},
    )
    own = forms.CharField(
        label="Your own questions",
        required=False,
        max_length=MAX_QUESTIONS * (MAX_QUESTION_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Write each question on its own line.",
        error_messages={"max_length": "This is too much text. Write a few short questions."},
    )

    def __init__(self, *args, suggestions: list, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["questions"].choices = [(q.key, q.text) for q in suggestions]

    def clean_own(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["own"].splitlines() if line.strip()]
        if any(len(line) > MAX_QUESTION_LENGTH for line in lines):
            raise forms.ValidationError(
                f"Keep each question under {MAX_QUESTION_LENGTH} letters, so it fits the sheet."
            )
        return lines

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        count = len(cleaned.get("questions", [])) + len(cleaned.get("own", []))
        if count == 0:
            raise forms.ValidationError("Choose or write at least one question.")
        if count > MAX_QUESTIONS:
            raise forms.ValidationError(
                f"Choose or write at most {MAX_QUESTIONS} questions, so they fit on one page. "
                f"You have {count}."
            )
        return cleaned


class DiaryForm(_ScheduleForm):
    condition = forms.ChoiceField(
        label="What is POMALYST for, for you? (you can leave this empty)",
        required=False,
        error_messages={"invalid_choice": "Choose one of the conditions in the list."},
    )
    start = _day_one_field(
        "Day 1 of the cycle (you can leave this empty)",
        help_text="Fill this in to print the dates.",
        required=False,
    )
