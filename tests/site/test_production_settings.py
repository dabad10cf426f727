"""Production configuration: everything from the environment, and `check --deploy` clean.

These run the real settings module (pomsite/settings.py), either in a fresh Python process or with
runpy and a controlled environment, never the test settings.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pomsite.cache_url import cache_from_url
from tests.site.environment import clean_environment

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_FILE = BASE_DIR / "pomsite" / "settings.py"
GUNICORN_CONFIG = BASE_DIR / "pomsite" / "gunicorn.conf.py"
SIX_MONTHS = 183 * 24 * 60 * 60

# A realistic production environment (no real secret: a throwaway of the right shape).
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x7Kq2-vR9pL0sT4wY8zB1nM5cF3hJ6dG-aE0iO7uQ2eW9rT4yU1pA8sD5fG2hJ3k",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "guide.example.org,www.guide.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://guide.example.org",
    "DJANGO_HTTPS": "true",
    "DJANGO_BEHIND_PROXY": "true",
    "DATABASE_URL": "postgres://pomsite:db-password@db.internal:5432/pomsite",
    "CACHE_URL": "redis://cache.internal:6379/1",
}


def load_settings(monkeypatch, **env: str) -> dict:
    """The settings module's values for this environment (read afresh, not Django's cached copy)."""
    for key in set(os.environ) - set(clean_environment()):
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS_FILE))


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env | {"DJANGO_SETTINGS_MODULE": "pomsite.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message():
    result = run_manage("check", env=clean_environment(DJANGO_DEBUG="false"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_with_production_environment_reports_no_issues():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=clean_environment(**PRODUCTION_ENV)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is axes' per-address warning; settings.py says why.
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."
    assert "WARNINGS" not in result.stderr


def test_check_deploy_catches_a_development_configuration():
    """The deploy check above can fail: the same check without HTTPS reports the gaps."""
    env = clean_environment(**(PRODUCTION_ENV | {"DJANGO_HTTPS": "false"}))
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS


def test_database_url_selects_postgresql(monkeypatch):
    values = load_settings(monkeypatch, **PRODUCTION_ENV)
    database = values["DATABASES"]["default"]
    # Django's backend with each web request's calls bounded in time (pomsite/db_deadline.py).
    assert database["ENGINE"] == "pomsite.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        5432,
        "pomsite",
    )
    assert database["CONN_HEALTH_CHECKS"] is True


def test_without_database_url_the_site_uses_sqlite(monkeypatch):
    values = load_settings(monkeypatch, DJANGO_DEBUG="true")
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_hosts_origins_and_https_settings_come_from_the_environment(monkeypatch):
    values = load_settings(monkeypatch, **PRODUCTION_ENV)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["guide.example.org", "www.guide.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://guide.example.org"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SECURE_HSTS_SECONDS"] >= SIX_MONTHS
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["CACHES"]["default"]["BACKEND"].endswith("RedisCache")


def test_hsts_duration_is_a_setting(monkeypatch):
    values = load_settings(monkeypatch, **PRODUCTION_ENV, DJANGO_HSTS_SECONDS="63072000")
    assert values["SECURE_HSTS_SECONDS"] == 63072000


def test_health_endpoint_is_not_redirected_to_https(monkeypatch):
    """Load balancers probe over plain HTTP; a redirect would mark every server unhealthy."""
    values = load_settings(monkeypatch, **PRODUCTION_ENV)
    assert any(pattern == r"^health/$" for pattern in values["SECURE_REDIRECT_EXEMPT"])


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("locmem://", "locmem.LocMemCache", "pomsite"),
        (
            "redis://:pw@cache.internal:6379/2",
            "redis.RedisCache",
            "redis://:pw@cache.internal:6379/2",
        ),
        ("rediss://cache.internal:6380/0", "redis.RedisCache", "rediss://cache.internal:6380/0"),
        (
            "memcached://mc1:11211,mc2:11211",
            "memcached.PyMemcacheCache",
            ["mc1:11211", "mc2:11211"],
        ),
    ],
)
def test_cache_url_chooses_the_backend(url, backend, location):
    config = cache_from_url(url, key_prefix="pomsite")
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config["LOCATION"] == location
    assert config["KEY_PREFIX"] == "pomsite"


def test_unknown_cache_url_stops_start_up_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with one of"):
        cache_from_url("mongodb://cache.internal/")


def test_local_memory_cache_is_the_default(monkeypatch):
    values = load_settings(monkeypatch, DJANGO_DEBUG="true")
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


def test_gunicorn_config_sizes_workers_from_the_cpus_and_logs_to_stdout(monkeypatch):
    for key in [key for key in os.environ if key.startswith("GUNICORN_")]:
        monkeypatch.delenv(key)
    config = runpy.run_path(str(GUNICORN_CONFIG))
    cpus = os.cpu_count() or 1
    assert config["workers"] == 2 * cpus + 1
    assert config["threads"] >= 2 and config["worker_class"] == "gthread"
    assert 0 < config["timeout"] <= 60
    assert config["accesslog"] == "-" and config["errorlog"] == "-"


def test_gunicorn_workers_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "5000")
    config = runpy.run_path(str(GUNICORN_CONFIG))
    assert (config["workers"], config["threads"]) == (3, 8)
    assert (config["max_requests"], config["max_requests_jitter"]) == (5000, 500)


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names():
    """CI runs the suite twice; this proves the second run really is on PostgreSQL."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
