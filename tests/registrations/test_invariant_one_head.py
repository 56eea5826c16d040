"""A household has exactly one active kepala keluarga: the database refuses a second."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import Member
from tests.factories import verified

pytestmark = pytest.mark.django_db


def _add_member(household, *, relationship, nik, end_date=None):
    return Member.objects.create(
        household=household, nik=nik, full_name="Anak Baru", birth_date=dt.date(2001, 1, 2),
        sex="L", relationship=relationship, end_date=end_date, start_date=dt.date(2020, 1, 1),
    )


def test_it_refuses_a_second_active_head_through_the_orm():
    household = verified().household
    before = Member.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        _add_member(household, relationship="kepala_keluarga", nik="3275010201010007")

    assert Member.objects.count() == before
    assert household.active_members().filter(relationship="kepala_keluarga").count() == 1


def test_it_refuses_turning_a_member_into_a_second_head():
    household = verified(size=3).household
    child = household.active_members().exclude(relationship="kepala_keluarga").first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=child.pk).update(relationship="kepala_keluarga")

    child.refresh_from_db()
    assert child.relationship != "kepala_keluarga"


def test_it_allows_a_new_head_once_the_old_one_has_ended():
    household = verified().household
    head = household.active_members().get(relationship="kepala_keluarga")
    head.end_date = timezone.localdate()
    head.end_reason = "meninggal dunia"
    head.save()

    _add_member(household, relationship="kepala_keluarga", nik="3275010201010007")

    heads = household.members.filter(relationship="kepala_keluarga")
    assert heads.count() == 2  # history keeps the former head
    assert heads.filter(end_date__isnull=True).count() == 1
