"""A kelurahan records that someone left a household; the history stays, and
the person can then be verified into another KK (a move)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kartusehat.refusals import Conflict
from registrations import services
from registrations.models import Member
from tests.factories import KRANJI, MARGAJAYA, staff_user, submit, verified

pytestmark = pytest.mark.django_db


def _child(household):
    return household.active_members().exclude(relationship="kepala_keluarga").first()


def test_it_ends_a_membership_and_keeps_the_row():
    household = verified(KRANJI, size=3).household
    child = _child(household)
    staff = staff_user(KRANJI)

    services.member_end(member_id=child.pk, by=staff, reason="Pindah KK (menikah)")

    child.refresh_from_db()
    assert child.end_date == timezone.localdate() and child.end_reason == "Pindah KK (menikah)"
    assert household.active_members().count() == 2
    assert Member.objects.filter(pk=child.pk).exists()
    assert child.history.latest().history_user == staff


def test_it_lets_the_person_be_verified_into_another_kk_after_a_move():
    old = verified(KRANJI, size=3).household
    mover = _child(old)
    staff = staff_user(KRANJI)
    services.member_end(member_id=mover.pk, by=staff, reason="Pindah ke KK baru")
    new = submit(MARGAJAYA, size=2)
    new.members.filter(position=1).update(
        nik=mover.nik, full_name=mover.full_name, birth_date=mover.birth_date, sex=mover.sex
    )

    services.registration_verify(registration_id=new.pk, by=staff_user(MARGAJAYA))

    rows = Member.objects.filter(nik=mover.nik).order_by("start_date", "id")
    assert [(r.household.kelurahan.code, r.end_date is None) for r in rows] == [(KRANJI, False), (MARGAJAYA, True)]


def test_it_refuses_to_remove_the_head_of_household():
    household = verified(KRANJI).household
    head = household.active_members().get(relationship="kepala_keluarga")

    with pytest.raises(Conflict):
        services.member_end(member_id=head.pk, by=staff_user(KRANJI), reason="Meninggal dunia")

    head.refresh_from_db()
    assert head.end_date is None


def test_it_refuses_staff_of_another_area():
    child = _child(verified(KRANJI, size=3).household)

    with pytest.raises(PermissionDenied):
        services.member_end(member_id=child.pk, by=staff_user(MARGAJAYA), reason="Pindah KK")

    child.refresh_from_db()
    assert child.end_date is None


def test_it_ends_memberships_from_the_admin_with_a_reason(client):
    household = verified(KRANJI, size=4).household
    children = list(household.active_members().exclude(relationship="kepala_keluarga"))[:2]
    client.force_login(staff_user(KRANJI))

    client.post(
        reverse("admin:registrations_member_changelist"),
        {"action": "end_selected", "_selected_action": [c.pk for c in children], "apply": "1", "reason": "Pindah KK"},
    )

    assert Member.objects.filter(pk__in=[c.pk for c in children], end_reason="Pindah KK").count() == 2
    assert household.active_members().count() == 2


def test_it_lists_only_members_of_the_users_area(client):
    own = verified(KRANJI).household
    verified(MARGAJAYA)
    client.force_login(staff_user(KRANJI))

    response = client.get(reverse("admin:registrations_member_changelist"))

    assert {m.household_id for m in response.context["cl"].result_list} == {own.pk}
