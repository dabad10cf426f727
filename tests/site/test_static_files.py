"""Static files as production serves them: hashed names, gzip and brotli, a year as immutable."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

from content.models import Page, Status

ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def collected_static(settings, tmp_path):
    """collectstatic with the production storage into a fresh directory (our own files only:
    the admin's would only make it slower), and a client whose WhiteNoise serves it."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    }
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "markdownx"]
    )
    return tmp_path


def max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def test_collected_files_have_hashed_names_and_gzip_and_brotli_copies(collected_static):
    hashed_url = staticfiles_storage.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", hashed_url)
    hashed_file = collected_static / hashed_url.removeprefix("/static/")
    assert hashed_file.is_file()
    assert hashed_file.with_name(hashed_file.name + ".gz").is_file()
    assert hashed_file.with_name(hashed_file.name + ".br").is_file()


def test_hashed_file_is_cached_for_a_year_as_immutable(collected_static):
    response = Client().get(staticfiles_storage.url("css/site.css"))
    assert response.status_code == 200
    assert max_age(response) >= ONE_YEAR
    assert "immutable" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(("accepted", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_compressed_copy_is_served_to_browsers_that_accept_it(collected_static, accepted, encoding):
    response = Client().get(
        staticfiles_storage.url("css/site.css"), headers={"accept-encoding": accepted}
    )
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]


def test_unhashed_name_is_not_kept_for_long(collected_static):
    """Its content changes with the next release, so it must not be cached as immutable."""
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert max_age(response) <= 24 * 60 * 60


def test_pages_link_the_hashed_stylesheet(collected_static, db):
    Page.objects.create(slug="safety", title="Safety", summary="s", status=Status.PUBLISHED)
    body = Client().get("/safety/").content.decode()
    assert f'href="{staticfiles_storage.url("css/site.css")}"' in body
