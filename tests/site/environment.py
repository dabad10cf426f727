"""The environment the site starts from when a test runs it in another process."""

import os


def clean_environment(**overrides: str) -> dict[str, str]:
    """This environment without any site setting (CI sets DATABASE_URL), plus overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key not in {"DATABASE_URL", "CACHE_URL"}
    }
    return env | overrides


def environment_with_test_settings(**overrides: str) -> dict[str, str]:
    """A clean environment with the test settings, plus overrides."""
    test_settings = {
        "DJANGO_SETTINGS_MODULE": "pomsite.settings_test",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    return clean_environment(**(test_settings | overrides))
