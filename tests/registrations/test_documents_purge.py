"""Scans are deleted SCAN_RETENTION_DAYS after the registration is decided, as
the consent statement promises; the row stays as the record they were sent."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from registrations import services, tasks
from registrations.models import Registration, RegistrationDocument
from tests.factories import KRANJI, registration_data, staff_user

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (90, 90, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _remove_stored_files(db):
    yield
    for document in RegistrationDocument.objects.exclude(file=""):
        document.file.storage.delete(document.file.name)


def with_scans():
    """A pending Kranji registration with a KK and an e-KTP scan."""
    return services.registration_submit(
        data=registration_data(KRANJI),
        channel="online",
        files={
            "kk_scan": SimpleUploadedFile("kk.png", png_bytes(), content_type="image/png"),
            "ektp_scan": SimpleUploadedFile("ektp.png", png_bytes(), content_type="image/png"),
        },
    )


def decided(days_ago: float, *, reject: bool = False):
    registration = with_scans()
    staff = staff_user(KRANJI)
    if reject:
        services.registration_reject(registration_id=registration.pk, by=staff, reason="Data KK tidak cocok.")
    else:
        services.registration_verify(registration_id=registration.pk, by=staff)
    Registration.objects.filter(pk=registration.pk).update(
        decided_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return registration


def files_of(registration) -> list[str]:
    return [d.file.name for d in RegistrationDocument.objects.filter(registration=registration)]


def exists(name: str) -> bool:
    return RegistrationDocument._meta.get_field("file").storage.exists(name)


def test_it_deletes_the_files_of_registrations_decided_before_the_retention_period(settings):
    old = decided(settings.SCAN_RETENTION_DAYS + 1)
    names = files_of(old)
    assert len(names) == 2 and all(exists(name) for name in names)

    purged = services.documents_purge()

    assert purged == 2
    assert not any(exists(name) for name in names)
    documents = RegistrationDocument.objects.filter(registration=old)
    assert documents.count() == 2
    for document in documents:
        assert not document.file
        assert document.deleted_at is not None
        assert document.size > 0 and len(document.sha256) == 64


def test_it_keeps_the_files_of_pending_and_recently_decided_registrations(settings):
    pending = with_scans()
    Registration.objects.filter(pk=pending.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=settings.SCAN_RETENTION_DAYS * 3)
    )
    recent = decided(settings.SCAN_RETENTION_DAYS - 1)
    old = decided(settings.SCAN_RETENTION_DAYS + 1)
    kept = files_of(pending) + files_of(recent)

    purged = services.documents_purge()

    assert purged == 2
    assert all(exists(name) for name in kept)
    assert RegistrationDocument.objects.filter(deleted_at__isnull=True).count() == 4
    assert not RegistrationDocument.objects.filter(registration=old, deleted_at__isnull=True).exists()


def test_it_purges_rejected_registrations_too(settings):
    rejected = decided(settings.SCAN_RETENTION_DAYS + 2, reject=True)
    names = files_of(rejected)

    assert services.documents_purge() == 2
    assert not any(exists(name) for name in names)


def test_it_follows_the_retention_setting(settings):
    settings.SCAN_RETENTION_DAYS = 10
    registration = decided(11)
    names = files_of(registration)

    assert services.documents_purge() == 2
    assert not any(exists(name) for name in names)


def test_it_purges_nothing_on_a_second_run(settings):
    decided(settings.SCAN_RETENTION_DAYS + 1)
    services.documents_purge()
    first = dict(RegistrationDocument.objects.values_list("pk", "deleted_at"))

    assert services.documents_purge() == 0
    assert dict(RegistrationDocument.objects.values_list("pk", "deleted_at")) == first


def test_it_runs_as_the_daily_celery_task_and_returns_the_count(settings):
    scheduled = settings.CELERY_BEAT_SCHEDULE["purge-scans"]["task"]
    assert scheduled == tasks.purge_scans.name == "registrations.tasks.purge_scans"
    old = decided(settings.SCAN_RETENTION_DAYS + 1)
    names = files_of(old)

    # apply() runs the task body here, as a worker would, with or without a broker.
    result = tasks.purge_scans.apply()

    assert result.get(timeout=10) == 2
    assert not any(exists(name) for name in names)
    assert tasks.purge_scans.apply().get() == 0
