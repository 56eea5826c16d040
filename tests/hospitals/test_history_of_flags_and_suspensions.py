"""Who did what stays in the history (django-simple-history): the urgent flag
a hospital puts on a waiting registration, and the suspension and
reactivation of a hospital user by the health office."""

import pytest

from hospitals import services
from hospitals.models import ApiToken, HospitalStaff
from registrations.models import Registration, RegistrationEvent
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    PASSWORD,
    health_office_user,
    hospital_key,
    hospital_user,
    keyed,
    pdf_bytes,
    pending_registration,
    upload,
)

pytestmark = pytest.mark.django_db


def send(client, nik, text="Surat keterangan"):
    return client.post(EMERGENCY_URL, {"nik": nik, "reason": "gawat_darurat", "letter": upload(pdf_bytes(text))},
                       format="multipart")


# --- The urgent flag ----------------------------------------------------------------


def test_it_keeps_the_urgent_flag_in_the_registrations_history_by_the_hospital_user(api, private_dir):
    registration, head = pending_registration()
    staff, key = hospital_key()
    rows_before = registration.history.count()
    events_before = RegistrationEvent.objects.filter(registration=registration).count()

    response = send(keyed(api, key), head.nik)

    assert response.status_code == 400
    assert registration.history.count() == rows_before + 1
    row = registration.history.order_by("-history_id").first()
    assert row.history_user == staff.user
    assert row.urgent_requested_at is not None
    assert staff.facility.name in row.urgent_note
    assert row.status == Registration.Status.SUBMITTED
    assert row.history_type == "~"
    # Not a status change: the citizen's status history is unchanged.
    assert RegistrationEvent.objects.filter(registration=registration).count() == events_before


def test_it_keeps_the_desk_pages_flag_by_its_user(client, private_dir):
    registration, head = pending_registration()
    staff = hospital_user()
    assert client.post("/rs/masuk/", {"username": staff.user.username, "password": PASSWORD}).status_code == 302

    response = client.post("/rs/darurat/", {"nik": head.nik, "reason": "sakit", "notes": "",
        "letter": upload(pdf_bytes())})

    assert response.status_code == 400
    row = registration.history.order_by("-history_id").first()
    assert (row.history_user, row.urgent_requested_at is not None) == (staff.user, True)


def test_it_adds_no_history_row_for_a_second_request_the_same_day(api, private_dir):
    registration, head = pending_registration()
    _staff, key = hospital_key()
    send(keyed(api, key), head.nik, "Surat pertama")
    rows = registration.history.count()
    flagged_at = Registration.objects.get(pk=registration.pk).urgent_requested_at

    assert send(keyed(api, key), head.nik, "Surat kedua").status_code == 400

    assert registration.history.count() == rows
    assert Registration.objects.get(pk=registration.pk).urgent_requested_at == flagged_at


# --- Suspensions ----------------------------------------------------------------------


@pytest.fixture
def office():
    return health_office_user()


def history_rows(staff: HospitalStaff):
    return staff.history.order_by("history_id")


def test_it_records_who_suspended_a_hospital_user_and_when(office):
    staff, _key = hospital_key()
    rows_before = history_rows(staff).count()

    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=office)

    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.user.is_active is False
    assert staff.suspended_at is not None
    assert staff.suspended_by == office
    assert ApiToken.objects.get(staff=staff).revoked_at is not None
    assert history_rows(staff).count() == rows_before + 1
    row = history_rows(staff).last()
    assert row.history_user == office
    assert (row.suspended_at, row.suspended_by_id) == (staff.suspended_at, office.pk)
    assert row.history_change_reason


def test_it_clears_the_suspension_on_reactivation_and_records_it(office):
    staff = hospital_user()
    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=office)
    other_office = health_office_user("dinkes.kedua")
    rows_before = history_rows(staff).count()

    services.hospital_staff_set_active(staff_id=staff.pk, active=True, by=other_office)

    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.user.is_active is True
    assert (staff.suspended_at, staff.suspended_by) == (None, None)
    assert history_rows(staff).count() == rows_before + 1
    row = history_rows(staff).last()
    assert row.history_user == other_office
    assert (row.suspended_at, row.suspended_by_id) == (None, None)
    # The suspension itself is still in the history.
    assert history_rows(staff).filter(suspended_by=office).exists()


def test_it_changes_nothing_when_suspending_twice(office):
    staff = hospital_user()
    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=office)
    staff.refresh_from_db()
    first = (staff.suspended_at, staff.suspended_by_id)
    rows = history_rows(staff).count()

    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=health_office_user("dinkes.kedua"))

    staff.refresh_from_db()
    assert (staff.suspended_at, staff.suspended_by_id) == first
    assert history_rows(staff).count() == rows


def test_it_changes_nothing_when_reactivating_an_active_user(office):
    staff = hospital_user()
    rows = history_rows(staff).count()

    services.hospital_staff_set_active(staff_id=staff.pk, active=True, by=office)

    staff.refresh_from_db()
    assert (staff.suspended_at, staff.suspended_by) == (None, None)
    assert history_rows(staff).count() == rows
