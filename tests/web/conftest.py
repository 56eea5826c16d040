"""Citizen pages: scans written during a test are removed from the private storage."""

import pytest


@pytest.fixture
def private_files(db):
    """Delete, after the test, every scan file the test stored."""
    from registrations.models import RegistrationDocument

    yield
    for document in RegistrationDocument.objects.exclude(file=""):
        document.file.storage.delete(document.file.name)
