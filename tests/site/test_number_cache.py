"""The file cache that holds the page cache's generation numbers reads what Django's writes."""

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from pomsite import number_cache
from pomsite.number_cache import NumberFileCache


@pytest.fixture
def stores(tmp_path):
    """This backend and Django's own, on the same directory."""
    return NumberFileCache(str(tmp_path), {}), FileBasedCache(str(tmp_path), {})


@pytest.mark.parametrize(
    "value", [0, 209751098840245, -3, "text", "ünïcode", b"\x00\xff", None, [1, 2], "x" * 20_000]
)
def test_reads_what_djangos_file_cache_wrote(stores, value):
    ours, djangos = stores
    djangos.set("key", value, timeout=None)
    assert ours.get("key", "missing") == value


def test_a_missing_key_gives_the_default(stores):
    ours, _ = stores
    assert ours.get("nothing", "missing") == "missing"
    assert ours.get("nothing") is None


def test_sees_another_process_change_a_number_at_once(stores):
    ours, djangos = stores
    ours.add("generation", 41, timeout=None)
    assert ours.get("generation") == 41
    djangos.incr("generation")
    assert ours.get("generation") == 42
    djangos.delete("generation")
    assert ours.get("generation") is None
    djangos.set("generation", 7, timeout=None)
    assert ours.get("generation") == 7


def test_an_expired_value_is_gone(stores, monkeypatch):
    ours, djangos = stores
    djangos.set("key", 5, timeout=60)
    assert ours.get("key") == 5
    later = number_cache.time.time() + 120
    monkeypatch.setattr(number_cache.time, "time", lambda: later)
    assert ours.get("key", "gone") == "gone"
    assert not djangos.has_key("key")  # Django's own path removed the file


def test_remembers_a_bounded_number_of_file_names(stores):
    ours, _ = stores
    for number in range(number_cache.REMEMBERED_NAMES * 3):
        ours.set(f"key-{number}", number, timeout=None)
        assert ours.get(f"key-{number}") == number
    assert len(ours._file_names) == number_cache.REMEMBERED_NAMES
