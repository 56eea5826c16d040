"""Hospital letters are health data: LETTER_RETENTION_DAYS after the request
the file is deleted (a daily beat task), the request stays on record with
when its letter went, and the admin says so instead of offering the file."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.utils import timezone, translation
from django.utils.html import escape

from hospitals import services, tasks
from hospitals.models import EmergencyRequest
from registrations.models import AccessLog
from tests.api.helpers import files_under
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    health_office_user,
    hospital_key,
    keyed,
    pdf_bytes,
    upload,
    verified_household,
)

pytestmark = pytest.mark.django_db


def request_sent(api, text: str) -> tuple[EmergencyRequest, bytes]:
    _staff, key = hospital_key()
    _household, head, _card = verified_household()
    letter = pdf_bytes(text)
    response = keyed(api, key).post(EMERGENCY_URL, {"nik": head.nik, "reason": "rawat_inap", "letter": upload(letter)},
                                    format="multipart")
    assert response.status_code == 201, response.content
    return EmergencyRequest.objects.get(pk=response.json()["id"]), letter


def age(request: EmergencyRequest, days: int) -> None:
    EmergencyRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


@pytest.fixture
def old_and_new(api, private_dir):
    """(old request, its file path, new request, its file path, new letter bytes)."""
    old, _ = request_sent(api, "Surat lama")
    new, new_letter = request_sent(api, "Surat baru")
    age(old, django_settings.LETTER_RETENTION_DAYS + 1)
    age(new, django_settings.LETTER_RETENTION_DAYS - 1)
    return old, private_dir / old.letter.name, new, private_dir / new.letter.name, new_letter


def test_it_deletes_the_letter_past_its_retention_and_keeps_the_request(old_and_new, private_dir):
    old, old_file, _new, new_file, _new_letter = old_and_new
    assert old_file.exists() and new_file.exists()
    now = timezone.now()

    purged = services.letters_purge(now=now)

    assert purged == 1
    assert not old_file.exists()
    kept = EmergencyRequest.objects.get(pk=old.pk)
    assert kept.letter.name == ""
    assert kept.letter_deleted_at == now
    # What the request says about its letter stays.
    assert (kept.letter_sha256, kept.letter_size, kept.letter_content_type) == (
        old.letter_sha256, old.letter_size, old.letter_content_type,
    )
    assert (kept.facility_id, kept.card_id, kept.reason) == (old.facility_id, old.card_id, old.reason)


def test_it_leaves_newer_letters_alone(old_and_new, private_dir):
    _old, _old_file, new, new_file, new_letter = old_and_new

    services.letters_purge(now=timezone.now())

    assert files_under(private_dir) == [new_file]
    assert new_file.read_bytes() == new_letter
    after = EmergencyRequest.objects.get(pk=new.pk)
    assert (after.letter.name, after.letter_deleted_at) == (new.letter.name, None)


def test_it_counts_nothing_the_second_time(old_and_new):
    old, *_ = old_and_new
    first_run = timezone.now()
    assert services.letters_purge(now=first_run) == 1

    assert services.letters_purge(now=first_run) == 0
    assert services.letters_purge(now=first_run + dt.timedelta(minutes=5)) == 0

    assert EmergencyRequest.objects.get(pk=old.pk).letter_deleted_at == first_run
    assert EmergencyRequest.objects.count() == 2


def test_it_follows_the_retention_setting(api, private_dir, settings):
    settings.LETTER_RETENTION_DAYS = 30
    older, _ = request_sent(api, "Surat 31 hari")
    younger, _ = request_sent(api, "Surat 29 hari")
    age(older, 31)
    age(younger, 29)

    assert services.letters_purge(now=timezone.now()) == 1

    assert EmergencyRequest.objects.get(pk=older.pk).letter_deleted_at is not None
    assert EmergencyRequest.objects.get(pk=younger.pk).letter_deleted_at is None


def test_the_admin_no_longer_hands_out_a_deleted_letter(client, old_and_new):
    old, *_ = old_and_new
    services.letters_purge(now=timezone.now())
    office = health_office_user()
    client.force_login(office)

    response = client.get(f"/admin/hospitals/emergencyrequest/{old.pk}/letter/")

    assert response.status_code == 404
    assert not AccessLog.objects.filter(object_type="emergency_letter", action="view").exists()
    denied = AccessLog.objects.get(object_type="emergency_letter", action="denied")
    assert (denied.user, denied.object_id) == (office, str(old.pk))


def test_the_admin_page_says_the_letter_was_deleted(client, old_and_new):
    old, _old_file, new, *_ = old_and_new
    services.letters_purge(now=timezone.now())
    client.force_login(health_office_user())
    model_admin = admin.site._registry[EmergencyRequest]

    response = client.get(f"/admin/hospitals/emergencyrequest/{old.pk}/change/")
    listing = client.get("/admin/hospitals/emergencyrequest/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"/admin/hospitals/emergencyrequest/{old.pk}/letter/" not in page
    with translation.override(getattr(response.wsgi_request, "LANGUAGE_CODE", None) or "id"):
        said = str(model_admin.letter_link(EmergencyRequest.objects.get(pk=old.pk)))
    assert said and "href" not in said
    assert escape(said) in page
    # The request whose letter is kept still links to it.
    assert f"/admin/hospitals/emergencyrequest/{new.pk}/letter/" in listing.content.decode()
    assert f"/admin/hospitals/emergencyrequest/{old.pk}/letter/" not in listing.content.decode()


def test_the_beat_runs_the_purge_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["purge-letters"]

    assert entry["task"] == "hospitals.tasks.purge_letters"
    assert tasks.purge_letters.name == "hospitals.tasks.purge_letters"
    assert entry["schedule"].hour == {2}


def test_the_task_purges_and_returns_the_count(old_and_new):
    old, old_file, _new, new_file, _ = old_and_new

    assert tasks.purge_letters() == 1
    assert tasks.purge_letters() == 0

    assert not old_file.exists() and new_file.exists()
    assert EmergencyRequest.objects.get(pk=old.pk).letter_deleted_at is not None
