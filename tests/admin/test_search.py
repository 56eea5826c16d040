"""Staff search by reference, KK, NIK or name, however it is typed."""

import pytest
from django.urls import reverse

from registrations.models import RegistrationMember
from tests.factories import KRANJI, staff_user, submit

pytestmark = pytest.mark.django_db


def _found(client, term):
    response = client.get(reverse("admin:registrations_registration_changelist"), {"q": term})
    return {r.reference for r in response.context["cl"].result_list}


def test_it_finds_a_name_of_twelve_letters(client):
    # "Ahmad Harahap" is 12 letters of the reference alphabet: still a name.
    registration = submit(KRANJI)
    RegistrationMember.objects.filter(registration=registration, position=0).update(full_name="Ahmad Harahap")
    client.force_login(staff_user(KRANJI))

    assert _found(client, "Ahmad Harahap") == {registration.reference}


def test_it_finds_a_kk_by_its_first_twelve_digits(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    assert _found(client, registration.kk_number[:12]) == {registration.reference}


@pytest.mark.parametrize("shape", [str.lower, lambda r: r.replace("-", ""), lambda r: r[3:]])
def test_it_finds_a_reference_typed_loosely(client, shape):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    assert _found(client, shape(registration.reference)) == {registration.reference}


def test_it_finds_a_kk_prefix_typed_in_dashed_groups(client):
    registration = submit(KRANJI)
    kk = registration.kk_number
    client.force_login(staff_user(KRANJI))

    assert _found(client, f"{kk[:4]}-{kk[4:8]}-{kk[8:12]}") == {registration.reference}
