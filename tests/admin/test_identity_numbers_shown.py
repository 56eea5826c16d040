"""NIK and KK appear in full only to staff of the household's own area."""

import pytest
from django.urls import reverse

from kartusehat import areas
from registrations.models import Registration, RegistrationMember
from tests.factories import BEKASI_BARAT, KRANJI, MARGAJAYA, staff_user, submit

pytestmark = pytest.mark.django_db


def test_it_shows_full_digits_to_staff_of_the_area(client):
    registration = submit(KRANJI)
    nik = registration.members.get(position=0).nik
    client.force_login(staff_user(KRANJI))

    page = client.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()

    assert registration.kk_number in page
    assert nik in page


@pytest.mark.parametrize("area, full", [(KRANJI, True), (BEKASI_BARAT, True), (MARGAJAYA, False), (None, False)])
def test_it_decides_full_view_by_area(area, full):
    registration = submit(KRANJI)
    user = staff_user(area)

    annotated = areas.annotate_full_view(Registration.objects.filter(pk=registration.pk), user).get()
    member = areas.annotate_full_view(
        RegistrationMember.objects.filter(registration=registration), user, "registration__kelurahan"
    ).first()

    assert annotated.full_view is full
    assert member.full_view is full


def test_it_masks_numbers_for_a_user_outside_the_area():
    from kartusehat.admin import shown_number

    registration = submit(KRANJI)
    outsider = areas.annotate_full_view(Registration.objects.filter(pk=registration.pk), staff_user(MARGAJAYA)).get()

    shown = shown_number(outsider, registration.kk_number)

    assert shown == registration.kk_number[:4] + "••••••••" + registration.kk_number[-4:]
