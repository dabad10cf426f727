"""Security headers on public pages, the admin and error pages, under the production settings."""

import re
import runpy
from pathlib import Path

import pytest
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]
SIX_MONTHS = 183 * 24 * 60 * 60
STRICT_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
PRODUCTION_SECURITY_SETTINGS = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|CONTENT_SECURITY_POLICY|PERMISSIONS_POLICY|X_FRAME)"
)


@pytest.fixture
def production_security(settings, monkeypatch):
    """Apply the security settings exactly as the settings module makes them for production."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "only-used-to-read-the-settings-module-" + "x" * 20)
    monkeypatch.setenv("DJANGO_HTTPS", "true")
    monkeypatch.setenv("DJANGO_BEHIND_PROXY", "true")
    monkeypatch.delenv("DJANGO_HSTS_SECONDS", raising=False)
    values = runpy.run_path(str(BASE_DIR / "pomsite" / "settings.py"))
    for name, value in values.items():
        if PRODUCTION_SECURITY_SETTINGS.match(name):
            setattr(settings, name, value)
    return values


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict_security_headers(response) -> None:
    csp = csp_directives(response)
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "Content-Security-Policy-Report-Only" not in response

    hsts = response["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= SIX_MONTHS
    assert "includeSubDomains" in hsts

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in STRICT_REFERRER_POLICIES
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "fullscreen"):
        assert policy[feature] == "()", feature


@pytest.mark.usefixtures("production_security", "published_page")
@pytest.mark.parametrize(
    ("url", "status"), [("/safety/", 200), ("/admin/login/", 200), ("/no/such/page/", 404)]
)
def test_public_admin_login_and_error_pages_send_every_security_header(client, url, status):
    response = client.get(url, secure=True)
    assert response.status_code == status
    assert_strict_security_headers(response)


@pytest.mark.usefixtures("production_security")
def test_admin_pages_for_a_logged_in_editor_send_every_security_header(
    admin_client, published_page
):
    for url in ("/admin/", f"/admin/content/page/{published_page.pk}/change/"):
        response = admin_client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_strict_security_headers(response)


@pytest.mark.usefixtures("production_security")
def test_plain_http_is_redirected_to_https(client, published_page):
    response = client.get("/safety/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/safety/"


@pytest.mark.usefixtures("production_security")
def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client = Client()
    login_page = client.get("/admin/login/", secure=True)
    csrf_cookie = login_page.cookies["csrftoken"]
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "a-long-password-1"},
        secure=True,
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    for cookie in (csrf_cookie, session_cookie):
        assert cookie["secure"] is True, cookie.key
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] in {"Lax", "Strict"}, cookie.key


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.I)


@pytest.mark.parametrize(
    "template",
    sorted((BASE_DIR / "templates").rglob("*.html")),
    ids=lambda path: str(path.relative_to(BASE_DIR / "templates")),
)
def test_templates_have_no_inline_script_event_handler_or_style(template):
    """The CSP would block them in the browser: keep them out of the source."""
    source = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(source)
    assert not EVENT_HANDLER.search(source)
    assert not INLINE_STYLE.search(source)
