"""The patient and caregiver tools. Answers made from what a visitor typed are never stored,
logged or cached: they are sent with `Cache-Control: private, no-store`."""

import datetime
import string
from collections.abc import Callable
from functools import wraps
from itertools import groupby
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from ..models import (
    DosingSchedule,
    GlossaryTerm,
    QuestionTopic,
    SuggestedQuestion,
    Urgency,
    WarningSign,
)
from . import calendar, search
from .forms import CalendarForm, DiaryForm, QuestionsForm

# A longer query string than any real form sends is refused before it is read.
MAX_QUERY_LENGTH = 1000
TOO_LONG = "This address is too long. Fill in the form again."


def private(response: HttpResponse) -> HttpResponse:
    """Keep a personal answer out of the shared page cache, CDNs and the browser's disk."""
    add_never_cache_headers(response)
    return response


def _calendar_form(request: HttpRequest) -> tuple[CalendarForm, list[str]]:
    schedules = list(DosingSchedule.objects.published())
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return CalendarForm(schedules=schedules), [TOO_LONG]
    if not set(request.GET) & set(CalendarForm.base_fields):
        return CalendarForm(schedules=schedules), []
    return CalendarForm(request.GET, schedules=schedules), []


def _plan(form: CalendarForm) -> calendar.Plan:
    data = form.cleaned_data
    return calendar.Plan(
        schedule=data["schedule"],
        dose_mg=data["dose"],
        start=data["start"],
        cycles=data["cycles"],
        remind_at=data["remind"],
    )


def _plan_query(plan: calendar.Plan) -> str:
    values = {
        "condition": plan.schedule.key,
        "dose": plan.dose_mg,
        "start": plan.start.isoformat(),
        "cycles": plan.cycles,
    }
    if plan.remind_at is not None:
        values["remind"] = plan.remind_at.strftime("%H:%M")
    return urlencode(values)


def _form_page(request: HttpRequest, form: CalendarForm, errors: list[str]) -> HttpResponse:
    """The form alone: 200 when empty, 400 with the mistakes when it was filled in wrong."""
    bad = bool(errors) or form.is_bound
    response = render(
        request,
        "content/my_calendar.html",
        {"form": form, "page_errors": errors},
        status=400 if bad else 200,
    )
    return private(response) if form.is_bound or errors else response


def _plan_context(request: HttpRequest, plan: calendar.Plan) -> dict:
    schedule = plan.schedule
    return {
        "plan": plan,
        "schedule": schedule,
        "companion_dose": calendar.companion_dose_text(schedule),
        "blood_tests": calendar.blood_test_text(schedule),
        "query": _plan_query(plan),
        "calendar_address": request.build_absolute_uri(reverse("content:my_calendar")),
        "safety_address": request.build_absolute_uri(
            reverse("content:page_detail", kwargs={"slug": "safety"})
        ),
        "not_instructions": calendar.NOT_INSTRUCTIONS,
        "weekdays": calendar.WEEKDAYS,
    }


def _with_a_valid_plan(view: Callable) -> Callable:
    """A calendar view that runs only for a filled-in, valid form; otherwise the visitor gets the
    form page (with what to fix). The view receives the form and the plan made from it."""

    @require_safe
    @wraps(view)
    def checked(request: HttpRequest) -> HttpResponse:
        form, errors = _calendar_form(request)
        if errors or not form.is_bound or not form.is_valid():
            return _form_page(request, form, errors)
        return view(request, form, _plan(form))

    return checked


@_with_a_valid_plan
def my_calendar(request: HttpRequest, form: CalendarForm, plan: calendar.Plan) -> HttpResponse:
    days = calendar.plan_days(plan)
    context = _plan_context(request, plan) | {
        "form": form,
        "months": calendar.months(days, timezone.localdate()),
    }
    return private(render(request, "content/my_calendar.html", context))


@_with_a_valid_plan
def my_calendar_print(
    request: HttpRequest, form: CalendarForm, plan: calendar.Plan
) -> HttpResponse:
    context = _plan_context(request, plan) | {"cycles": calendar.cycles(calendar.plan_days(plan))}
    return private(render(request, "content/my_calendar_print.html", context))


