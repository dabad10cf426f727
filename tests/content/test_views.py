"""Public pages as a visitor sees them: status codes, words, query counts, and bad input."""

import datetime
import re

import pytest

from content.models import Guide, Status
from tests.request_guard import refused_up_front


def test_every_public_page_answers_within_three_queries(
    client, public_pages, django_assert_max_num_queries
):
    for url in public_pages:
        with django_assert_max_num_queries(3):
            response = client.get(url)
        assert response.status_code == 200


def test_every_public_page_carries_the_safety_summary_and_the_advice_note(client, public_pages):
    for url in public_pages:
        html = client.get(url).content.decode()
        assert 'aria-labelledby="isi-heading"' in html
        assert "POMALYST can harm an unborn baby" in html
        assert "POMALYST can cause blood clots" in html
        assert "It is not medical advice" in html
        assert "Content last changed:" in html


def test_every_public_page_has_a_skip_link_landmarks_and_a_labelled_nav(client, public_pages):
    for url in public_pages:
        html = client.get(url).content.decode()
        assert html.index('class="skip-link" href="#main-content"') < html.index("<header")
        assert '<main id="main-content"' in html
        assert '<nav class="main-nav" aria-label="Main">' in html
        assert '<html lang="en-US"' in html
        assert html.count("<h1") == 1


def test_public_pages_set_no_cookies(client, public_pages):
    for url in public_pages:
        assert not client.get(url).cookies, url


def test_menu_marks_the_current_page(client, seeded):
    html = client.get("/safety/").content.decode()
    assert '<a href="/safety/" aria-current="page">Safety</a>' in html
    assert '<a href="/" aria-current="page">' not in html


def test_a_draft_page_is_not_found_by_the_public(client, make_page):
    make_page(slug="safety", status=Status.DRAFT)
    response = client.get("/safety/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_draft_guide_is_not_found_and_not_listed(client, make_guide):
    make_guide(slug="secret", title="Secret draft", status=Status.DRAFT)
    assert client.get("/guides/secret/").status_code == 404
    assert b"Secret draft" not in client.get("/guides/").content
    assert b"Secret draft" not in client.get("/sitemap.xml").content


def test_unknown_page_gives_the_styled_not_found_page(client, seeded):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'aria-label="Main"' in html
    assert "Important Safety Information" in html


@pytest.mark.parametrize(
    "url",
    [
        "/" + "a" * 5000 + "/",
        "/guides/" + "b" * 3000 + "/",
        "/leaving/" + "c" * 3000 + "/",
        "/s%C3%A9curit%C3%A9/",
        "/%F0%9F%92%8A/",
        "/%E2%80%AEetis/",
        "/safety%00/",
        "/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/guides/%27%20OR%201%3D1--/",
        "/leaving/https%3A%2F%2Fevil.example/",
        "/..%2F..%2Fetc%2Fpasswd/",
    ],
)
def test_odd_or_hostile_addresses_are_a_clean_not_found(client, seeded, url):
    response = client.get(url, headers={"cookie": "us_audience=yes"})
    if refused_up_front(url):
        assert response.status_code in (400, 414)
        assert b"<h1>" in response.content  # a styled page, not a traceback
    else:
        assert response.status_code == 404
        assert b"Page not found" in response.content


def test_old_home_address_redirects_to_the_root(client, seeded):
    response = client.get("/home/")
    assert response.status_code == 301
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=99999",
        "page=1e9",
        "page=" + "9" * 400,
        "audience=doctors",
        "audience=%3Cscript%3E",
    ],
)
def test_bad_guide_list_parameters_are_a_clean_not_found(client, seeded, query):
    assert client.get(f"/guides/?{query}").status_code == 404


def test_guide_list_filters_by_audience(client, seeded):
    html = client.get("/guides/?audience=caregivers").content.decode()
    assert "Caring for someone who takes POMALYST" in html
    assert "Your POMALYST dosing guide" not in html


def test_guide_list_paginates(client, db):
    for number in range(25):
        Guide.objects.create(
            slug=f"g-{number}",
            title=f"Guide {number}",
            summary="S",
            body="B",
            published_on=datetime.date(2026, 1, 1) + datetime.timedelta(number),
            status=Status.PUBLISHED,
        )
    first = client.get("/guides/").content.decode()
    second = client.get("/guides/?page=2").content.decode()
    assert first.count('class="card"') == 20
    assert second.count('class="card"') == 5
    assert "Page 1 of 2" in first


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_published_pages_and_guides(client, seeded):
    body = client.get("/sitemap.xml").content.decode()
    for path in ["/taking-pomalyst/", "/safety/", "/guides/", "/guides/pomalyst-dosing-guide/"]:
        assert f"http://testserver{path}</loc>" in body
    for path in ["/safety/", "/guides/pomalyst-dosing-guide/"]:  # with when they last changed
        assert re.search(rf"{path}</loc>\s*<lastmod>\d{{4}}-\d\d-\d\d", body), path


def test_a_section_with_empty_markdown_shows_its_heading_and_no_error(client, make_page):
    make_page(slug="support", sections=[("Coming soon", ""), ("Help paying", "Ask us.")])
    response = client.get("/support/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="coming-soon">Coming soon</h2>' in html
    assert "<p>Ask us.</p>" in html


def test_raw_html_in_a_section_is_sanitised_on_the_page(client, make_page):
    make_page(sections=[("Signs", 'Call <b onclick="x()">now</b><script>alert(1)</script>')])
    html = client.get("/safety/").content.decode()
    assert "Call <b>now</b>" in html
    assert "alert(1)" not in html
