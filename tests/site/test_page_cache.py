"""The public page cache: fast, never stale after an editor's save, never shared wrongly."""

import datetime
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import caches
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from content.editing import revisions, signoff
from content.editing.permissions import sync_reviewers_group
from content.editing.schedule import run_due
from content.models import OnExpiry, Snippet, Status
from pomsite import page_cache
from pomsite.cache_url import cache_from_url
from pomsite.page_cache import GENERATION_KEY, PublicPageCacheMiddleware
from tests.editing.conftest import submit_and_approve

BASE_DIR = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def cached_page(published_page, isi):
    """A public page and the safety summary every page shows."""
    return published_page


def test_repeat_visit_is_served_from_the_cache_without_any_query(
    client, cached_page, django_assert_num_queries
):
    first = client.get("/safety/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/safety/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_head_request_is_served_from_the_cache(client, cached_page, django_assert_num_queries):
    client.get("/safety/")
    with django_assert_num_queries(0):
        response = client.head("/safety/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_editors_save_is_visible_on_the_next_request(client, cached_page):
    assert b"Know the warning signs." in client.get("/safety/").content
    section = cached_page.sections.get()
    section.body = "Call your doctor at once."
    section.save()
    response = client.get("/safety/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Call your doctor at once." in response.content
    assert b"Know the warning signs." not in response.content


def test_editing_a_site_wide_text_refreshes_every_cached_page(client, cached_page):
    client.get("/safety/")
    Snippet.objects.filter(key="isi-summary").get().delete()
    assert client.get("/safety/")["X-Page-Cache"] == "miss"


def test_unpublishing_a_page_removes_it_from_the_public_on_the_next_request(client, cached_page):
    assert client.get("/safety/").status_code == 200
    cached_page.status = Status.DRAFT
    cached_page.save()
    assert client.get("/safety/").status_code == 404


def test_an_editor_saving_through_the_admin_is_visible_at_once(client, admin_client, cached_page):
    client.get("/safety/")
    response = admin_client.post(
        f"/admin/content/page/{cached_page.pk}/change/",
        {
            "slug": "safety",
            "title": "Safety first",
            "summary": "Safety information.",
            "status": Status.PUBLISHED,
            "intro": "",
            "on_expiry": "flag",
            # The editors' admin refuses a save without the version it was opened at.
            "edit_version": str(cached_page.version),
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    # The page is live, so the change waits for medical review; published, it shows at once.
    assert b"Safety first" not in client.get("/safety/").content
    reviewer = User.objects.create_user("reviewer", is_staff=True)
    reviewer.groups.add(sync_reviewers_group())
    revision = revisions.pending_revision(cached_page)
    signoff.submit(revision, revision.created_by)
    signoff.approve(revision.pk, reviewer, digest=revisions.data_digest(revision.data))
    assert b"Safety first" in client.get("/safety/").content


def bump_in_another_process(env: dict[str, str] | None = None, configure: str = "") -> None:
    """What another gunicorn worker or app server does when an editor saves there."""
    code = (
        "import django; from django.conf import settings;"
        f"{configure}"
        "django.setup(); from pomsite.page_cache import bump_generation; bump_generation()"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=(env or os.environ) | {"DJANGO_SETTINGS_MODULE": "pomsite.settings_test"},
        check=True,
        timeout=60,
    )


def test_a_save_in_another_worker_process_is_seen_here_with_the_default_cache(
    client, cached_page, settings
):
    """With the default local-memory cache each gunicorn worker has its own pages, but they all
    read one generation number, so a save made through any worker is seen by every worker."""
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    client.get("/safety/")
    assert client.get("/safety/")["X-Page-Cache"] == "hit"
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL"}}
    bump_in_another_process(env)
    assert client.get("/safety/")["X-Page-Cache"] == "miss"


def test_a_save_on_another_app_server_is_seen_here(client, cached_page, tmp_path, settings):
    """Two processes sharing one cache (files here, Redis or Memcached in production): a save
    handled by the other server invalidates the pages this one has cached."""
    shared = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path),
        "KEY_PREFIX": "pomsite",
    }
    settings.CACHES = {"default": shared, "page-generation": shared}
    client.get("/safety/")
    assert client.get("/safety/")["X-Page-Cache"] == "hit"
    bump_in_another_process(configure=f"settings.configure(CACHES={settings.CACHES!r});")
    assert client.get("/safety/")["X-Page-Cache"] == "miss"


def test_gate_cookie_state_is_part_of_the_key(client, cached_page):
    assert client.get("/safety/")["X-Page-Cache"] == "miss"
    client.cookies["us_audience"] = "yes"
    assert client.get("/safety/")["X-Page-Cache"] == "miss"
    assert client.get("/safety/")["X-Page-Cache"] == "hit"
    client.cookies["us_audience"] = "no"
    assert client.get("/safety/")["X-Page-Cache"] == "hit"  # the same copy as no cookie at all


def test_gate_cookie_name_comes_from_the_setting(client, cached_page, settings):
    settings.AUDIENCE_GATE_COOKIE = "audience_ok"
    client.get("/safety/")
    client.cookies["audience_ok"] = "yes"
    assert client.get("/safety/")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "anything"])
def test_visitors_with_a_session_or_other_cookies_bypass_the_cache(client, cached_page, cookie):
    client.get("/safety/")
    client.cookies[cookie] = "value"
    response = client.get("/safety/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_logged_in_editor_is_never_served_a_cached_page(admin_client, client, cached_page):
    client.get("/safety/")
    response = admin_client.get("/safety/")
    assert "X-Page-Cache" not in response


def test_each_host_has_its_own_copies(client, cached_page, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    assert client.get("/safety/", headers={"host": "a.example"})["X-Page-Cache"] == "miss"
    assert client.get("/safety/", headers={"host": "b.example"})["X-Page-Cache"] == "miss"
    assert client.get("/safety/", headers={"host": "a.example"})["X-Page-Cache"] == "hit"


def test_unknown_query_parameters_are_served_but_not_cached(client, cached_page):
    client.get("/safety/?utm_source=newsletter")
    response = client.get("/safety/?utm_source=newsletter")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_known_query_parameters_are_cached_separately(client, cached_page):
    assert client.get("/guides/?page=1")["X-Page-Cache"] == "miss"
    assert client.get("/guides/")["X-Page-Cache"] == "miss"
    assert client.get("/guides/?page=1")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("url", ["/admin/login/", "/health/", "/no-such-page/"])
def test_admin_health_and_missing_pages_are_never_cached(client, db, url):
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_cached_pages_tell_a_cdn_how_to_cache_them(client, cached_page, settings):
    settings.PAGE_CACHE_CDN_SECONDS = 120
    for response in (client.get("/safety/"), client.get("/safety/")):
        assert "Cookie" in response["Vary"]
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=120"} <= directives
        assert not response.cookies


def test_security_headers_are_added_to_cached_pages_too(client, cached_page):
    client.get("/safety/")
    response = client.get("/safety/")
    assert response["X-Page-Cache"] == "hit"
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_page_cache_can_be_turned_off(client, cached_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/safety/")
    assert "X-Page-Cache" not in client.get("/safety/")


def run_through_cache(response_factory, request=None):
    """Two identical requests through the middleware; returns how many times the view ran."""
    calls = []

    def view(request):
        calls.append(request)
        return response_factory()

    middleware = PublicPageCacheMiddleware(view)
    for _ in range(2):
        middleware(request or RequestFactory().get("/page/"))
    return len(calls)


def cookie_setting_response():
    response = HttpResponse("hello")
    response.set_cookie("us_audience", "yes")
    return response


def response_with(**headers):
    def factory():
        response = HttpResponse("hello")
        for name, value in headers.items():
            response[name.replace("_", "-")] = value
        return response

    return factory


@pytest.mark.parametrize(
    "factory",
    [
        cookie_setting_response,
        response_with(Cache_Control="private"),
        response_with(Cache_Control="no-store"),
        response_with(Cache_Control="max-age=0, no-cache, no-store, must-revalidate, private"),
        response_with(Vary="Accept-Language"),
        response_with(Content_Encoding="gzip"),
        lambda: HttpResponse("gone", status=404),
        lambda: HttpResponse("moved", status=302),
        lambda: StreamingHttpResponse(iter([b"a", b"b"])),
    ],
    ids=[
        "sets-cookie",
        "private",
        "no-store",
        "never-cache",
        "varies-on-language",
        "compressed",
        "404",
        "302",
        "streaming",
    ],
)
def test_responses_that_must_not_be_shared_are_not_cached(db, factory):
    assert run_through_cache(factory) == 2


def test_a_plain_public_response_is_cached(db):
    assert run_through_cache(response_with()) == 1


def test_post_requests_are_never_cached(db):
    assert run_through_cache(response_with(), RequestFactory().post("/page/")) == 2


def test_the_page_cache_being_down_does_not_take_the_site_down(client, cached_page, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(page_cache.cache, "get", broken)
    monkeypatch.setattr(page_cache.cache, "set", broken)
    response = client.get("/safety/")
    assert response.status_code == 200
    assert b"Know the warning signs." in response.content


def test_a_lost_generation_number_is_never_reused(cached_page):
    """If the cache evicts the generation number, the new one must not match old pages' keys."""
    first = page_cache.current_generation()
    caches[page_cache.GENERATION_CACHE].delete(GENERATION_KEY)
    assert page_cache.current_generation() != first


@pytest.fixture
def redis_url(tmp_path, unused_port):
    """A real Redis server (Debian's redis-server) on loopback, for this test only.

    Missing on a developer's machine: skipped. In CI (.ci/run installs it): a failure."""
    server = shutil.which("redis-server")
    if not server:
        message = "redis-server is missing (.ci/run installs it with apt)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    process = subprocess.Popen(
        [server, "--port", str(unused_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{unused_port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        process.terminate()
        pytest.fail("redis-server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_a_save_on_another_app_server_is_seen_here_through_redis(client, cached_page, redis_url):
    """Production's shared cache, for real: pages and the generation number live in Redis, and a
    save handled by another app server (another process) invalidates what this one cached."""
    shared = cache_from_url(redis_url, key_prefix="pomsite-test")
    caches_setting = {"default": shared, "page-generation": shared}
    with override_settings(CACHES=caches_setting):
        assert client.get("/safety/")["X-Page-Cache"] == "miss"
        assert client.get("/safety/")["X-Page-Cache"] == "hit"
        assert redis.Redis.from_url(redis_url).keys("pomsite-test:*page-cache:*")
        bump_in_another_process(configure=f"settings.configure(CACHES={caches_setting!r});")
        assert client.get("/safety/")["X-Page-Cache"] == "miss"


def test_with_the_cache_server_down_pages_still_render_and_health_says_so(
    client, cached_page, cache_server_down
):
    with cache_server_down:
        page = client.get("/safety/")
        health = client.get("/health/")
    assert page.status_code == 200
    assert b"Know the warning signs." in page.content
    assert health.status_code == 503
    assert health.json()["cache"] == "unavailable"
    assert health.json()["database"] == "ok"


def test_a_page_served_from_the_cache_carries_every_security_header(client, cached_page):
    """Hits skip the inner middleware, so the stored copy must hold the headers they added."""
    first = client.get("/safety/")
    hit = client.get("/safety/")
    assert hit["X-Page-Cache"] == "hit"
    for header in [
        "Content-Security-Policy",
        "Permissions-Policy",
        "Cross-Origin-Resource-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Vary",
        "Cache-Control",
    ]:
        assert hit[header] == first[header], header
    assert "script-src 'self'" in hit["Content-Security-Policy"]


def test_a_scheduled_publication_and_an_expiry_show_at_once(client, cached_page, make_guide):
    """The scheduler saves like an editor does, so cached pages change on the next request."""
    make_guide(slug="old", title="Old guide", expires_on=timezone.localdate(),
               on_expiry=OnExpiry.TAKE_OFFLINE)  # fmt: skip
    new = make_guide(slug="new", title="New guide", status=Status.DRAFT,
                     publish_at=timezone.now() + datetime.timedelta(minutes=5))  # fmt: skip
    submit_and_approve(new)  # a medical reviewer approves it to go live at that time
    before = client.get("/guides/")
    assert client.get("/guides/")["X-Page-Cache"] == "hit"
    assert b"Old guide" in before.content and b"New guide" not in before.content

    run_due(timezone.now() + datetime.timedelta(minutes=5))
    after = client.get("/guides/")
    assert after["X-Page-Cache"] == "miss"
    assert b"New guide" in after.content and b"Old guide" not in after.content
    assert client.get("/guides/old/").status_code == 404
    assert client.get("/guides/new/").status_code == 200
