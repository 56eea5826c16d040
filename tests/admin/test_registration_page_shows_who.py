"""A registration's page always says who entered it (a staff member at the
desk, the citizen online, an import) and who verified or rejected it."""

import pytest
from django.utils import translation

from registrations import services
from registrations.models import Registration
from tests.admin.desk_helpers import change_url
from tests.factories import KRANJI, UserFactory, registration_data, staff_user, submit

pytestmark = pytest.mark.django_db


def _field(response, name: str) -> str:
    """The text of a read-only field on the admin page."""
    for fieldset in response.context["adminform"]:
        for line in fieldset:
            for field in line:
                if field.field["name"] == name:
                    return str(field.contents())
    raise KeyError(name)


def test_it_shows_the_staff_member_who_entered_it_and_who_verified_it(client):
    clerk = staff_user(KRANJI, username="kel.kranji.loket", first_name="Siti", last_name="Rahma")
    lurah = staff_user(KRANJI, username="kel.kranji.kasi")
    registration = services.registration_submit(data=registration_data(KRANJI), channel="kelurahan",
                                                submitted_by=clerk)
    client.force_login(lurah)

    before = client.get(change_url(registration))
    services.registration_verify(registration_id=registration.pk, by=lurah)
    after = client.get(change_url(registration))

    with translation.override("id"):
        desk = str(Registration.Channel.KELURAHAN.label)
    assert _field(before, "entered_by") == f"Siti Rahma (kel.kranji.loket): {desk}"
    assert _field(before, "decided_by_shown") == "belum diputuskan"
    assert _field(after, "entered_by") == f"Siti Rahma (kel.kranji.loket): {desk}"
    assert _field(after, "decided_by_shown") == "diverifikasi oleh kel.kranji.kasi"
    assert "Siti Rahma (kel.kranji.loket)" in after.content.decode()


def test_it_says_the_citizen_entered_an_online_registration_and_who_rejected_it(client):
    registration = submit(KRANJI)
    staff = staff_user(KRANJI, username="kel.kranji")
    services.registration_reject(registration_id=registration.pk, by=staff, reason="Foto KK tidak terbaca")
    client.force_login(staff)

    response = client.get(change_url(registration))

    assert _field(response, "entered_by") == "warga, daring"
    assert _field(response, "decided_by_shown") == "ditolak oleh kel.kranji"


def test_it_says_an_import_without_a_named_uploader_came_from_an_import(client):
    registration = submit(KRANJI, channel="import")
    client.force_login(UserFactory(username="root", is_superuser=True))

    response = client.get(change_url(registration))

    assert _field(response, "entered_by") == "impor daftar RW"
