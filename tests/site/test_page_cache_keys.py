"""The page cache's keys: junk in the query string neither fills the cache nor bypasses it."""

import datetime
from operator import methodcaller

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from content.models import Guide, Status
from pomsite import page_cache

pytestmark = pytest.mark.usefixtures("page_cache_on")


def stored_pages() -> int:
    return sum(1 for key in cache._cache if ":page-cache:" in key)


def test_junk_page_numbers_on_a_page_make_no_new_cache_entries(client, published_page):
    client.get("/safety/")
    entries = stored_pages()
    for number in range(50):
        assert client.get(f"/safety/?page={number}x").status_code == 200
        assert client.get(f"/safety/?page={number}").status_code == 200
    assert stored_pages() == entries


def test_junk_parameters_are_answered_from_the_cache(
    client, published_page, django_assert_num_queries
):
    client.get("/safety/")
    with django_assert_num_queries(0):
        response = client.get("/safety/?utm_source=newsletter&page=%00%FF&x=1")
    assert response["X-Page-Cache"] == "hit"
    assert b"Know the warning signs." in response.content


def test_a_page_rendered_for_a_junk_query_is_not_stored(client, published_page):
    """Its HTML may echo the query (the gate's return address), so it is never shared."""
    response = client.get("/safety/?utm_source=%3Cjunk%3E")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert stored_pages() == 0


def test_valid_values_of_known_parameters_still_get_their_own_page(client, db):
    for number in range(25):
        Guide.objects.create(
            slug=f"guide-{number}", title=f"Guide {number}", summary="s", body="b",
            audience="patients", status=Status.PUBLISHED, published_on=datetime.date(2026, 1, 2),
        )  # fmt: skip
    first, second = client.get("/guides/"), client.get("/guides/?page=2")
    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    assert client.get("/guides/?page=2&utm_source=x")["X-Page-Cache"] == "hit"
    assert client.get("/guides/?page=2").content == second.content


def test_a_view_that_reads_another_parameter_is_never_stored(rf, db, settings):
    """A future search page (?q=) must not be answered with another query's results."""

    def search(request):
        from django.http import HttpResponse

        return HttpResponse(f"results for {request.GET.get('q', '')}")

    middleware = page_cache.PublicPageCacheMiddleware(search)
    assert middleware(rf.get("/search/")).content == b"results for "
    assert middleware(rf.get("/search/?q=clots")).content == b"results for clots"
    assert stored_pages() == 0


def test_the_known_parameters_have_bounded_valid_values(settings):
    import re

    for params in settings.PAGE_CACHE_QUERY_PARAMS.values():
        for pattern in params.values():
            assert not re.fullmatch(pattern, "1" * 4)
            assert not re.fullmatch(pattern, "anything")


def test_a_view_that_copies_the_query_works_and_is_never_stored(rf, db):
    """Pagination links are often built from request.GET.copy(): every parameter counts."""

    def view(request):
        from django.http import HttpResponse

        query = request.GET.copy()
        query["page"] = "2"
        return HttpResponse(query.urlencode())

    middleware = page_cache.PublicPageCacheMiddleware(view)
    assert middleware(rf.get("/guides/")).content == b"page=2"
    assert middleware(rf.get("/guides/?sort=new")).content == b"sort=new&page=2"
    assert stored_pages() == 0


@pytest.mark.parametrize(
    "read_all",
    [
        lambda query: next(iter(query), None),  # list() would call len() first
        len,
        *(methodcaller(name) for name in ("keys", "lists", "copy", "urlencode")),
    ],
    ids=["iterate", "len", "keys", "lists", "copy", "urlencode"],
)
def test_a_view_that_reads_the_whole_query_is_never_stored(rf, db, read_all):
    """Whatever it read could be any parameter, so no copy may be shared."""

    def view(request):
        read_all(request.GET)
        return HttpResponse("the same words for everyone")

    middleware = page_cache.PublicPageCacheMiddleware(view)
    middleware(rf.get("/guides/"))
    middleware(rf.get("/guides/?sort=new"))
    assert stored_pages() == 0