@_with_a_valid_plan
def my_calendar_ics(request: HttpRequest, form: CalendarForm, plan: calendar.Plan) -> HttpResponse:
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    response = HttpResponse(
        calendar.build_ics(plan, stamp), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="pomalyst-cycle-calendar.ics"'
    return private(response)


def _reviewed_on(items: list) -> datetime.date | None:
    """The review date a list can show: the oldest, and only if every item is reviewed and
    none is waiting to be verified."""
    dates = [item.medically_reviewed_on for item in items]
    if not items or None in dates or any(item.needs_verification for item in items):
        return None
    return min(dates)


@require_safe
def glossary(request: HttpRequest) -> HttpResponse:
    """Every published glossary word, A to Z, each at its own anchor."""
    terms = list(GlossaryTerm.objects.published())
    groups = [(letter, list(items)) for letter, items in groupby(terms, key=lambda t: t.letter)]
    present = {letter for letter, _ in groups}
    context = {
        "groups": groups,
        "letters": [(letter, letter in present) for letter in string.ascii_uppercase],
        "reviewed_on": _reviewed_on(terms),
    }
    return render(request, "content/glossary.html", context)


# Shown when nothing matches: everyday words that find something on this site.
SEARCH_SUGGESTIONS = ["blood clot", "missed pill", "pregnant", "cost", "side effects"]


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Site search. What was typed is only echoed back to the visitor: never stored or logged."""
    text = request.GET.get("q")
    context = {"q": text or "", "suggestions": SEARCH_SUGGESTIONS}
    if text is None or (not text.strip() and len(text) <= search.MAX_LENGTH):
        return render(request, "content/search.html", context)
    try:
        results, words = search.search(text)
    except search.SearchInputError as error:
        context["error"] = str(error)
        return private(render(request, "content/search.html", context, status=400))
    context |= {"results": results, "words": words, "searched": True}
    return private(render(request, "content/search.html", context))


@require_safe
def sheets(request: HttpRequest) -> HttpResponse:
    return render(request, "content/sheets.html")


def _question_groups(form: QuestionsForm, suggestions: list) -> list[tuple[str, list]]:
    """The checkboxes, grouped under their topics."""
    topic_of = {q.key: q.topic for q in suggestions}
    groups = []
    for topic, label in QuestionTopic.choices:
        boxes = [box for box in form["questions"] if topic_of.get(box.data["value"]) == topic]
        if boxes:
            groups.append((label, boxes))
    return groups


# Exempt from CSRF on purpose: the sheet is made from the form and sent back; nothing is stored
# or changed, and a token would make the form page uncacheable. POST keeps the visitor's own
# questions out of the address bar and the browser history.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def questions_sheet(request: HttpRequest) -> HttpResponse:
    suggestions = list(SuggestedQuestion.objects.published())
    if request.method != "POST":
        form = QuestionsForm(suggestions=suggestions)
        context = {"form": form, "groups": _question_groups(form, suggestions)}
        return render(request, "content/questions_sheet.html", context)
    form = QuestionsForm(request.POST, suggestions=suggestions)
    if not form.is_valid():
        context = {"form": form, "groups": _question_groups(form, suggestions)}
        return private(render(request, "content/questions_sheet.html", context, status=400))
    chosen = set(form.cleaned_data["questions"])
    questions = [q.text for q in suggestions if q.key in chosen] + form.cleaned_data["own"]
    context = {
        "questions": questions,
        "sheet_address": request.build_absolute_uri(reverse("content:questions_sheet")),
    }
    return private(render(request, "content/questions_print.html", context))


@require_safe
def diary_sheet(request: HttpRequest) -> HttpResponse:
    """A side-effect and dose diary for one cycle. Blank, or with the dates and the schedule's
    days filled in from the form."""
    schedules = list(DosingSchedule.objects.published())
    filled = bool(set(request.GET) & set(DiaryForm.base_fields))
    too_long = len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH
    form = DiaryForm(request.GET if filled and not too_long else None, schedules=schedules)
    signs = list(WarningSign.objects.published())
    context = {
        "form": form,
        "page_errors": [TOO_LONG] if too_long else [],
        "emergency_signs": [s for s in signs if s.urgency == Urgency.EMERGENCY],
        "call_signs": [s for s in signs if s.urgency == Urgency.CALL_NOW],
        "diary_address": request.build_absolute_uri(reverse("content:diary_sheet")),
        "not_instructions": calendar.NOT_INSTRUCTIONS.replace("calendar", "diary"),
    }
    if too_long or (filled and not form.is_valid()):
        return private(render(request, "content/diary_sheet.html", context, status=400))
    data = form.cleaned_data if filled else {}
    schedule = form.schedules.get(data.get("condition") or "")
    shape = schedule or (schedules[0] if schedules else None)
    if shape is not None:
        plan = calendar.Plan(
            schedule=shape,
            dose_mg=shape.dose_mg,
            start=data.get("start") or timezone.localdate(),
            cycles=1,
        )
        context |= {
            "schedule": schedule,
            "days": calendar.plan_days(plan),
            "dated": bool(data.get("start")),
            "companion_dose": calendar.companion_dose_text(schedule) if schedule else "",
        }
    response = render(request, "content/diary_sheet.html", context)
    return private(response) if filled else response
