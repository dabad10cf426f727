"""Each Markdown text shows its Flesch-Kincaid reading grade, with the target of 8."""

import importlib.metadata
import socket

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from content.markdown.readability import describe_grade, reading_grade
from content.models import Guide

from .conftest import as_draft, change_url, open_change_form

pytestmark = pytest.mark.django_db

PLAIN = (
    "Take one capsule each day. Swallow it whole with water. Do not open it. "
    "Take it at the same time each day. If you miss a dose, ask your care team what to do. "
    "Keep the capsules in a safe place."
)
HARD = (
    "Pomalidomide, an immunomodulatory antineoplastic derivative of thalidomide, demonstrates "
    "considerable antiproliferative and proapoptotic characteristics in haematological "
    "malignancies, particularly relapsed or refractory multiple myeloma, consequently "
    "necessitating comprehensive pharmacovigilance, contraceptive counselling and "
    "thromboprophylactic consideration throughout administration."
)


def test_plain_text_scores_at_or_below_the_target_and_dense_text_above():
    assert reading_grade(PLAIN) <= 8 < reading_grade(HARD)


def test_the_grade_counts_what_readers_see_not_link_addresses():
    linked = PLAIN.replace("care team", "[care team](/support/#a-very-long-anchor-name-here)")
    assert reading_grade(linked) == reading_grade(PLAIN)


def test_a_very_short_text_is_not_given_a_grade():
    assert reading_grade("Call your doctor.") is None


def test_a_text_under_thirty_words_is_too_short_to_grade_not_grade_zero():
    short = "Stop and call your doctor. " * 5 + "Call them now."  # 28 words, very plain
    assert reading_grade(short) is None
    assert describe_grade(reading_grade(short)) == "Too short to grade (fewer than 30 words)."
    assert reading_grade(short + " Do it.") == 1  # 30 words: graded, and never below grade 1
    assert describe_grade(1) == "Reading grade 1 or lower: within the target of 8 or lower."


def test_grades_are_whole_numbers_and_said_without_tenths():
    grade = reading_grade(HARD)
    assert grade == int(grade) > 8
    assert describe_grade(grade).startswith(f"Reading grade {int(grade)}: above the target")
    assert "." not in describe_grade(grade).split(":")[0]
    assert reading_grade(PLAIN) == int(reading_grade(PLAIN))


def test_the_grade_is_worked_out_without_any_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("textstat tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert reading_grade(HARD) > 8
    assert importlib.metadata.version("textstat") == "0.7.3"


def test_the_grade_is_stored_on_save():
    guide = Guide.objects.create(
        slug="g", title="G", summary="S", published_on="2026-01-01", body=HARD
    )
    assert guide.reading_grade == reading_grade(HARD)


def test_saving_hard_text_shows_a_warning_with_the_target(editor_client):
    guide = Guide.objects.create(
        slug="g", title="G", summary="S", published_on="2026-01-01", body=PLAIN
    )
    data = open_change_form(editor_client, guide) | {"body": HARD}
    response = editor_client.post(change_url(guide), data)
    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert any(level == "warning" and "above the target of 8" in text for level, text in shown)


def test_saving_plain_text_adds_no_note_about_the_grade(editor_client):
    guide = Guide.objects.create(
        slug="g", title="G", summary="S", published_on="2026-01-01", body=HARD
    )
    data = open_change_form(editor_client, guide) | {"body": PLAIN}
    response = editor_client.post(change_url(guide), data)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown and not any("grade" in text.lower() for text in shown)


def test_saving_a_page_gives_one_short_note_naming_its_hardest_text(editor_client, safety_page):
    """Not a list of every section's grade: how many are above the target, and the hardest."""
    safety_page = as_draft(safety_page)  # saved directly (a live page's edit waits for review)
    for section in safety_page.sections.all():
        section.body = PLAIN
        section.save()
    data = open_change_form(editor_client, safety_page)
    data["sections-0-body"], data["sections-1-body"] = HARD, HARD + " " + HARD.replace(",", ".")
    response = editor_client.post(change_url(safety_page), data)
    notes = [str(m) for m in get_messages(response.wsgi_request) if "grade" in str(m).lower()]
    hardest = max(safety_page.sections.all(), key=lambda s: s.reading_grade)
    assert notes == [
        f"Reading grade: 2 of 3 texts are above the target of 8. The hardest is “{hardest}” "
        f"(grade {hardest.reading_grade:.0f}). Shorter sentences and everyday words make it "
        "easier to read."
    ]


def test_live_reading_grade_answers_the_editor_as_they_type(editor_client, client):
    url = reverse("reading_grade")
    data = editor_client.post(url, {"content": HARD}).json()
    assert data["above"] is True and data["grade"] > 8 and "above the target" in data["message"]
    assert editor_client.post(url, {"content": "Hi."}).json()["grade"] is None


def test_live_reading_grade_is_for_staff_only(db):
    from django.test import Client

    response = Client().post(reverse("reading_grade"), {"content": HARD})
    assert response.status_code == 302


def test_page_list_shows_the_hardest_grade_of_the_page_and_its_sections(editor_client, safety_page):
    section = safety_page.sections.first()
    section.body = HARD
    section.save()
    html = editor_client.get(reverse("admin:content_page_changelist")).content.decode()
    assert f">{section.reading_grade:.0f} (above 8)<" in html
