"""Scans sent with the registration form: checked by content, stored privately."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from registrations.models import Registration, RegistrationDocument
from tests.factories import KRANJI, registration_data
from tests.web.helpers import DONE_URL, REGISTER_URL, attributes, element, form_data, png_bytes, text

pytestmark = pytest.mark.django_db


def test_it_stores_a_real_png_sent_as_the_kk_scan(client, settings, private_files):
    image = png_bytes()
    post = form_data(registration_data(KRANJI)) | {
        "kk_scan": SimpleUploadedFile("kartu keluarga.png", image, content_type="image/png"),
    }

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 302
    document = RegistrationDocument.objects.get()
    assert document.registration == Registration.objects.get()
    assert (document.kind, document.content_type, document.size) == ("kk", "image/png", len(image))
    assert document.sha256 == hashlib.sha256(image).hexdigest()
    with document.file.open("rb") as fh:
        assert fh.read() == image
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert "kartu" not in document.file.name and document.registration.reference not in document.file.name
    assert document.file.name.endswith(".png")
    receipt = text(element(client.get(DONE_URL).content, "receipt"))
    with translation.override("id"):
        assert str(RegistrationDocument.Kind.KK.label) in receipt


def test_it_refuses_text_named_png_beside_the_kk_scan_field_and_stores_nothing(client, private_files):
    data = registration_data(KRANJI)
    post = form_data(data) | {
        "kk_scan": SimpleUploadedFile("kk.png", b"this is not a picture at all", content_type="image/png"),
    }

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 400
    html = response.content.decode()
    message = text(element(html, "kk_scan-error"))
    assert "PNG" in message
    assert attributes(html, "kk_scan")["aria-invalid"] == "true"
    assert "hidden" in attributes(html, "ektp_scan-error")
    assert attributes(html, "kk_number")["value"] == data["kk_number"]
    assert "error-summary" in html
    assert Registration.objects.count() == 0
    assert RegistrationDocument.objects.count() == 0


def test_it_asks_to_choose_the_scans_again_when_the_rest_of_the_form_is_refused(client, private_files):
    data = registration_data(KRANJI)
    data["members"][0]["nik"] = "123"
    post = form_data(data) | {"kk_scan": SimpleUploadedFile("kk.png", png_bytes(), content_type="image/png")}

    response = client.post(REGISTER_URL, post)

    assert response.status_code == 400
    with translation.override("id"):
        expected = gettext("For your safety, the scans you chose were not kept: choose them again before sending.")
    assert expected in text(element(response.content, "error-summary"))
    assert RegistrationDocument.objects.count() == 0
