"""A NIK is active in at most one household at a time."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import Member
from tests.factories import MARGAJAYA, verified

pytestmark = pytest.mark.django_db


def _copy_into(member, household):
    return Member.objects.create(
        household=household, nik=member.nik, full_name=member.full_name, birth_date=member.birth_date,
        sex=member.sex, relationship="anak", start_date=dt.date(2026, 1, 1),
    )


def test_it_refuses_one_nik_in_two_active_households():
    first = verified().household
    second = verified(MARGAJAYA).household
    person = first.active_members().exclude(relationship="kepala_keluarga").first()
    before = Member.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        _copy_into(person, second)

    assert Member.objects.count() == before
    assert not second.members.filter(nik=person.nik).exists()


def test_it_allows_a_move_once_the_old_membership_has_ended():
    first = verified().household
    second = verified(MARGAJAYA).household
    person = first.active_members().exclude(relationship="kepala_keluarga").first()
    person.end_date = timezone.localdate()
    person.end_reason = "pindah KK"
    person.save()

    _copy_into(person, second)

    rows = Member.objects.filter(nik=person.nik)
    assert rows.count() == 2  # the move keeps its history
    assert rows.get(end_date__isnull=True).household == second


def test_it_refuses_an_end_date_before_the_start_date():
    member = verified().household.active_members().first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(end_date=member.start_date - dt.timedelta(days=1))

    member.refresh_from_db()
    assert member.end_date is None
