"""Test settings: the real settings with a throwaway key and fast, manifest-free static files."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")

from pomsite.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the source folders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests log in with client.login(), which axes refuses (it needs the request); the lockout
# tests in tests/editing/test_admin_login.py switch it back on.
AXES_ENABLED = False
# The page cache outlives each test's database rollback, so a page cached by one test could be
# served to the next. Tests that are about the cache turn it on (tests/site/test_page_cache.py).
PAGE_CACHE_SECONDS = 0
# The fallbacks after a failure are per process: one test's outage must not leak into the next.
# Tests of the fallbacks set these themselves.
PAGE_CACHE_RETRY_SECONDS = 0
DATABASE_RETRY_SECONDS = 0
# Parallel test workers (pytest-xdist) each keep their own page-cache generation number.
if CACHES["page-generation"]["BACKEND"].endswith("NumberFileCache"):  # noqa: F405
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    CACHES["page-generation"]["LOCATION"] = BASE_DIR / f".page-cache-generation-test-{_worker}"  # noqa: F405
