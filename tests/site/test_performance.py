"""Performance budgets that can be counted rather than timed (docs/performance.md).

Timings come from the benchmark (`make bench`), never from tests; the query budget of every public
page is in tests/content/test_views.py. The budgets are stated here, not read from the benchmark.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.probe import grow
from bench.run import compressed_sizes, page_assets

# About what fits in TCP's first round trip (10 segments).
MAX_HTML_COMPRESSED = 14 * 1024


@pytest.fixture
def seeded_pages(public_pages, client) -> list[str]:
    """The shipped starting content, and a visitor who has confirmed being in the US."""
    client.cookies[settings.AUDIENCE_GATE_COOKIE] = "yes"
    return public_pages


def test_every_public_page_fits_in_14_kb_gzip_compressed(client, seeded_pages):
    for url in seeded_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert compressed_sizes(response.content)["gzip"] < MAX_HTML_COMPRESSED, url


def test_no_public_page_has_render_blocking_javascript(client, seeded_pages):
    for url in seeded_pages:
        html = client.get(url).content.decode()
        assert page_assets(html).blocking_scripts == [], url


def test_database_connections_are_kept_between_requests():
    """Opening a connection per request costs a fifth of a page (docs/performance.md)."""
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_guides_list_costs_the_same_queries_with_a_hundred_more_guides(client, seeded_pages):
    with CaptureQueriesContext(connection) as small:
        client.get("/guides/")
    grow(guides=100, sections=0)
    with CaptureQueriesContext(connection) as grown:
        response = client.get("/guides/")
    assert len(grown) == len(small)
    assert response.content.decode().count('class="card"') == 20
    assert 'rel="next"' in response.content.decode()
