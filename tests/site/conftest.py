"""Fixtures for the site-wide machinery's tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on (the test settings turn it off) and empty before and after."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()
