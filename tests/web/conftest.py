"""Citizen pages: rate-limit counters live in the cache, so each test starts
empty; scans written during a test are removed from the private storage."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private_files(db):
    """Delete, after the test, every scan file the test stored."""
    from registrations.models import RegistrationDocument

    yield
    for document in RegistrationDocument.objects.exclude(file=""):
        document.file.storage.delete(document.file.name)
