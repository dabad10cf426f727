"""Requests no real visitor sends get a clean 4xx: never a 500, never a traceback."""

import pytest
from django.test import Client

from content.models import Page, Section, Status


@pytest.fixture
def client():
    # Exceptions become responses, as in production, instead of being raised into the test.
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def published_content(db, make_guide):
    page = Page.objects.create(
        slug="safety", title="Safety", summary="Safety information.", status=Status.PUBLISHED
    )
    Section.objects.create(page=page, heading="Blood clots", body="Know the warning signs.")
    make_guide(slug="daily-routine", title="A daily routine")


def assert_clean_client_error(response, status: int | None = None) -> None:
    assert 400 <= response.status_code < 500, response.status_code
    if status is not None:
        assert response.status_code == status
    body = b"".join(response) if response.streaming else response.content
    assert b"Traceback" not in body
    assert b"Exception" not in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:80",
        "localhost.evil.example",
        "localhost@evil.example",
        "localhost:8000@evil.example",
        "localhost/evil",
        "local host",
        "localhost\r\nX-Injected: 1",
        "",
        "a" * 300,
    ],
)
def test_unknown_or_malformed_host_header_is_rejected(client, host):
    response = client.get("/safety/", headers={"host": host})
    assert_clean_client_error(response, 400)


def test_forwarded_host_header_is_ignored(client):
    """Without USE_X_FORWARDED_HOST, a forged X-Forwarded-Host never reaches generated links."""
    response = client.get("/robots.txt", headers={"x-forwarded-host": "evil.example"})
    assert response.status_code == 200
    assert b"evil.example" not in response.content


@pytest.mark.parametrize("url", ["/" + "a" * 5000 + "/", "/guides/" + "b" * 3000 + "/"])
def test_overlong_address_gets_414(client, url):
    assert_clean_client_error(client.get(url), 414)


def test_long_address_within_the_limit_is_a_plain_404(client):
    assert_clean_client_error(client.get("/" + "a" * 500 + "/"), 404)


def test_huge_query_string_gets_414(client):
    assert_clean_client_error(client.get("/safety/?q=" + "x" * 100_000), 414)


@pytest.mark.parametrize(
    "url",
    [
        "/%E0%A4%A/",
        "/%ff%fe/",
        "/%c0%ae%c0%ae/",
        "/guides/%ZZ/",
        "/guides/%/",
        "/%25%32%65/",
        "/guides/%ed%a0%80/",
    ],
)
def test_invalid_percent_encoding_in_the_path_is_a_404(client, url):
    assert_clean_client_error(client.get(url), 404)


@pytest.mark.parametrize(
    "query",
    ["audience=%ff", "audience=%E0%A4%A", "page=%zz", "page=%", "page=99999999999999999999"],
)
def test_invalid_query_values_are_a_404(client, query):
    assert_clean_client_error(client.get(f"/guides/?{query}"), 404)


@pytest.mark.parametrize(
    "url", ["/safety%00/", "/guides/%00/", "/guides/?audience=%00", "/safety/?q=a%00b"]
)
def test_null_bytes_are_refused(client, url):
    assert_clean_client_error(client.get(url), 400)


@pytest.mark.parametrize("method", ["PROPFIND", "TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("url", ["/safety/", "/", "/sitemap.xml", "/admin/login/", "/health/"])
def test_unknown_http_methods_get_405(client, method, url):
    response = client.generic(method, url)
    assert_clean_client_error(response, 405)
    assert response["Allow"] == "GET, HEAD, POST"


def test_post_to_a_public_page_gets_405(client):
    assert_clean_client_error(client.post("/safety/", {"x": "1"}), 405)


def test_the_guard_lets_ordinary_requests_through(client):
    assert client.get("/safety/").status_code == 200
    assert client.head("/safety/").status_code == 200
    assert client.get("/guides/?audience=patients&page=1").status_code == 200
