"""The health office adds hospital users in admin, suspends them (their keys
go with it) and lets them back in; hospital users never get into the admin."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from hospitals.models import ApiToken, HospitalStaff
from hospitals.roles import HOSPITAL_STAFF
from tests.hospitals.helpers import (
    PASSWORD,
    facility,
    health_office_user,
    hospital_key,
    hospital_user,
    keyed,
    unregistered_nik,
    verify,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/hospitals/hospitalstaff/add/"
CHANGELIST = "/admin/hospitals/hospitalstaff/"
DESK_LOGIN = "/rs/masuk/"
User = get_user_model()


@pytest.fixture
def office(client):
    client.force_login(health_office_user())
    return client


@pytest.fixture
def place():
    return facility("RS Admin Uji")


def _form(place, **overrides):
    return {
        "username": "loket.igd", "full_name": "Siti Rahayu", "facility": place.pk,
        "password1": PASSWORD, "password2": PASSWORD, **overrides,
    }


def _assert_refused(response, before_users: int):
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'name="username"' in response.content.decode()
    assert User.objects.count() == before_users
    assert not HospitalStaff.objects.exists()


def _action(office, action, staff):
    return office.post(CHANGELIST, {"action": action, "_selected_action": [staff.pk]}, follow=True)


def _desk_login(username, password=PASSWORD):
    client = APIClient()
    response = client.post(DESK_LOGIN, {"username": username, "password": password})
    return client, response


def test_it_shows_the_add_form(office):
    response = office.get(ADD)

    assert response.status_code == 200
    assert {"username", "full_name", "facility", "password1", "password2"} <= set(response.context["form"].fields)


def test_it_adds_a_hospital_user_for_a_facility(office, place):
    response = office.post(ADD, _form(place))

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    user = User.objects.get(username="loket.igd")
    assert user.first_name == "Siti Rahayu"
    assert user.is_staff is False and user.is_superuser is False and user.is_active is True
    assert list(user.groups.values_list("name", flat=True)) == [HOSPITAL_STAFF]
    assert user.hospital_staff.facility == place
    assert user.hospital_staff.created_by.username == "dinkes"
    assert user.check_password(PASSWORD)


def test_the_new_user_checks_coverage_at_the_desk(office, place):
    office.post(ADD, _form(place))

    client, login = _desk_login("loket.igd")

    assert login.status_code == 302
    assert verify(client, {"nik": unregistered_nik()}).status_code == 200


def test_it_refuses_mismatching_passwords(office, place):
    before = User.objects.count()

    response = office.post(ADD, _form(place, password2=PASSWORD + "x"))

    _assert_refused(response, before)
    assert "password2" in response.context["form"].errors


def test_it_refuses_a_taken_username(office, place):
    hospital_user(username="loket.igd")
    before, staff_before = User.objects.count(), HospitalStaff.objects.count()

    response = office.post(ADD, _form(place, username="Loket.IGD"))

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.count() == before
    assert HospitalStaff.objects.count() == staff_before


def test_it_refuses_a_too_short_password(office, place):
    before = User.objects.count()

    response = office.post(ADD, _form(place, password1="pendek1", password2="pendek1"))

    _assert_refused(response, before)
    assert not User.objects.filter(username="loket.igd").exists()


def test_it_refuses_a_missing_facility(office, place):
    before = User.objects.count()

    _assert_refused(office.post(ADD, _form(place, facility="")), before)


def test_it_suspends_a_user_and_revokes_their_keys(office):
    staff, key = hospital_key()
    _same, second_key = hospital_key(staff)

    response = _action(office, "suspend_selected", staff)

    assert response.status_code == 200
    staff.user.refresh_from_db()
    assert staff.user.is_active is False
    assert not ApiToken.objects.filter(staff=staff, revoked_at__isnull=True).exists()
    assert set(ApiToken.objects.filter(staff=staff).values_list("revoked_by__username", flat=True)) == {"dinkes"}
    for k in (key, second_key):
        assert verify(keyed(APIClient(), k), {"nik": unregistered_nik()}).status_code == 401
    _client, login = _desk_login(staff.user.username)
    assert login.status_code == 200  # the login form again


def test_it_suspends_only_the_selected_user(office):
    staff, _key = hospital_key()
    colleague, colleague_key = hospital_key(hospital_user(staff.facility))

    _action(office, "suspend_selected", staff)

    colleague.user.refresh_from_db()
    assert colleague.user.is_active is True
    assert verify(keyed(APIClient(), colleague_key), {"nik": unregistered_nik()}).status_code == 200


def test_it_reactivates_a_suspended_user(office):
    staff = hospital_user()
    _action(office, "suspend_selected", staff)

    response = _action(office, "reactivate_selected", staff)

    assert response.status_code == 200
    staff.user.refresh_from_db()
    assert staff.user.is_active is True
    client, login = _desk_login(staff.user.username)
    assert login.status_code == 302
    assert verify(client, {"nik": unregistered_nik()}).status_code == 200


def test_a_hospital_user_cannot_log_into_the_admin(client):
    staff = hospital_user()

    response = client.post("/admin/login/", {"username": staff.user.username, "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 200  # the form again, not a redirect into the admin
    assert response.context["form"].errors
    assert client.get("/admin/").status_code == 302
    assert client.get(CHANGELIST).status_code == 302
