"""REQUIRE_SECOND_VERIFIER: when on, whoever entered a registration at the desk
may not verify it too; another staff member may. Off (the default), one clerk
does both. The rule is the service's; the admin action shows its message."""

import pytest
from django.urls import reverse
from django.utils import translation

from kartusehat.refusals import Forbidden
from registrations import services
from registrations.models import Registration
from tests.factories import KRANJI, registration_data, staff_user

pytestmark = pytest.mark.django_db


def _entered_by(staff) -> Registration:
    return services.registration_submit(data=registration_data(KRANJI), channel="kelurahan", submitted_by=staff)


def test_it_is_off_by_default():
    from django.conf import settings

    assert settings.REQUIRE_SECOND_VERIFIER is False


def test_when_on_it_refuses_the_staff_member_who_entered_it(settings):
    settings.REQUIRE_SECOND_VERIFIER = True
    clerk = staff_user(KRANJI)
    registration = _entered_by(clerk)

    with pytest.raises(Forbidden) as refused, translation.override("en"):
        services.registration_verify(registration_id=registration.pk, by=clerk)

    assert str(refused.value) == "You entered this registration yourself: another staff member must verify it."
    registration.refresh_from_db()
    assert registration.status == "submitted" and registration.household is None
    assert list(registration.events.values_list("status", flat=True)) == ["submitted"]


def test_when_on_it_lets_another_staff_member_verify(settings):
    settings.REQUIRE_SECOND_VERIFIER = True
    clerk, head_of_section = staff_user(KRANJI), staff_user(KRANJI)
    registration = _entered_by(clerk)

    services.registration_verify(registration_id=registration.pk, by=head_of_section)

    registration.refresh_from_db()
    assert registration.status == "verified" and registration.decided_by == head_of_section


def test_when_on_the_clerk_may_still_reject_what_they_entered(settings):
    settings.REQUIRE_SECOND_VERIFIER = True
    clerk = staff_user(KRANJI)
    registration = _entered_by(clerk)

    services.registration_reject(registration_id=registration.pk, by=clerk, reason="KK asli tidak dibawa")

    assert Registration.objects.get(pk=registration.pk).status == "rejected"


def test_when_off_the_clerk_verifies_what_they_entered(settings):
    settings.REQUIRE_SECOND_VERIFIER = False
    clerk = staff_user(KRANJI)
    registration = _entered_by(clerk)

    services.registration_verify(registration_id=registration.pk, by=clerk)

    registration.refresh_from_db()
    assert registration.status == "verified" and registration.decided_by == clerk == registration.submitted_by


def test_the_verify_action_shows_the_refusal_and_verifies_the_rest(client, settings):
    settings.REQUIRE_SECOND_VERIFIER = True
    clerk = staff_user(KRANJI)
    own = _entered_by(clerk)
    online = services.registration_submit(data=registration_data(KRANJI), channel="online")
    client.force_login(clerk)

    response = client.post(reverse("admin:registrations_registration_changelist"),
                           {"action": "verify_selected", "_selected_action": [own.pk, online.pk]}, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert "1 pendaftaran berhasil diverifikasi." in messages
    assert (f"{own.reference}: Anda sendiri yang memasukkan pendaftaran ini: petugas lain harus "
            "memverifikasinya.") in messages
    assert Registration.objects.get(pk=own.pk).status == "submitted"
    assert Registration.objects.get(pk=online.pk).status == "verified"
