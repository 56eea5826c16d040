"""Staff open a registration's scans from the admin: only staff of its area,
never cached, and every opening (or refusal) is recorded."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import AccessLog, Registration, RegistrationDocument
from tests.factories import KRANJI, MARGAJAYA, registration_data, staff_user

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 12), (10, 120, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def scanned(db):
    """A Kranji registration sent with a KK scan; the file is removed afterwards."""
    image = png_bytes()
    registration = services.registration_submit(
        data=registration_data(KRANJI),
        channel="online",
        files={"kk_scan": SimpleUploadedFile("kk.png", image, content_type="image/png")},
    )
    document = registration.documents.get()
    yield registration, document, image
    for stored in RegistrationDocument.objects.exclude(file=""):
        stored.file.storage.delete(stored.file.name)


def document_url(registration, document) -> str:
    return reverse("admin:registrations_registration_document", args=[registration.pk, document.pk])


def test_it_shows_kelurahan_staff_an_open_link_on_the_registration(client, scanned):
    registration, document, _image = scanned
    client.force_login(staff_user(KRANJI))

    response = client.get(reverse("admin:registrations_registration_change", args=[registration.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{document_url(registration, document)}"' in html
    assert ">Open</a>" in html or ">Buka</a>" in html


def test_it_shows_a_superuser_an_open_link_on_the_registration(client, scanned, django_user_model):
    registration, document, _image = scanned
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))

    html = client.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()

    assert f'href="{document_url(registration, document)}"' in html


def test_it_serves_the_file_to_staff_of_the_area_uncached_and_records_it(client, scanned):
    registration, document, image = scanned
    staff = staff_user(KRANJI)
    client.force_login(staff)

    response = client.get(document_url(registration, document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("inline;")
    entry = AccessLog.objects.get(action="view", object_type="document")
    assert (entry.user, entry.object_id) == (staff, str(document.pk))
    assert registration.reference in entry.detail


def test_it_answers_404_to_staff_of_another_kelurahan_and_records_the_refusal(client, scanned):
    registration, document, image = scanned
    outsider = staff_user(MARGAJAYA)
    client.force_login(outsider)

    response = client.get(document_url(registration, document))

    assert response.status_code == 404
    assert image not in response.content
    assert not AccessLog.objects.filter(action="view", object_type="document").exists()
    denied = AccessLog.objects.get(action="denied", object_type="document")
    assert (denied.user, denied.object_id) == (outsider, str(document.pk))


def test_it_sends_anonymous_visitors_to_the_login_page(client, scanned):
    registration, document, image = scanned

    response = client.get(document_url(registration, document))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not AccessLog.objects.filter(object_type="document").exists()


def test_it_answers_404_for_a_document_of_another_registration(client, scanned):
    registration, document, _image = scanned
    other = services.registration_submit(data=registration_data(KRANJI), channel="online")
    client.force_login(staff_user(KRANJI))

    response = client.get(document_url(other, document))

    assert response.status_code == 404
    assert not AccessLog.objects.filter(action="view", object_type="document").exists()


def test_it_answers_404_once_the_scan_was_purged_and_says_so_on_the_registration(client, scanned, django_user_model):
    registration, document, _image = scanned
    services.registration_verify(registration_id=registration.pk, by=staff_user(KRANJI))
    Registration.objects.filter(pk=registration.pk).update(
        decided_at=timezone.now() - dt.timedelta(days=settings.SCAN_RETENTION_DAYS + 1)
    )
    assert services.documents_purge() == 1
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))

    response = client.get(document_url(registration, document))
    page = client.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()

    assert response.status_code == 404
    assert f'href="{document_url(registration, document)}"' not in page
    assert RegistrationDocument.objects.filter(pk=document.pk, deleted_at__isnull=False).exists()
