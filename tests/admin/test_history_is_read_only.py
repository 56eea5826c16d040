"""History pages are for reading: no revert (it would bypass the services),
no other area's history, and no error page for a malformed version id."""

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import Household, Registration
from tests.factories import KRANJI, MARGAJAYA, staff_user, submit, superuser

pytestmark = pytest.mark.django_db


def _version_url(registration, version):
    return reverse("admin:registrations_registration_simple_history", args=[registration.pk, version])


def test_it_refuses_to_revert_a_registration_to_an_old_version(client):
    registration = submit(KRANJI)
    services.registration_verify(registration_id=registration.pk, by=superuser())
    first_version = registration.history.earliest().history_id
    client.force_login(superuser())

    response = client.post(_version_url(registration, first_version), {})

    assert response.status_code == 405
    registration.refresh_from_db()
    assert registration.status == "verified" and registration.household is not None


def test_it_refuses_to_revert_a_household(client):
    registration = submit(KRANJI)
    staff = staff_user(KRANJI)
    household = services.registration_verify(registration_id=registration.pk, by=staff).household
    Household.objects.filter(pk=household.pk).update(address="Jl. Baru 1")
    version = household.history.earliest().history_id
    client.force_login(staff)

    response = client.post(
        reverse("admin:registrations_household_simple_history", args=[household.pk, version]),
        {"address": "Jl. Lama", "rt": "1", "rw": "1", "phone": "081234567890"},
    )

    assert response.status_code == 405
    household.refresh_from_db()
    assert household.address == "Jl. Baru 1"


def test_it_shows_an_old_version_to_staff_of_the_area(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.get(_version_url(registration, registration.history.earliest().history_id))

    assert response.status_code == 200
    assert registration.reference in response.content.decode()


def test_it_hides_another_areas_old_versions(client):
    other = submit(MARGAJAYA)
    client.force_login(staff_user(KRANJI))

    response = client.get(_version_url(other, other.history.earliest().history_id))

    assert response.status_code == 404


def test_it_answers_404_for_a_malformed_version_id(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.get(f"/admin/registrations/registration/{registration.pk}/history/abc/")

    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == "submitted"
