"""Password guessing is bounded per username, from however many addresses it comes."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-1"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def editor():
    return User.objects.create_user("editor1", "e@example.com", PASSWORD, is_staff=True)


def login(password: str, address: str):
    return Client().post(
        reverse("admin:login"),
        {"username": "editor1", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def guess_from_three_addresses(times_each: int) -> list[int]:
    addresses = ["203.0.113.7", "198.51.100.23", "192.0.2.200"]
    return [login("wrong-password", address).status_code for address in addresses * times_each]


def test_guesses_from_several_addresses_lock_the_username(editor):
    statuses = guess_from_three_addresses(times_each=5)
    assert statuses.count(429) >= 10  # the lock came after the fifth guess, whatever the address
    assert login(PASSWORD, "203.0.113.99").status_code == 429


def test_a_few_mistakes_from_different_places_do_not_lock_anyone_out(editor):
    guess_from_three_addresses(times_each=1)
    assert login(PASSWORD, "203.0.113.99").status_code == 302


def test_a_locked_out_editor_gets_back_in_with_the_documented_command(editor):
    guess_from_three_addresses(times_each=2)
    assert login(PASSWORD, "203.0.113.99").status_code == 429
    call_command("axes_reset_username", "editor1")
    assert login(PASSWORD, "203.0.113.99").status_code == 302
