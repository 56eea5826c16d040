"""Hospital tests: letters go to a private directory of the test's own."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def private_dir(settings, tmp_path, monkeypatch):
    """Point private storage (letters) at an empty directory of this test; returns it."""
    from django.core.files.storage import storages

    from hospitals.models import EmergencyRequest

    root = tmp_path / "private-media"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(root), "base_url": None}},
    }
    monkeypatch.setattr(EmergencyRequest._meta.get_field("letter"), "storage", storages["private"])
    return root
