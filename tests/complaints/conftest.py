"""Complaints: rate-limit counters live in the cache, so each test starts empty."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
