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


def test_it_records_a_refused_attempt_on_another_areas_registration(client):
    other = submit(MARGAJAYA)
    staff = staff_user(KRANJI)
    client.force_login(staff)

    client.get(reverse("admin:registrations_registration_change", args=[other.pk]))

    assert not AccessLog.objects.filter(action="view").exists()
    denied = AccessLog.objects.get(action="denied")
    assert (denied.user, denied.object_id) == (staff, str(other.pk))


def test_it_records_who_listed_registrations_and_how_they_filtered(client):
    submit(KRANJI)
    staff = staff_user(KRANJI)
    client.force_login(staff)

    client.get(reverse("admin:registrations_registration_changelist"), {"status__exact": "submitted"})

    entry = AccessLog.objects.get(action="list")
    assert entry.user == staff and entry.detail == "status__exact=submitted"


def test_it_records_who_read_a_registrations_history(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    client.get(reverse("admin:registrations_registration_history", args=[registration.pk]))

    assert AccessLog.objects.filter(action="history", object_id=str(registration.pk)).count() == 1


def test_it_stores_a_partial_number_masked_too(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    client.get(reverse("admin:registrations_registration_changelist"), {"q": registration.kk_number[:12]})

    entry = AccessLog.objects.get(action="search")
    assert registration.kk_number[:12] not in entry.detail


def test_it_records_the_client_address_our_proxy_saw(client, settings):
    settings.NUM_PROXIES = 1
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    client.get(
        reverse("admin:registrations_registration_change", args=[registration.pk]),
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2",
    )

    # The left entry was written by the client; only our proxy's is trusted.
    assert AccessLog.objects.get(action="view").ip_address == "203.0.113.7"
