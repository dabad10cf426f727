"""The US-audience gate, seen through Django's test client (the browser tests cover the rest)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from content.models import Page, Section, Snippet, Status
from pomsite.audience import is_gated_path, safe_next
from pomsite.env import env_bool
from tests.request_guard import refused_up_front

GATE = "/audience-check/"
OUTSIDE_US = "/audience-check/outside-us/"
DAY = 24 * 60 * 60


@pytest.fixture
def gate_content(db):
    Snippet.objects.create(
        key="gate-question", title="Are you in the United States?", body="We ask once."
    )
    Snippet.objects.create(
        key="gate-not-us", title="This site is for people in the US", body="Thank you."
    )
    page = Page.objects.create(
        slug="safety", title="Safety facts", summary="Safety.", status=Status.PUBLISHED
    )
    Section.objects.create(page=page, heading="Blood clots", body="Clots can happen.")
    Page.objects.create(slug="home", title="Home", summary="Home.", status=Status.PUBLISHED)


def confirm(client) -> None:
    client.cookies["us_audience"] = "yes"


def test_unconfirmed_visitor_sees_the_question_before_the_content(client, gate_content):
    html = client.get("/safety/").content.decode()

    assert 'role="dialog"' in html and 'aria-labelledby="gate-title"' in html
    assert html.index("Are you in the United States?") < html.index("<h1>Safety facts</h1>")
    assert 'class="site" inert' in html


def test_content_stays_in_the_html_behind_the_question_for_crawlers(client, gate_content):
    response = client.get("/safety/", HTTP_USER_AGENT="Googlebot/2.1")

    assert response.status_code == 200
    assert "Clots can happen." in response.content.decode()


def test_a_deep_link_keeps_its_address_in_the_question(client, gate_content):
    html = client.get("/safety/?from=email").content.decode()

    assert '<input type="hidden" name="next" value="/safety/?from=email">' in html


def test_confirmed_visitor_sees_the_page_without_the_question(client, gate_content):
    confirm(client)
    html = client.get("/safety/").content.decode()

    assert 'role="dialog"' not in html
    assert "inert" not in html
    assert "Clots can happen." in html


def test_yes_remembers_the_answer_for_90_days_and_returns_to_the_page(client, gate_content):
    response = client.post(GATE, {"answer": "yes", "next": "/safety/?from=email#blood-clots"})

    assert response.status_code == 303
    assert response["Location"] == "/safety/?from=email#blood-clots"
    cookie = response.cookies["us_audience"]
    assert cookie.value == "yes"
    assert cookie["max-age"] == 90 * DAY
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@override_settings(AUDIENCE_GATE_COOKIE_DAYS=7)
def test_how_long_the_answer_is_remembered_is_a_setting(client, gate_content):
    response = client.post(GATE, {"answer": "yes", "next": "/"})

    assert response.cookies["us_audience"]["max-age"] == 7 * DAY


def test_no_leads_to_a_respectful_page_with_a_way_back_to_the_question(client, gate_content):
    response = client.post(GATE, {"answer": "no", "next": "/safety/"})

    assert response.status_code == 303
    location = urlsplit(response["Location"])
    assert location.path == OUTSIDE_US
    assert parse_qs(location.query) == {"next": ["/safety/"]}
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "This site is for people in the US" in html
    assert 'href="/audience-check/?next=%2Fsafety%2F"' in html
    question = client.get("/audience-check/?next=%2Fsafety%2F").content.decode()
    assert '<h1 id="gate-title"' in question
    assert 'name="next" value="/safety/"' in question


def test_no_forgets_an_earlier_yes(client, gate_content):
    confirm(client)
    response = client.post(GATE, {"answer": "no", "next": "/"})

    assert response.cookies["us_audience"].value == ""
    assert response.cookies["us_audience"]["max-age"] == 0


@pytest.mark.parametrize("data", [{}, {"answer": "maybe"}, {"answer": ""}, {"next": "/"}])
def test_an_answer_that_is_neither_yes_nor_no_gets_a_clear_message(client, gate_content, data):
    response = client.post(GATE, data)

    assert response.status_code == 400
    assert "Please choose one of the two answers" in response.content.decode()
    assert "us_audience" not in response.cookies


def test_other_methods_on_the_question_are_refused(client, gate_content):
    assert client.put(GATE).status_code == 405
    assert client.post(OUTSIDE_US).status_code == 405


def test_the_gate_gives_public_pages_no_session_and_no_csrf_cookie(client, gate_content):
    page = client.get("/safety/")
    answer = client.post(GATE, {"answer": "yes", "next": "/safety/"})
    after = client.get("/safety/")

    assert not page.cookies
    assert set(answer.cookies) == {"us_audience"}
    assert not after.cookies


def test_the_answer_needs_no_csrf_token(gate_content):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(GATE, {"answer": "yes", "next": "/"})

    assert response.status_code == 303


@pytest.mark.parametrize("confirmed", [False, True])
def test_public_pages_vary_on_cookie(client, gate_content, confirmed):
    if confirmed:
        confirm(client)
    response = client.get("/safety/")

    assert "Cookie" in response["Vary"]


def test_editors_change_the_questions_wording(client, gate_content):
    Snippet.objects.filter(key="gate-question").update(title="Do you live in the USA?")

    assert "Do you live in the USA?" in client.get("/").content.decode()


@override_settings(AUDIENCE_GATE_ENABLED=False)
def test_the_gate_can_be_turned_off(client, gate_content):
    html = client.get("/safety/").content.decode()

    assert 'role="dialog"' not in html
    assert "inert" not in html


def test_django_audience_gate_off_turns_the_setting_off(monkeypatch):
    monkeypatch.setenv("DJANGO_AUDIENCE_GATE", "off")
    assert env_bool("DJANGO_AUDIENCE_GATE", default=True) is False
    monkeypatch.delenv("DJANGO_AUDIENCE_GATE")
    assert env_bool("DJANGO_AUDIENCE_GATE", default=True) is True


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/login/",
        "/static/css/site.css",
        "/media/editor-images/a.png",
        "/robots.txt",
        "/sitemap.xml",
        "/health/",
        "/markdownx/markdownify/",
        GATE,
        OUTSIDE_US,
    ],
)
def test_machine_endpoints_files_admin_and_the_gate_itself_are_never_gated(path):
    assert not is_gated_path(path)


@pytest.mark.parametrize("path", ["/", "/safety/", "/guides/", "/guides/a/", "/leaving/x/"])
def test_every_public_page_is_gated(path):
    assert is_gated_path(path)


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml", "/health/", "/admin/login/"])
def test_exempt_responses_show_no_question(client, gate_content, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b'role="dialog"' not in response.content


# Each would take a visitor off this site, or to something that is not a page, if followed.
HOSTILE_NEXT = [
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "https://evil.example",
    "http://evil.example/safety/",
    "HTTPS://EVIL.EXAMPLE",
    "https:evil.example",
    "https:/evil.example",
    "https:///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "ht\ttps://evil.example",
    "h\ntt\rps://evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\x00/evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%09/evil.example",
    "／／evil.example",
    "/／evil.example",
    "\u2215\u2215evil.example",
    "/\u3000/evil.example",
    "/\u200b/evil.example",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "mailto:someone@evil.example",
    "evil.example",
    "https://evil.example@testserver/",
    "http://testserver/safety/",
    "//testserver/safety/",
    "/" + "a" * 5000,
    "/safety/?" + "x" * 2000,
    GATE,
    OUTSIDE_US + "?next=//evil.example",
]


def test_at_least_thirty_hostile_values_are_tried():
    assert len(set(HOSTILE_NEXT)) >= 30


@pytest.mark.parametrize("value", HOSTILE_NEXT)
def test_hostile_next_values_only_ever_lead_to_the_home_page(client, gate_content, value):
    response = client.post(GATE, {"answer": "yes", "next": value})

    assert response.status_code == 303
    assert response["Location"] == "/"


@pytest.mark.parametrize("value", HOSTILE_NEXT)
def test_hostile_next_values_never_reach_the_no_page_or_the_question_page(
    client, gate_content, value
):
    no = client.post(GATE, {"answer": "no", "next": value})
    question = client.get(GATE, {"next": value})
    outside = client.get(OUTSIDE_US, {"next": value})

    assert no["Location"] == "/audience-check/outside-us/?next=%2F"
    if refused_up_front(value):
        # Null bytes and overlong addresses never reach the gate: a clean 400 or 414.
        for response in (question, outside):
            assert response.status_code in (400, 414)
            assert "evil.example" not in response.content.decode()
        return
    assert 'name="next" value="/"' in question.content.decode()
    assert 'href="/audience-check/?next=%2F"' in outside.content.decode()


@pytest.mark.parametrize(
    "value",
    ["/", "/safety/", "/safety/#blood-clots", "/guides/?audience=patients&page=2", "/a%20b/"],
)
def test_paths_on_this_site_are_kept(value):
    assert safe_next(value) == value


@pytest.mark.parametrize("value", [None, 42, ["/safety/"], ""])
def test_a_missing_or_odd_next_means_the_home_page(value):
    assert safe_next(value) == "/"


def test_a_signed_in_editor_is_not_asked(client, gate_content, django_user_model):
    """An editor previewing a change sees the page, not the visitors' question."""
    editor = django_user_model.objects.create_user("gate-editor", password="x" * 16, is_staff=True)
    client.force_login(editor)
    html = client.get("/safety/").content.decode()
    assert 'role="dialog"' not in html and "inert" not in html
    assert "Clots can happen." in html


def test_a_signed_in_non_editor_is_still_asked(client, gate_content, django_user_model):
    someone = django_user_model.objects.create_user("gate-someone", password="x" * 16)
    client.force_login(someone)
    assert 'role="dialog"' in client.get("/safety/").content.decode()
