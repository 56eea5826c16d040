"""A KK number names one household, and has at most one pending registration."""

import pytest
from django.db import IntegrityError, transaction

from registrations.models import Household, Registration, RegistrationMember
from tests.factories import KRANJI, submit, verified

pytestmark = pytest.mark.django_db


def test_it_refuses_a_second_household_with_the_same_kk():
    household = verified().household
    before = Household.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(
            kk_number=household.kk_number, kelurahan=household.kelurahan, address="Jl. Lain 1",
            rt="001", rw="001", phone="+6281234567890",
        )

    assert Household.objects.count() == before


def test_it_refuses_a_second_pending_registration_for_the_same_kk():
    first = submit()
    before = Registration.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            channel="online", kk_number=first.kk_number, kelurahan=first.kelurahan, address="Jl. Lain 1",
            rt="001", rw="001", phone="+6281234567890",
        )

    assert Registration.objects.count() == before


def test_it_refuses_one_nik_in_two_pending_registrations():
    first = submit()
    second = submit()
    nik = first.members.first().nik
    before = RegistrationMember.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationMember.objects.create(
            registration=second, position=9, nik=nik, full_name="Orang Sama", birth_date="1990-01-01",
            sex="L", relationship="anak",
        )

    assert RegistrationMember.objects.count() == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("kk_number", "32750212031800"),  # 14 digits
        ("kk_number", "327502120318000A"),
        ("rt", "3"),
        ("phone", "081234567890"),  # stored only as +628...
        ("status", "approved"),
        ("channel", "fax"),
    ],
)
def test_it_refuses_malformed_values_at_the_database(field, value):
    registration = submit(KRANJI)

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(**{field: value})

    registration.refresh_from_db()
    assert getattr(registration, field) != value


def test_it_refuses_a_decision_without_who_and_when():
    registration = submit()

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(status="rejected", rejection_reason="alasan")

    registration.refresh_from_db()
    assert registration.status == "submitted"


def test_it_refuses_a_rejection_without_a_reason():
    registration = submit()
    user = verified().decided_by

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(
            status="rejected", decided_at=registration.submitted_at, decided_by=user, rejection_reason=""
        )

    registration.refresh_from_db()
    assert registration.status == "submitted"
