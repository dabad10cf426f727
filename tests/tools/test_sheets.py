"""Take-along sheets: questions for the care team, and the side-effect and dose diary."""

import datetime
import logging
import re

import pytest
from django.utils import timezone

from content.models import DosingSchedule, Status, SuggestedQuestion, Urgency, WarningSign

QUESTIONS = "/sheets/questions/"
DIARY = "/sheets/diary/"


@pytest.fixture
def sheet_content(schedules):
    for order, (key, topic, text) in enumerate(
        [
            ("my-dose", "taking", "What is my dose?"),
            ("after-hours", "safety", "Who do I call at night?"),
            ("paying", "support", "Is there help to pay?"),
        ]
    ):
        SuggestedQuestion.objects.create(
            key=key, topic=topic, text=text, order=order, status=Status.PUBLISHED
        )
    SuggestedQuestion.objects.create(key="draft", topic="tests", text="A draft question?")
    WarningSign.objects.create(
        key="chest-pain", urgency=Urgency.EMERGENCY, text="Chest pain", status=Status.PUBLISHED
    )
    WarningSign.objects.create(
        key="infection",
        text="Fever or other signs of infection",
        order=1,
        status=Status.PUBLISHED,
    )
    WarningSign.objects.create(
        key="bleeding", text="Unusual bleeding or bruising", order=2, status=Status.PUBLISHED
    )
    WarningSign.objects.create(key="draft-sign", text="A draft sign")


def test_the_questions_form_offers_published_questions_by_topic(sheet_content, us_client):
    response = us_client.get(QUESTIONS)
    text = response.content.decode()
    assert response.status_code == 200
    assert "What is my dose?" in text and "A draft question?" not in text
    assert text.index("<legend>Taking POMALYST</legend>") < text.index("What is my dose?")
    assert 'method="post"' in text


def test_the_questions_sheet_lists_chosen_and_own_questions_with_room_for_answers(
    sheet_content, us_client
):
    response = us_client.post(
        QUESTIONS, {"questions": ["paying", "my-dose"], "own": "Can I travel?\n\n  Dentist?  "}
    )
    text = response.content.decode()
    assert response.status_code == 200
    questions = [part.split("</p>")[0] for part in text.split('<p class="question">')[1:]]
    assert questions == ["What is my dose?", "Is there help to pay?", "Can I travel?", "Dentist?"]
    assert text.count('class="answer-space"') == 4
    assert "no-store" in response["Cache-Control"]


def test_own_questions_are_escaped(sheet_content, us_client):
    response = us_client.post(QUESTIONS, {"own": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose or write at least one question."),
        ({"own": "   \n  "}, "Choose or write at least one question."),
        ({"questions": ["draft"]}, "Choose questions from the list."),
        ({"questions": ["nope"]}, "Choose questions from the list."),
        ({"own": "x" * 201}, "Keep each question under 200 letters"),
        ({"own": "\n".join(f"Question {n}?" for n in range(11))}, "at most 10 questions"),
        ({"own": "x" * 5000}, "This is too much text."),
    ],
)
def test_bad_questions_get_the_form_again_with_a_plain_message(
    sheet_content, us_client, data, message
):
    response = us_client.post(QUESTIONS, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_own_questions_are_not_logged(sheet_content, us_client, caplog):
    with caplog.at_level(logging.DEBUG):
        us_client.post(QUESTIONS, {"own": "Private worry about my son?"})
        us_client.post(QUESTIONS, {"own": "Private worry" * 100})
    assert "Private worry" not in caplog.text


def test_the_blank_diary_has_a_row_per_day_and_the_warning_signs(sheet_content, us_client):
    response = us_client.get(DIARY)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<tr") == 1 + 28
    assert text.count('aria-label="Fever or other signs of infection"') == 28
    assert text.count('aria-label="Unusual bleeding or bruising"') == 28
    assert "Call 911 now</strong> if you have: chest pain." in text
    assert "A draft sign" not in text
    assert "Dexamethasone" not in text  # no condition chosen
    assert "does not replace your care team" in text
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_diary_may_be_printed_without_a_condition_the_calendar_may_not(
    sheet_content, us_client
):
    diary = us_client.get(DIARY).content.decode()
    assert re.search(
        r'<select name="condition"[^>]*>\s*<option value="" selected>Not chosen</option>', diary
    )
    calendar = us_client.get("/my-calendar/").content.decode()
    assert "Not chosen" not in calendar
    assert 'type="radio" name="condition" value="multiple-myeloma"' in calendar


def test_the_diary_follows_the_warning_signs_editors_publish(sheet_content, us_client):
    WarningSign.objects.filter(key="draft-sign").update(status=Status.PUBLISHED)
    WarningSign.objects.filter(key="bleeding").update(status=Status.DRAFT)
    text = us_client.get(DIARY).content.decode()
    assert text.count('aria-label="A draft sign"') == 28
    assert "Unusual bleeding" not in text


def test_a_filled_in_diary_has_dates_and_the_schedules_days(sheet_content, us_client):
    start = timezone.localdate()
    response = us_client.get(DIARY, {"condition": "multiple-myeloma", "start": start.isoformat()})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("POMALYST</td>") + text.count("POMALYST<br>") == 21
    assert text.count("Rest day") == 7
    assert text.count(">Dexamethasone") == 4
    last = start + datetime.timedelta(days=27)
    assert f'datetime="{last.isoformat()}"' in text
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-13-01"},
        {"start": "soon"},
        {"start": "1999-01-01"},
        {"condition": "lung-cancer"},
    ],
)
def test_bad_diary_input_gets_a_plain_400(sheet_content, us_client, params):
    response = us_client.get(DIARY, params)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_huge_diary_query_gets_a_plain_400(sheet_content, us_client):
    response = us_client.get(DIARY, {"start": "1" * 1500})
    assert response.status_code == 400
    assert "This address is too long" in response.content.decode()


