"""Public API tests: scans go to a private directory of the test's own."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def private_dir(settings, tmp_path, monkeypatch):
    """Point private storage at an empty directory of this test.

    ``STORAGES["private"]`` is overridden the ordinary way; the document
    model's FileField resolved its storage callable when the model was
    imported, so it is pointed at the re-created backend too. Returns the
    directory, for checking what was (not) written.
    """
    from django.core.files.storage import storages

    from registrations.models import RegistrationDocument

    root = tmp_path / "private-media"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"],
                    "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "location": str(root)}},
    }
    monkeypatch.setattr(RegistrationDocument._meta.get_field("file"), "storage", storages["private"])
    return root
