"""Performance budgets that can be counted rather than timed (docs/performance.md).

Timings come from the benchmark (`make bench`), never from tests.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.probe import grow
from bench.run import (
    MAX_COLD_QUERIES,
    MAX_HTML_COMPRESSED,
    PUBLIC_PAGES,
    compressed_sizes,
    page_assets,
)
from content.loader import load_content
from content.models import Guide


@pytest.fixture
def seeded_pages(db, client) -> list[str]:
    """The shipped starting content, and a visitor who has confirmed being in the US."""
    load_content()
    client.cookies[getattr(settings, "AUDIENCE_GATE_COOKIE", "us_audience")] = "yes"
    return [*PUBLIC_PAGES, Guide.objects.published().first().get_absolute_url()]


def test_every_public_page_fits_in_14_kb_gzip_compressed(client, seeded_pages):
    for url in seeded_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert compressed_sizes(response.content)["gzip"] < MAX_HTML_COMPRESSED, url


def test_every_public_page_needs_at_most_three_queries(client, seeded_pages):
    for url in seeded_pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        assert len(queries) <= MAX_COLD_QUERIES, (url, [q["sql"] for q in queries])


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
