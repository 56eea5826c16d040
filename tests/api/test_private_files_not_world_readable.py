"""Scans (and every other private file) are written readable by the app's
user and group only, in folders no other account can enter."""

import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import RegistrationDocument
from tests.api.helpers import png_bytes, post_multipart
from tests.factories import registration_data

pytestmark = pytest.mark.django_db


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_it_writes_a_scan_0640_in_folders_0750(api, private_dir):
    response = post_multipart(api, registration_data(size=1),
                              {"kk_scan": SimpleUploadedFile("kk.png", png_bytes(), content_type="image/png")})

    assert response.status_code == 201, response.content
    path = private_dir / RegistrationDocument.objects.get().file.name
    assert _mode(path) == 0o640
    folder = path.parent
    while folder != private_dir:
        assert _mode(folder) == 0o750, folder
        folder = folder.parent


def test_it_writes_any_private_file_without_access_for_others(private_dir):
    name = storages["private"].save("batches/2026/11/x.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))

    assert _mode(private_dir / name) & 0o077 == 0o040
