"""What a page-cache hit costs: one round trip to the cache, carrying only the encoding sent."""

import pickle

import pytest
from django.core.cache import caches

from pomsite import page_cache

pytestmark = pytest.mark.usefixtures("page_cache_on")

SHARED = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "page-cache-hits-shared",
}


@pytest.fixture
def shared_cache(settings):
    """The generation numbers in the page cache itself, as with Redis or Memcached."""
    settings.CACHES = {"default": SHARED, "page-generation": SHARED}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def cache_reads(monkeypatch):
    """Every trip to the page cache to read: (method, keys, pickled size of what came back).
    (Use it after any fixture that changes the CACHES setting.)"""
    reads = []
    store = caches["default"]
    depth = [0]  # a backend's get_many may call its own get: one trip

    def recording(name):
        real = getattr(store, name)

        def read(keys, *args, **kwargs):
            depth[0] += 1
            try:
                value = real(keys, *args, **kwargs)
            finally:
                depth[0] -= 1
            if not depth[0]:
                reads.append((name, keys, len(pickle.dumps(value))))
            return value

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(store, name, recording(name))
    return reads


def get(client, encoding="br, gzip"):
    return client.get("/safety/", headers={"accept-encoding": encoding})


def test_a_hit_is_one_round_trip_to_a_shared_cache(
    client, published_page, shared_cache, cache_reads
):
    assert get(client)["X-Page-Cache"] == "miss"
    cache_reads.clear()
    assert get(client)["X-Page-Cache"] == "hit"
    assert len(cache_reads) == 1
    name, keys, _ = cache_reads[0]
    assert name == "get_many"
    assert page_cache.GENERATION_KEY in keys


@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_a_hit_takes_only_the_encoding_it_sends_out_of_the_cache(
    client, make_page, cache_reads, encoding
):
    make_page(sections=(("Blood clots", "Know the warning signs of a clot. " * 200),))
    plain = get(client, "identity").content
    sent = get(client, encoding)
    cache_reads.clear()
    hit = get(client, encoding)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == sent.content
    fetched = sum(size for _, _, size in cache_reads)
    # The page's bytes once, plus its headers: not the other two encodings as well.
    assert fetched < len(hit.content) + 3000
    if encoding != "identity":
        assert fetched < len(plain) / 2


def test_a_save_is_seen_at_once_with_the_generation_in_the_shared_cache(
    client, published_page, shared_cache
):
    get(client)
    assert get(client)["X-Page-Cache"] == "hit"
    section = published_page.sections.get()
    section.body = "Call your doctor at once."
    section.save()
    response = get(client, "identity")
    assert response["X-Page-Cache"] == "miss"
    assert b"Call your doctor at once." in response.content


def test_a_page_rendered_before_a_save_is_not_served_after_it(client, published_page, settings):
    """A copy is tagged with the generation its request started under; a save while it was being
    rendered makes it a miss, even though it was stored after the save."""
    get(client)
    real_view = page_cache.PublicPageCacheMiddleware.__call__

    def save_while_rendering(self, request):
        inner = self.get_response

        def render_then_save(request):
            response = inner(request)
            page_cache.bump_generation()  # another editor's save lands meanwhile
            return response

        self.get_response = render_then_save
        try:
            return real_view(self, request)
        finally:
            self.get_response = inner

    page_cache.bump_generation()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(page_cache.PublicPageCacheMiddleware, "__call__", save_while_rendering)
        assert get(client)["X-Page-Cache"] == "miss"
    assert get(client)["X-Page-Cache"] == "miss"
    assert get(client)["X-Page-Cache"] == "hit"
