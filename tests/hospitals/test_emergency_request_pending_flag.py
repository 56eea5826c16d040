"""An emergency request for a NIK whose household only has a submitted
registration: refused on ``nik`` (not a verified household), nothing kept, and
the registration flagged for verification today at its kelurahan, where staff
see it in the admin."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cards.models import Card
from hospitals.models import EmergencyRequest
from registrations import services as registration_services
from registrations.models import Registration, RegistrationEvent
from tests.api.helpers import files_under
from tests.factories import KRANJI, MARGAJAYA, staff_user, superuser
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    facility,
    hospital_key,
    hospital_user,
    keyed,
    pdf_bytes,
    pending_registration,
    upload,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registrations/registration/"


@pytest.fixture
def hospital():
    return facility("RSUD dr. Uji Darurat", type="rsud")


@pytest.fixture
def desk(api, hospital):
    _staff, key = hospital_key(hospital_user(hospital))
    return keyed(api, key)


def send(client, nik, text="Surat keterangan gawat darurat"):
    return client.post(
        EMERGENCY_URL, {"nik": nik, "reason": "gawat_darurat", "letter": upload(pdf_bytes(text))}, format="multipart",
    )


def nik_messages(response) -> str:
    assert response.status_code == 400, (response.status_code, response.content)
    errors = response.json()
    assert list(errors) == ["nik"], errors
    assert errors["nik"] and all(isinstance(m, str) and m for m in errors["nik"]), errors
    return " ".join(errors["nik"])


def test_it_refuses_on_nik_naming_the_kelurahan(desk, private_dir):
    registration, head = pending_registration()

    message = nik_messages(send(desk, head.nik))

    assert registration.kelurahan.name in message
    assert head.nik not in message


def test_it_keeps_no_request_and_no_letter(desk, private_dir):
    _registration, head = pending_registration()

    send(desk, head.nik)

    assert EmergencyRequest.objects.count() == 0
    assert files_under(private_dir) == []
    assert Card.objects.count() == 0


def test_it_flags_the_registration_for_today_naming_the_facility(desk, hospital, private_dir):
    registration, head = pending_registration()
    before = timezone.now()

    send(desk, head.nik)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.urgent_requested_at is not None
    assert before <= registration.urgent_requested_at <= timezone.now()
    assert hospital.name in registration.urgent_note


def test_it_flags_it_for_any_member_of_the_household(desk, private_dir):
    registration = pending_registration()[0]
    child = registration.members.exclude(relationship="kepala_keluarga").first()

    nik_messages(send(desk, child.nik))

    registration.refresh_from_db()
    assert registration.urgent_requested_at is not None


def test_it_keeps_the_first_flag_of_the_day(desk, private_dir):
    registration, head = pending_registration()
    send(desk, head.nik, "Surat pertama")
    registration.refresh_from_db()
    first = (registration.urgent_requested_at, registration.urgent_note)

    other_desk = keyed(type(desk)(), hospital_key(hospital_user(facility("RS Uji Kedua")))[1])
    nik_messages(send(other_desk, head.nik, "Surat kedua"))
    nik_messages(send(desk, head.nik, "Surat ketiga"))

    registration.refresh_from_db()
    assert (registration.urgent_requested_at, registration.urgent_note) == first


def test_it_flags_it_again_on_a_later_day(desk, private_dir):
    registration, head = pending_registration()
    yesterday = timezone.now() - dt.timedelta(days=1, hours=1)
    Registration.objects.filter(pk=registration.pk).update(urgent_requested_at=yesterday, urgent_note="RS Kemarin")

    send(desk, head.nik)

    registration.refresh_from_db()
    assert registration.urgent_requested_at > yesterday
    assert "RS Kemarin" not in registration.urgent_note


def test_it_leaves_the_citizens_status_history_alone(desk, private_dir):
    registration, head = pending_registration()
    history = list(RegistrationEvent.objects.filter(registration=registration).values_list("pk", "status", "at",
        "note"))
    assert history

    send(desk, head.nik)
    send(desk, head.nik, "Surat lagi")

    assert list(
        RegistrationEvent.objects.filter(registration=registration).values_list("pk", "status", "at", "note")
    ) == history


def test_it_shows_the_flagged_registration_to_its_kelurahan(client, desk, private_dir):
    flagged, head = pending_registration(KRANJI)
    waiting_alone, _ = pending_registration(KRANJI)
    send(desk, head.nik)
    client.force_login(staff_user(KRANJI))

    response = client.get(CHANGELIST, {"darurat": "menunggu"})

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [flagged]
    page = response.content.decode()
    assert flagged.reference in page
    assert waiting_alone.reference not in page


def test_it_warns_the_kelurahan_with_the_count_of_flagged_registrations(client, desk, private_dir):
    for _ in range(2):
        _registration, head = pending_registration(KRANJI)
        send(desk, head.nik)
    pending_registration(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.get(CHANGELIST)

    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert re.search(r"\b2\b", str(warnings[0])), str(warnings[0])
    assert 'class="warning"' in response.content.decode()


def test_it_warns_only_the_kelurahan_of_the_registration(client, desk, private_dir):
    _registration, head = pending_registration(KRANJI)
    send(desk, head.nik)
    client.force_login(staff_user(MARGAJAYA))

    response = client.get(CHANGELIST, {"darurat": "menunggu"})

    assert list(response.context["cl"].result_list) == []
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_it_drops_out_of_the_waiting_filter_once_verified(client, desk, private_dir):
    registration, head = pending_registration(KRANJI)
    send(desk, head.nik)
    registration_services.registration_verify(registration_id=registration.pk, by=superuser())
    client.force_login(staff_user(KRANJI))

    waiting = client.get(CHANGELIST, {"darurat": "menunggu"})
    every = client.get(CHANGELIST, {"darurat": "semua"})

    assert list(waiting.context["cl"].result_list) == []
    assert not [m for m in waiting.context["messages"] if m.level_tag == "warning"]
    assert [r.pk for r in every.context["cl"].result_list] == [registration.pk]


def test_it_accepts_the_request_once_the_registration_is_verified(desk, private_dir):
    registration, head = pending_registration()
    nik_messages(send(desk, head.nik))
    registration_services.registration_verify(registration_id=registration.pk, by=superuser())

    response = send(desk, head.nik)

    assert response.status_code == 201, response.content
    assert response.json()["priority"] == "emergency"
