"""Retention: rejected registrations are deleted REJECTED_RETENTION_DAYS after
the rejection, pending ones nobody decided ABANDONED_RETENTION_DAYS after they
were sent, whole (members, status history, scans and their files, change
history); each rule's run leaves a purge-log row with counts and nothing else."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from registrations import services, tasks
from registrations.models import (
    Household,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationMember,
    RetentionPurge,
)
from tests.factories import KRANJI, registration_data, staff_user

pytestmark = pytest.mark.django_db

History = Registration.history.model


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (40, 160, 90)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _remove_stored_files(db):
    yield
    for document in RegistrationDocument.objects.exclude(file=""):
        document.file.storage.delete(document.file.name)


def sent(days_ago: float = 0, **data):
    """A pending Kranji registration with a KK scan, sent ``days_ago``."""
    registration = services.registration_submit(
        data=registration_data(KRANJI, **data), channel="online",
        files={"kk_scan": SimpleUploadedFile("kk.png", png_bytes(), content_type="image/png")},
    )
    Registration.objects.filter(pk=registration.pk).update(submitted_at=timezone.now() - dt.timedelta(days=days_ago))
    return registration


def rejected(days_ago: float):
    registration = sent(days_ago + 3)
    services.registration_reject(registration_id=registration.pk, by=staff_user(KRANJI), reason="Data KK tidak cocok.")
    Registration.objects.filter(pk=registration.pk).update(decided_at=timezone.now() - dt.timedelta(days=days_ago))
    return registration


def verified(days_ago: float):
    registration = sent(days_ago + 3)
    services.registration_verify(registration_id=registration.pk, by=staff_user(KRANJI))
    Registration.objects.filter(pk=registration.pk).update(decided_at=timezone.now() - dt.timedelta(days=days_ago))
    return Registration.objects.get(pk=registration.pk)


def scan_path(registration) -> Path:
    return Path(RegistrationDocument.objects.get(registration=registration).file.path)


def gone(registration) -> bool:
    return not any((
        Registration.objects.filter(pk=registration.pk).exists(),
        RegistrationMember.objects.filter(registration_id=registration.pk).exists(),
        RegistrationEvent.objects.filter(registration_id=registration.pk).exists(),
        RegistrationDocument.objects.filter(registration_id=registration.pk).exists(),
        History.objects.filter(id=registration.pk).exists(),
    ))


def logs() -> dict[str, RetentionPurge]:
    return {log.rule: log for log in RetentionPurge.objects.all()}


def test_it_deletes_a_rejected_registration_whole_after_its_period(settings, django_capture_on_commit_callbacks):
    settings.REJECTED_RETENTION_DAYS = 365
    old, young = rejected(366), rejected(364)
    old_scan = scan_path(old)
    members = RegistrationMember.objects.filter(registration=old).count()

    with django_capture_on_commit_callbacks(execute=True):
        services.registrations_purge()

    assert gone(old)
    assert not old_scan.exists()
    assert Registration.objects.filter(pk=young.pk).exists()
    log = logs()["rejected"]
    assert (log.registrations, log.members, log.events, log.documents) == (1, members, 2, 1)
    assert log.history_rows >= 2  # sent, rejected
    assert log.period_days == 365


def test_it_deletes_a_pending_registration_nobody_decided_and_frees_its_numbers(settings,
                                                                                django_capture_on_commit_callbacks):
    settings.ABANDONED_RETENTION_DAYS = 180
    data = registration_data(KRANJI)
    old = services.registration_submit(data=data, channel="online")
    Registration.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=181))
    young = sent(179)
    with_scan = sent(200)
    scan = scan_path(with_scan)

    with django_capture_on_commit_callbacks(execute=True):
        services.registrations_purge()

    assert gone(old) and gone(with_scan)
    assert not scan.exists()  # never decided, so the scan purge never took it
    assert Registration.objects.filter(pk=young.pk, status="submitted").exists()
    assert logs()["abandoned"].registrations == 2
    # The KK and the NIKs may apply again.
    assert services.registration_submit(data=data, channel="online").status == "submitted"


def test_it_never_touches_verified_registrations_or_the_roster(settings):
    settings.REJECTED_RETENTION_DAYS = settings.ABANDONED_RETENTION_DAYS = 30
    registration = verified(4000)
    household = Household.objects.get(pk=registration.household_id)

    services.registrations_purge()

    assert Registration.objects.filter(pk=registration.pk, status="verified").exists()
    assert household.members.count() == RegistrationMember.objects.filter(registration=registration).count()
    assert all(log.registrations == 0 for log in RetentionPurge.objects.all())


def test_it_logs_every_run_of_each_rule_with_counts_and_no_personal_data(settings):
    settings.REJECTED_RETENTION_DAYS = 365
    old = rejected(400)
    numbers = [m.nik for m in old.members.all()] + [old.kk_number, old.reference]
    names = [m.full_name for m in old.members.all()]

    services.registrations_purge()
    services.registrations_purge()

    assert RetentionPurge.objects.filter(rule="rejected").count() == 2
    assert RetentionPurge.objects.filter(rule="abandoned").count() == 2
    assert sorted(log.registrations for log in RetentionPurge.objects.filter(rule="rejected")) == [0, 1]
    stored = " ".join(str(value) for log in RetentionPurge.objects.values() for value in log.values())
    for held in numbers + names:
        assert held not in stored


def test_it_deletes_in_chunks_and_counts_them_all(settings, monkeypatch):
    settings.REJECTED_RETENTION_DAYS = 365
    monkeypatch.setattr(services, "PURGE_CHUNK", 2)
    old = [rejected(400) for _ in range(5)]

    services.registrations_purge()

    assert all(gone(registration) for registration in old)
    assert logs()["rejected"].registrations == 5


def test_the_beat_runs_the_purge_daily(settings):
    entry = django_settings.CELERY_BEAT_SCHEDULE["purge-registrations"]
    assert entry["task"] == "registrations.tasks.purge_registrations"
    assert entry["schedule"].hour == {2}
    settings.ABANDONED_RETENTION_DAYS = 180
    old = sent(200)

    assert tasks.purge_registrations.delay().get() == {"rejected": 0, "abandoned": 1}
    assert gone(old)


@pytest.mark.parametrize("name, value", [("REJECTED_RETENTION_DAYS", "7"), ("ABANDONED_RETENTION_DAYS", "99999"),
                                         ("REJECTED_RETENTION_DAYS", "a year")])
def test_it_refuses_to_start_with_a_retention_period_out_of_range(name, value):
    env = {**os.environ, name: value, "DJANGO_SETTINGS_MODULE": "kartusehat.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, cwd=django_settings.BASE_DIR, timeout=60)

    assert result.returncode != 0
    assert name in result.stderr or "invalid literal" in result.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_skips_a_registration_a_kelurahan_is_verifying_at_that_moment(settings):
    """The kelurahan holds the row lock while it verifies; the purge must not
    wait for it, and must never delete what the kelurahan then verified."""
    settings.ABANDONED_RETENTION_DAYS = 180
    registration, other = sent(200), sent(200)
    staff = staff_user(KRANJI)
    locked, release, verified_ok = threading.Event(), threading.Event(), []

    def verify_slowly():
        try:
            with transaction.atomic():
                Registration.objects.select_for_update().get(pk=registration.pk)
                locked.set()
                release.wait(10)
                services.registration_verify(registration_id=registration.pk, by=staff)
            verified_ok.append(True)
        finally:
            connection.close()

    worker = threading.Thread(target=verify_slowly)
    worker.start()
    assert locked.wait(10)
    try:
        started = time.monotonic()
        services.registrations_purge()
        took = time.monotonic() - started
    finally:
        release.set()
        worker.join(15)

    assert took < 5  # it did not wait for the kelurahan's lock (the worker holds it up to 10 s)
    assert verified_ok == [True]
    assert Registration.objects.get(pk=registration.pk).status == "verified"
    assert gone(other)
    assert logs()["abandoned"].registrations == 1


def test_the_consent_statement_promises_the_periods(client, settings):
    settings.REJECTED_RETENTION_DAYS, settings.ABANDONED_RETENTION_DAYS = 400, 150

    for url in ("/privasi/", "/daftar/"):
        statement = client.get(url).content.decode()

        assert "400" in statement and "150" in statement, url


def test_it_answers_a_conflict_to_a_decision_on_a_purged_registration(settings):
    from kartusehat.refusals import Conflict

    settings.ABANDONED_RETENTION_DAYS = 180
    old = sent(200)
    services.registrations_purge()

    with pytest.raises(Conflict):
        services.registration_verify(registration_id=old.pk, by=staff_user(KRANJI))
