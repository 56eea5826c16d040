"""Verifying makes the household active on the roster; it happens once."""

import pytest
from django.core.exceptions import PermissionDenied

from kartusehat.refusals import Conflict
from registrations import services
from registrations.models import Household, Member
from tests.factories import BEKASI_BARAT, KRANJI, MARGAJAYA, staff_user, submit

pytestmark = pytest.mark.django_db


def test_it_activates_the_household_with_its_members():
    registration = submit(KRANJI, size=4)
    staff = staff_user(KRANJI)

    services.registration_verify(registration_id=registration.pk, by=staff)

    registration.refresh_from_db()
    household = registration.household
    assert registration.status == "verified"
    assert registration.decided_by == staff and registration.decided_at is not None
    assert household.status == "active" and household.is_eligible
    assert household.kk_number == registration.kk_number
    assert sorted(household.active_members().values_list("nik", flat=True)) == sorted(
        registration.members.values_list("nik", flat=True)
    )
    assert list(registration.events.values_list("status", flat=True)) == ["submitted", "verified"]
    assert not registration.members.filter(pending=True).exists()


def test_it_records_the_change_in_the_history():
    registration = submit()
    staff = staff_user(KRANJI)

    services.registration_verify(registration_id=registration.pk, by=staff)

    latest = registration.history.latest()
    assert latest.status == "verified"
    assert latest.history_change_reason == "Terverifikasi"


def test_it_refuses_to_verify_twice():
    registration = submit()
    staff = staff_user(KRANJI)
    services.registration_verify(registration_id=registration.pk, by=staff)

    with pytest.raises(Conflict):
        services.registration_verify(registration_id=registration.pk, by=staff)

    assert Household.objects.count() == 1
    assert registration.events.count() == 2


def test_it_refuses_staff_of_another_kelurahan():
    registration = submit(MARGAJAYA)

    with pytest.raises(PermissionDenied):
        services.registration_verify(registration_id=registration.pk, by=staff_user(KRANJI))

    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert not Household.objects.exists()


def test_it_lets_kecamatan_staff_verify_in_their_kelurahan():
    registration = submit(KRANJI)

    services.registration_verify(registration_id=registration.pk, by=staff_user(BEKASI_BARAT))

    registration.refresh_from_db()
    assert registration.status == "verified"


def test_it_refuses_staff_without_an_area():
    registration = submit(KRANJI)

    with pytest.raises(PermissionDenied):
        services.registration_verify(registration_id=registration.pk, by=staff_user(None))

    registration.refresh_from_db()
    assert registration.status == "submitted"


def test_it_reuses_the_household_of_a_kk_that_was_deactivated():
    first = submit(KRANJI, size=2)
    staff = staff_user(KRANJI)
    household = services.registration_verify(registration_id=first.pk, by=staff).household
    Household.objects.filter(pk=household.pk).update(status="inactive")
    again = submit(KRANJI, size=3, kk_number=household.kk_number)

    services.registration_verify(registration_id=again.pk, by=staff)

    household.refresh_from_db()
    assert Household.objects.count() == 1
    assert household.status == "active"
    assert household.active_members().count() == 3
    assert Member.objects.filter(household=household, end_date__isnull=False).count() == 2


def test_it_refuses_a_user_of_the_area_without_the_verify_permission():
    registration = submit(KRANJI)
    viewer = staff_user(KRANJI)
    viewer.groups.clear()

    with pytest.raises(PermissionDenied):
        services.registration_verify(registration_id=registration.pk, by=viewer)
    with pytest.raises(PermissionDenied):
        services.registration_reject(registration_id=registration.pk, by=viewer, reason="Tidak lengkap")

    registration.refresh_from_db()
    assert registration.status == "submitted"


def test_it_names_the_verifier_as_author_in_every_history_row():
    # No request here (a command, a task): the author must still be recorded.
    registration = submit(KRANJI, size=2)
    staff = staff_user(KRANJI)

    household = services.registration_verify(registration_id=registration.pk, by=staff).household

    assert registration.history.latest().history_user == staff
    assert household.history.latest().history_user == staff
    assert {m.history.latest().history_user for m in household.members.all()} == {staff}
