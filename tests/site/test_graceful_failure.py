"""When things break: styled error pages that need no database, and no traceback for visitors.

The outage tests run the site in a separate process and take its database away for real: a
SQLite file whose directory is deleted, and a PostgreSQL address where no server listens.
"""

import json

import pytest
from django.template.loader import render_to_string
from django.test import Client

from content import views as content_views
from pomsite import views as site_views


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def assert_styled_page(body: str, heading: str) -> None:
    assert f"<h1>{heading}</h1>" in body
    assert 'rel="stylesheet"' in body and "css/site" in body
    assert '<main id="main-content"' in body
    assert "Traceback" not in body


def test_404_page_is_styled_and_needs_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert_styled_page(response.content.decode(), "Page not found")
    assert 'aria-label="Main"' in response.content.decode()  # the site's own menu


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("500.html", "Something went wrong"),
        ("503.html", "Back in a moment"),
        ("400.html", "That address did not work"),
    ],
)
def test_error_templates_render_without_request_or_database(template, heading):
    """No `db` fixture: pytest-django makes any database access here an error."""
    assert_styled_page(render_to_string(template), heading)


def test_unexpected_error_gives_the_styled_500_page_and_no_traceback(
    client, published_page, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(content_views, "_page_with_sections", broken)
    response = client.get("/safety/")
    assert response.status_code == 500
    body = response.content.decode()
    assert_styled_page(body, "Something went wrong")
    assert "secret internal detail" not in body
    assert "no-store" in response["Cache-Control"]


def test_bad_host_gives_the_styled_400_page(client, db):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert_styled_page(response.content.decode(), "That address did not work")


def test_database_error_in_a_view_gives_a_styled_503_with_retry_after(
    client, published_page, database_down, caplog
):
    database_down()
    response = client.get("/safety/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert_styled_page(response.content.decode(), "Back in a moment")
    assert any("Database unavailable" in record.getMessage() for record in caplog.records)


def test_health_says_the_cache_is_down(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(site_views.cache, "set", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}


def test_health_is_ok_when_database_and_cache_answer(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


# The site in another process, whose database goes away part-way through.
SITE_SCRIPT = """
import json, os, shutil
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

settings.PAGE_CACHE_SECONDS = 600
client = Client(raise_request_exception=False)

def visit(url):
    r = client.get(url)
    return {"status": r.status_code, "cache": r.get("X-Page-Cache"),
            "retry_after": r.get("Retry-After"), "body": r.content.decode()}

results = {}
if os.environ.get("DB_DIR"):
    call_command("migrate", verbosity=0)
    from content.models import Page, Section
    page = Page.objects.create(slug="safety", title="Safety", summary="s", status="published")
    Section.objects.create(page=page, heading="Blood clots", body="Know the warning signs.")
    results["before"] = visit("/safety/")
    connection.close()
    shutil.rmtree(os.environ["DB_DIR"])  # the database is gone
    results["cached"] = visit("/safety/")
    from pomsite.page_cache import bump_generation
    bump_generation()  # as if an editor had saved just before the outage
    results["last_good_copy"] = visit("/safety/")
for name, url in [("never_cached", "/taking-pomalyst/"), ("home", "/"),
                  ("health", "/health/"), ("not_found", "/no/such/page/")]:
    results[name] = visit(url)
print("RESULTS " + json.dumps(results))
"""


def assert_outage_page(visit: dict) -> None:
    assert visit["status"] == 503
    assert int(visit["retry_after"]) > 0
    assert "<h1>Back in a moment</h1>" in visit["body"]


def test_sqlite_database_gone_cached_pages_keep_being_served_and_others_get_503(
    tmp_path, run_site_script
):
    db_dir = tmp_path / "database"
    db_dir.mkdir()
    results = run_site_script(
        SITE_SCRIPT,
        timeout=120,
        DATABASE_URL=f"sqlite:///{db_dir / 'db.sqlite3'}",
        DB_DIR=str(db_dir),
    )
    assert results["before"]["status"] == 200
    assert results["cached"] == results["before"] | {"cache": "hit"}
    assert results["last_good_copy"]["status"] == 200
    assert results["last_good_copy"]["cache"] == "stale"
    assert "Know the warning signs." in results["last_good_copy"]["body"]
    assert_outage_page(results["never_cached"])
    assert_outage_page(results["home"])
    assert json.loads(results["health"]["body"])["database"] == "unavailable"
    assert results["health"]["status"] == 503
    assert results["not_found"]["status"] == 404
    assert "Database unavailable" in results["log"]


def test_postgresql_server_unreachable_gives_503_and_health_names_the_database(
    run_site_script, unused_port
):
    results = run_site_script(
        SITE_SCRIPT,
        timeout=120,
        DATABASE_URL=f"postgres://pomsite:pw@127.0.0.1:{unused_port}/pomsite",
    )
    assert_outage_page(results["never_cached"])
    assert_outage_page(results["home"])
    assert results["health"]["status"] == 503
    assert json.loads(results["health"]["body"]) == {
        "status": "error",
        "database": "unavailable",
        "cache": "ok",
    }
    assert results["not_found"]["status"] == 404
    assert "pw@" not in results["log"]  # the database password never reaches the log


def test_refused_form_gets_a_styled_page_without_inline_styles(db):
    """Django's own CSRF failure page carries an inline <style> the CSP would block."""
    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert_styled_page(body, "Please try again")
    assert "<style" not in body
