"""Kelurahan staff register a walk-in family in the admin, with the citizen's
own form: a `kelurahan` registration that records who entered it and that the
consent was given in person, scans optional, everything typed kept on a refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from registrations import services
from registrations.models import AccessLog, Registration, RegistrationDocument
from tests.admin.desk_helpers import change_url, desk_url
from tests.factories import BEKASI_BARAT, BINTARA, KRANJI, registration_data, staff_user
from tests.web.helpers import attributes, element, form_data, png_bytes, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def scans_removed():
    yield
    for document in RegistrationDocument.objects.exclude(file=""):
        document.file.storage.delete(document.file.name)


def test_it_creates_a_kelurahan_registration_entered_by_the_staff_member(client):
    data = registration_data(KRANJI, size=3)
    staff = staff_user(KRANJI)
    client.force_login(staff)

    response = client.post(desk_url(), form_data(data))

    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(registration)
    assert registration.channel == Registration.Channel.KELURAHAN
    assert registration.submitted_by == staff
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.consent_at is not None
    assert registration.consent_version == services.CONSENT_VERSION + services.CONSENT_IN_PERSON == "2026-12-v2+desk"
    assert registration.kk_number == data["kk_number"] and registration.kelurahan.code == KRANJI
    assert [(m.nik, m.full_name) for m in registration.members.order_by("position")] == [
        (m["nik"], m["full_name"]) for m in data["members"]
    ]
    event = registration.events.get()
    assert (event.status, event.by) == ("submitted", staff)
    assert registration.history.latest().history_user == staff
    assert not registration.documents.exists()  # scans are optional


def test_it_keeps_a_scan_sent_from_the_desk(client, scans_removed):
    client.force_login(staff_user(KRANJI))
    post = form_data(registration_data(KRANJI)) | {
        "ektp_scan": SimpleUploadedFile("ektp.png", png_bytes(), content_type="image/png"),
    }

    response = client.post(desk_url(), post)

    assert response.status_code == 302
    assert list(Registration.objects.get().documents.values_list("kind", flat=True)) == ["ektp"]


def test_it_shows_the_citizens_form_with_the_staff_members_kelurahan_chosen(client):
    client.force_login(staff_user(KRANJI))

    response = client.get(desk_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="register-form"' in html
    kelurahan = element(html, "kelurahan_code")
    assert f'<option value="{KRANJI}" selected>' in kelurahan
    assert kelurahan.count("<option value=\"32.75.") == 1  # Kranji only: the user's area
    assert attributes(html, "members-0-relationship")  # the head's row, as on /daftar/
    assert 'name="kk_scan"' in html and 'name="ektp_scan"' in html
    with translation.override("id"):
        assert str(services.CONSENT_VERSION) in text(element(html, "consent-text"))


def test_it_offers_a_kecamatan_user_the_kelurahan_of_the_kecamatan_and_chooses_none(client):
    client.force_login(staff_user(BEKASI_BARAT))

    kelurahan = element(client.get(desk_url()).content.decode(), "kelurahan_code")

    assert f'<option value="{KRANJI}">' in kelurahan and f'<option value="{BINTARA}">' in kelurahan
    assert " selected" not in kelurahan
    assert '"32.75.04.' not in kelurahan  # Bekasi Selatan is another kecamatan


def test_it_keeps_everything_typed_when_the_registration_is_refused(client):
    data = registration_data(KRANJI, size=2, email="keluarga@example.com")
    data["members"][1]["birth_date"] = "2090-01-01"
    client.force_login(staff_user(KRANJI))

    response = client.post(desk_url(), form_data(data))

    assert response.status_code == 400
    html = response.content.decode()
    assert "id=\"error-summary\"" in html
    for field in ("kk_number", "address", "rt", "rw", "phone", "email"):
        assert attributes(html, field)["value"] == data[field], field
    for index, member in enumerate(data["members"]):
        assert attributes(html, f"members-{index}-nik")["value"] == member["nik"]
        assert attributes(html, f"members-{index}-full_name")["value"] == member["full_name"]
    assert "checked" in attributes(html, "consent")
    assert Registration.objects.count() == 0


def test_it_adds_a_member_row_without_javascript_and_checks_nothing(client):
    data = registration_data(KRANJI, size=1)
    client.force_login(staff_user(KRANJI))

    response = client.post(desk_url(), form_data(data) | {"add_member": "1"})

    assert response.status_code == 200
    html = response.content.decode()
    assert attributes(html, "members-0-nik")["value"] == data["members"][0]["nik"]
    assert attributes(html, "members-1-nik")["value"] == ""
    assert Registration.objects.count() == 0


def test_it_refuses_a_kk_that_is_already_waiting_beside_the_kk_field(client):
    data = registration_data(KRANJI)
    services.registration_submit(data=data, channel="online")
    client.force_login(staff_user(KRANJI))

    response = client.post(desk_url(), form_data(data))

    assert response.status_code == 400
    assert text(element(response.content.decode(), "kk_number-error"))
    assert Registration.objects.count() == 1


def test_it_answers_garbage_with_the_form_never_an_error(client):
    client.force_login(staff_user(KRANJI))
    garbage = {"kk_number": "x" * 5000, "kelurahan_code": "\x00", "members-abc-nik": "1", "members-999-nik": "9" * 40,
               "members-0-birth_date": "2026-02-30", "members-0-sex": "Q", "consent": ["on", "off"], "submit": "1",
               "rt": "-1", "remove_member": ""}

    for post in (garbage, {k: v for k, v in garbage.items() if k != "remove_member"}, {"submit": "1"}):
        response = client.post(desk_url(), post)
        assert response.status_code in (200, 400), response.status_code
    assert Registration.objects.count() == 0
    assert not AccessLog.objects.filter(action="view").exists()
