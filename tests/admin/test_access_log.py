"""Opening a registration or searching for one is recorded, never with full digits."""

import pytest
from django.urls import reverse

from registrations.models import AccessLog
from tests.factories import KRANJI, MARGAJAYA, staff_user, submit

pytestmark = pytest.mark.django_db


def test_it_records_who_opened_a_registration(client):
    registration = submit(KRANJI)
    staff = staff_user(KRANJI)
    client.force_login(staff)

    client.get(reverse("admin:registrations_registration_change", args=[registration.pk]))

    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        staff, "view", "registration", str(registration.pk)
    )
    assert entry.ip_address == "127.0.0.1"


def test_it_records_a_search_with_the_nik_masked(client):
    registration = submit(KRANJI)
    nik = registration.members.get(position=0).nik
    client.force_login(staff_user(KRANJI))

    client.get(reverse("admin:registrations_registration_changelist"), {"q": nik})

    entry = AccessLog.objects.get(action="search")
    assert nik not in entry.detail
    assert entry.detail == f"{nik[:4]}••••••••{nik[-4:]}"


def test_it_records_nothing_for_a_page_the_user_may_not_open(client):
    other = submit(MARGAJAYA)
    client.force_login(staff_user(KRANJI))

    client.get(reverse("admin:registrations_registration_change", args=[other.pk]))

    assert not AccessLog.objects.filter(action="view").exists()
