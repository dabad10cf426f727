"""Lockout after repeated failed logins (django-axes); the admin address is a setting."""

import importlib

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse, set_urlconf

import pomsite.urls
from pomsite import audience

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


def test_tests_can_still_use_client_login_when_axes_is_off(settings, client, editor):
    settings.AXES_ENABLED = False
    assert client.login(username="editor1", password="a-long-password-1")


def login(client: Client, username: str, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR="203.0.113.7",
    )


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(editor):
    client = Client()
    for _ in range(4):
        assert login(client, "editor1", "wrong-password").status_code == 200
    locked = login(client, "editor1", "wrong-password")
    assert locked.status_code == 429
    assert "Login paused" in locked.content.decode()
    assert login(client, "editor1", "a-long-password-1").status_code == 429


def test_a_correct_password_before_the_limit_logs_in_and_resets_the_count(editor):
    client = Client()
    for _ in range(4):
        login(client, "editor1", "wrong-password")
    assert login(client, "editor1", "a-long-password-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "editor1", "wrong-password").status_code == 200


@pytest.fixture
def admin_at_custom_url(settings):
    settings.ADMIN_URL = "site-editors/"
    importlib.reload(pomsite.urls)
    clear_url_caches()
    set_urlconf(None)
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(pomsite.urls)
    clear_url_caches()
    set_urlconf(None)


def test_the_admin_lives_under_the_admin_url_setting(client, admin_at_custom_url):
    assert reverse("admin:index") == "/site-editors/"
    assert reverse("review_overdue") == "/site-editors/reviews-due/"
    response = client.get("/site-editors/")
    assert response.status_code == 302 and response["Location"].startswith("/site-editors/login/")
    assert client.get("/admin/").status_code == 404
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /site-editors/" in robots and "/admin/" not in robots


def test_the_admin_under_another_url_is_never_a_public_page(request):
    """The gate and the page cache leave the admin alone wherever it lives (the answer is kept
    between requests, so it must follow the setting)."""
    assert not audience.is_public_page("/admin/")
    request.getfixturevalue("admin_at_custom_url")
    assert not audience.is_public_page("/site-editors/login/")
    assert audience.is_public_page("/admin/")
