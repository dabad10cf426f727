"""Pages are sent compressed (Brotli or gzip, as the browser asks), compressed once when stored."""

import gzip

import brotli
import pytest

from pomsite import page_cache

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def safety_page(make_page):
    return make_page(sections=(("Blood clots", "Know the warning signs. " * 50),))


@pytest.fixture
def compressions(monkeypatch):
    calls = []
    real_brotli, real_gzip = brotli.compress, gzip.compress
    monkeypatch.setattr(
        page_cache.brotli, "compress", lambda *a, **k: calls.append("br") or real_brotli(*a, **k)
    )
    monkeypatch.setattr(
        page_cache.gzip, "compress", lambda *a, **k: calls.append("gzip") or real_gzip(*a, **k)
    )
    return calls


def get(client, encoding):
    return client.get("/safety/", headers={"accept-encoding": encoding})


def test_brotli_for_browsers_that_accept_it(client, safety_page):
    plain = get(client, "identity").content
    response = get(client, "gzip, deflate, br")
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content) < len(plain) / 3
    assert "Accept-Encoding" in response["Vary"]


def test_gzip_for_browsers_without_brotli(client, safety_page):
    plain = get(client, "").content
    response = get(client, "gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain


@pytest.mark.parametrize("encoding", ["", "identity", "br;q=0, gzip;q=0", "deflate"])
def test_uncompressed_for_clients_that_accept_neither(client, safety_page, encoding):
    response = get(client, encoding)
    assert "Content-Encoding" not in response
    assert b"Know the warning signs." in response.content


def test_each_page_is_compressed_once_when_stored_never_per_hit(client, safety_page, compressions):
    for encoding in ["br", "gzip", "br", "identity", "gzip, br"] * 4:
        assert get(client, encoding).status_code == 200
    assert sorted(compressions) == ["br", "gzip"]


def test_the_first_visit_gets_the_compressed_page_too(client, safety_page):
    response = get(client, "br")
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "br"
