"""The desk registers families of the staff member's own area only, and only
for roles allowed to add registrations; anyone else gets 403."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from kartusehat.refusals import Forbidden
from registrations import services
from registrations.models import Region, Registration, StaffArea
from registrations.roles import AUDITOR
from tests.admin.desk_helpers import desk_url
from tests.factories import CITY, KRANJI, MARGAJAYA, UserFactory, registration_data, staff_user
from tests.web.helpers import attributes, element, form_data, text

pytestmark = pytest.mark.django_db


def test_it_refuses_a_kelurahan_outside_the_staff_members_area_and_keeps_the_form(client):
    data = registration_data(MARGAJAYA)
    client.force_login(staff_user(KRANJI))

    response = client.post(desk_url(), form_data(data))  # a crafted post: Margajaya is never offered

    assert response.status_code == 403
    html = response.content.decode()
    with translation.override("id"):
        assert "Margajaya" in text(element(html, "kelurahan_code-error"))
    assert attributes(html, "kk_number")["value"] == data["kk_number"]
    assert Registration.objects.count() == 0


def test_the_service_refuses_it_whoever_calls_it():
    with pytest.raises(Forbidden) as refused:
        services.registration_submit(data=registration_data(MARGAJAYA), channel="kelurahan",
                                     submitted_by=staff_user(KRANJI))

    assert list(refused.value.errors) == ["kelurahan_code"]
    assert Registration.objects.count() == 0


def test_it_refuses_a_staff_member_with_no_area():
    with pytest.raises(Forbidden):
        services.registration_submit(data=registration_data(KRANJI), channel="kelurahan",
                                     submitted_by=staff_user(None))

    assert Registration.objects.count() == 0


@pytest.mark.parametrize("group", [AUDITOR, None])
def test_it_answers_403_to_a_role_that_may_not_add_registrations(client, group):
    user = UserFactory(username="bukan.kelurahan")
    if group:
        user.groups.add(Group.objects.get(name=group))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=CITY))
    client.force_login(user)

    assert client.get(desk_url()).status_code == 403
    assert client.post(desk_url(), form_data(registration_data(KRANJI))).status_code == 403
    with pytest.raises(Forbidden):
        services.registration_submit(data=registration_data(KRANJI), channel="kelurahan", submitted_by=user)
    assert Registration.objects.count() == 0
