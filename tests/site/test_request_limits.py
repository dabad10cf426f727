"""Request bodies are limited everywhere, tightly where only a word is expected."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_large_multipart_body_to_the_audience_question_is_refused(client):
    big = SimpleUploadedFile("junk.bin", b"x" * (3 * 1024 * 1024))
    response = client.post("/audience-check/", {"answer": "yes", "next": "/", "junk": big})
    assert response.status_code == 413
    assert "too much" in response.content.decode()
    assert "Set-Cookie" not in response


def test_the_audience_answer_itself_still_works(client):
    response = client.post("/audience-check/", {"answer": "yes", "next": "/safety/"})
    assert response.status_code == 303
    assert response["Location"] == "/safety/"


def test_ten_kilobytes_to_the_audience_question_are_already_too_much(client):
    response = client.post("/audience-check/", {"answer": "yes", "next": "/" + "a" * 10_000})
    assert response.status_code == 413


def test_public_pages_take_no_body(client):
    response = client.post("/safety/", {"text": "x" * 5000})
    assert response.status_code == 413


def test_uploads_larger_than_the_picture_limit_are_refused_before_reading(admin_client, settings):
    big = SimpleUploadedFile("p.png", b"x" * (2 * settings.MARKDOWNX_UPLOAD_MAX_SIZE + 1024))
    response = admin_client.post("/markdownx/upload/", {"image": big})
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_an_editors_login_is_not_affected(client):
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code in {200, 403}  # the form again (or the CSRF page), never 413


def test_the_questions_sheet_takes_ten_long_questions_in_any_language(client):
    """Its own limit: ten questions of 200 letters, even in letters that take 9 bytes each."""
    own = "\n".join("¿" * 199 + "?" for _ in range(10))
    response = client.post("/sheets/questions/", {"own": own}, HTTP_COOKIE="us_audience=yes")
    assert response.status_code == 200
    assert client.post("/sheets/questions/", {"own": "x" * 40_000}).status_code == 413
