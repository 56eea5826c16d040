"""Multipart POST /api/v1/registrations/ with ``members`` as JSON text and the
KK / e-KTP scans: 201, one RegistrationDocument per scan with the type read
from the content, its SHA-256, and the file kept in private storage only."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import Registration, RegistrationDocument
from tests.api.helpers import files_under, jpeg_bytes, pdf_bytes, png_bytes, post_multipart, row_counts
from tests.factories import registration_data

pytestmark = pytest.mark.django_db


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_it_accepts_a_png_kk_scan_and_a_pdf_ektp_scan(api, private_dir):
    png, pdf = png_bytes(), pdf_bytes()
    assert pdf.rstrip().endswith(b"%%EOF")

    response = post_multipart(
        api, registration_data(size=2),
        {"kk_scan": _upload("kk.png", png, "image/png"), "ektp_scan": _upload("ektp.pdf", pdf, "application/pdf")},
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    registration = Registration.objects.get(reference=response.json()["reference"])
    documents = {d.kind: d for d in RegistrationDocument.objects.filter(registration=registration)}
    assert set(documents) == {"kk", "ektp"}
    assert (documents["kk"].content_type, documents["kk"].size) == ("image/png", len(png))
    assert (documents["ektp"].content_type, documents["ektp"].size) == ("application/pdf", len(pdf))
    assert documents["kk"].sha256 == hashlib.sha256(png).hexdigest()
    assert documents["ektp"].sha256 == hashlib.sha256(pdf).hexdigest()
    stored = files_under(private_dir)
    assert len(stored) == 2
    assert sorted(p.read_bytes() for p in stored) == sorted([png, pdf])
    assert row_counts() == {"registrations": 1, "members": 2, "events": 1, "documents": 2}


def test_it_accepts_a_jpeg_and_records_it_as_image_jpeg(api, private_dir):
    jpeg = jpeg_bytes()

    response = post_multipart(api, registration_data(size=1), {"kk_scan": _upload("kk.jpeg", jpeg, "image/jpeg")})

    assert response.status_code == 201, response.content
    document = RegistrationDocument.objects.get()
    assert (document.kind, document.content_type) == ("kk", "image/jpeg")
    assert document.sha256 == hashlib.sha256(jpeg).hexdigest()
    assert document.file.name.endswith(".jpg")
    assert Path(document.file.path).read_bytes() == jpeg


def test_it_names_the_stored_file_by_its_sniffed_type_not_the_senders_name(api, private_dir):
    png = png_bytes(seed=3)

    post_multipart(api, registration_data(size=1), {"kk_scan": _upload("KK Budi 3275011505800003.PNG", png)})

    document = RegistrationDocument.objects.get()
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")
    assert "3275011505800003" not in document.file.name and "Budi" not in document.file.name


def test_it_accepts_multipart_without_any_scan(api, private_dir):
    response = post_multipart(api, registration_data(size=2), {})

    assert response.status_code == 201, response.content
    assert row_counts() == {"registrations": 1, "members": 2, "events": 1, "documents": 0}
    assert files_under(private_dir) == []


def test_it_keeps_scans_out_of_media_root_and_unreachable_by_url(api, client, private_dir):
    response = post_multipart(api, registration_data(size=1), {"kk_scan": _upload("kk.png", png_bytes(seed=4))})
    assert response.status_code == 201, response.content

    document = RegistrationDocument.objects.get()
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(Path(private_dir).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    for url in (f"/{settings.MEDIA_URL.strip('/')}/{document.file.name}", f"/{document.file.name}"):
        assert client.get(url).status_code == 404


def test_it_configures_the_document_field_with_the_private_storage_outside_media_root():
    storage = RegistrationDocument._meta.get_field("file").storage
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()

    assert Path(storage.location).resolve() == private_root
    assert Path(storages["private"].location).resolve() == private_root
    assert not private_root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(private_root)
    assert not private_root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