def test_shipped_warning_signs_and_questions(seeded, us_client):
    emergency = set(
        WarningSign.objects.filter(urgency=Urgency.EMERGENCY).values_list("text", flat=True)
    )
    assert emergency == {
        "Chest pain",
        "Trouble breathing",
        "Swelling of the face, lips, tongue or throat",
        "Signs of a stroke",
    }
    assert WarningSign.objects.filter(urgency=Urgency.CALL_NOW).count() == 7
    assert all(q.text.endswith("?") for q in SuggestedQuestion.objects.all())
    assert DosingSchedule.objects.published().count() == 2
    for url in ("/sheets/", QUESTIONS, DIARY):
        assert us_client.get(url).status_code == 200


def test_a_page_can_show_the_same_warning_signs_as_the_diary(sheet_content, make_page, us_client):
    page = make_page(slug="safety", sections=(("When to call", "Call us."),))
    page.sections.update(figure="warning-signs")
    text = us_client.get("/safety/").content.decode()
    assert "<li>Chest pain</li>" in text
    assert "<li>Fever or other signs of infection</li>" in text
    assert "A draft sign" not in text
    assert 'href="/sheets/diary/"' in text


def test_the_tools_are_in_the_menu_the_sitemap_and_linked_where_readers_need_them(
    seeded, us_client
):
    home = us_client.get("/").content.decode()
    for path in ("/my-calendar/", "/glossary/", "/search/", "/sheets/"):
        assert f'<a href="{path}"' in home, path
    assert 'href="/my-calendar/"' in us_client.get("/taking-pomalyst/").content.decode()
    assert 'href="/sheets/diary/"' in us_client.get("/safety/").content.decode()
    assert 'href="/sheets/questions/"' in us_client.get("/guides/").content.decode()
    sitemap = us_client.get("/sitemap.xml").content.decode()
    for path in ("/my-calendar/", "/glossary/", "/search/", "/sheets/questions/", "/sheets/diary/"):
        assert f"{path}</loc>" in sitemap, path
    assert "/?" not in sitemap  # never a personal answer


@pytest.mark.parametrize(
    "model", ["glossaryterm", "searchsynonym", "warningsign", "suggestedquestion", "dosingschedule"]
)
def test_editors_manage_the_tools_content_in_the_admin(admin_client, seeded, model):
    from django.apps import apps

    item = apps.get_model("content", model).objects.first()
    for url in (
        f"/admin/content/{model}/",
        f"/admin/content/{model}/add/",
        f"/admin/content/{model}/{item.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", ["warningsign", "suggestedquestion"])
def test_editors_find_a_sheet_line_by_its_words(admin_client, seeded, model):
    from django.apps import apps

    lines = apps.get_model("content", model).objects.all()
    wanted = lines.first()
    other = lines.exclude(text__icontains=wanted.text).first()
    html = admin_client.get(f"/admin/content/{model}/", {"q": wanted.text}).content.decode()
    assert f"/admin/content/{model}/{wanted.pk}/change/" in html
    assert f"/admin/content/{model}/{other.pk}/change/" not in html
