"""Kelurahan staff verify and reject one or many registrations from the list."""

import pytest
from django.urls import reverse

from registrations.models import Registration
from tests.factories import KRANJI, staff_user, submit

pytestmark = pytest.mark.django_db



def _changelist():
    return reverse("admin:registrations_registration_changelist")


def test_it_verifies_many_at_once(client):
    regs = [submit(KRANJI) for _ in range(3)]
    client.force_login(staff_user(KRANJI))

    response = client.post(_changelist(), {"action": "verify_selected", "_selected_action": [r.pk for r in regs]},
        follow=True)

    assert set(Registration.objects.values_list("status", flat=True)) == {"verified"}
    assert [str(m) for m in response.context["messages"]] == ["3 pendaftaran berhasil diverifikasi."]


def test_it_reports_a_registration_that_was_already_decided(client):
    done, pending = submit(KRANJI), submit(KRANJI)
    staff = staff_user(KRANJI)
    client.force_login(staff)
    client.post(_changelist(), {"action": "verify_selected", "_selected_action": [done.pk]})

    response = client.post(
        _changelist(), {"action": "verify_selected", "_selected_action": [done.pk, pending.pk]}, follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any(done.reference in m for m in messages)
    assert Registration.objects.get(pk=pending.pk).status == "verified"


def test_it_asks_for_a_reason_before_rejecting(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.post(_changelist(), {"action": "reject_selected", "_selected_action": [registration.pk]})

    assert response.status_code == 200
    assert "reason" in response.context["form"].fields
    assert Registration.objects.get(pk=registration.pk).status == "submitted"


def test_it_keeps_asking_when_the_reason_is_empty(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.post(
        _changelist(), {"action": "reject_selected", "_selected_action": [registration.pk], "apply": "1", "reason": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Registration.objects.get(pk=registration.pk).status == "submitted"


def test_it_rejects_many_with_the_reason_given(client):
    regs = [submit(KRANJI) for _ in range(2)]
    client.force_login(staff_user(KRANJI))

    client.post(
        _changelist(),
        {"action": "reject_selected", "_selected_action": [r.pk for r in regs], "apply": "1",
         "reason": "Foto KK tidak terbaca"},
    )

    assert set(Registration.objects.values_list("status", "rejection_reason")) == {
        ("rejected", "Foto KK tidak terbaca")
    }


def test_it_hides_the_actions_from_staff_without_the_verify_permission(client):
    registration = submit(KRANJI)
    user = staff_user(KRANJI)
    user.groups.clear()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(user)

    response = client.post(_changelist(), {"action": "verify_selected", "_selected_action": [registration.pk]})

    assert Registration.objects.get(pk=registration.pk).status == "submitted"
    listing = client.get(_changelist())
    assert "verify_selected" not in listing.content.decode()
    assert response.status_code == 200  # Django: "no action selected" back on the list
