"""The health office issues, lists and revokes hospital API keys in admin; a
key is shown once and only its SHA-256 is stored."""

import hashlib
import re

import pytest
from rest_framework.test import APIClient

from hospitals.models import ApiToken
from tests.factories import KRANJI, staff_user
from tests.hospitals.helpers import health_office_user, hospital_user, keyed, unregistered_nik, verify

pytestmark = pytest.mark.django_db

ADD = "/admin/hospitals/apitoken/add/"
CHANGELIST = "/admin/hospitals/apitoken/"
KEY = re.compile(r"ksrs_[A-Za-z0-9_\-]{20,}")


@pytest.fixture
def office(client):
    user = health_office_user()
    client.force_login(user)
    return client


@pytest.fixture
def staff():
    return hospital_user()


def _issue(office, staff, name="SIMRS"):
    response = office.post(ADD, {"staff": staff.pk, "name": name})
    assert response.status_code == 200, response.content[:500]
    keys = set(KEY.findall(response.content.decode()))
    assert len(keys) == 1, keys
    return response, keys.pop()


def _revoke(office, token):
    return office.post(CHANGELIST, {"action": "revoke_selected", "_selected_action": [token.pk]}, follow=True)


def _works(key) -> int:
    return verify(keyed(APIClient(), key), {"nik": unregistered_nik()}).status_code


def test_it_shows_the_add_form(office, staff):
    response = office.get(ADD)

    assert response.status_code == 200
    form = response.context["form"]
    assert {"staff", "name"} <= set(form.fields)
    assert staff.pk in [choice.value for choice, _label in list(form.fields["staff"].choices)[1:]]


def test_it_shows_a_new_key_once(office, staff):
    response, key = _issue(office, staff)

    token = ApiToken.objects.get()
    assert key.startswith("ksrs_")
    assert (token.staff_id, token.name, token.revoked_at) == (staff.pk, "SIMRS", None)
    assert token.created_by.username == "dinkes"
    assert "no-store" in response["Cache-Control"]
    # Not on the next page: it is never shown again.
    assert key not in office.get(CHANGELIST).content.decode()
    assert key not in office.get(f"{CHANGELIST}{token.pk}/change/").content.decode()


def test_the_new_key_checks_coverage(office, staff):
    _response, key = _issue(office, staff)

    assert _works(key) == 200


def test_it_stores_only_the_keys_sha256(office, staff):
    _response, key = _issue(office, staff)

    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) < len(key)
    for field in ApiToken._meta.concrete_fields:
        assert key not in str(getattr(token, field.attname)), field.name


def test_it_lists_the_keys_prefix(office, staff):
    _response, key = _issue(office, staff, name="SIMRS IGD")
    token = ApiToken.objects.get()

    response = office.get(CHANGELIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert token.prefix in page
    assert "SIMRS IGD" in page


def test_it_revokes_a_key(office, staff):
    _response, key = _issue(office, staff)
    token = ApiToken.objects.get()

    response = _revoke(office, token)

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by.username == "dinkes"
    assert _works(key) == 401


def test_revoking_twice_is_harmless(office, staff):
    _response, key = _issue(office, staff)
    token = ApiToken.objects.get()
    _revoke(office, token)
    token.refresh_from_db()
    first = token.revoked_at

    response = _revoke(office, token)

    assert response.status_code == 200
    assert not [m for m in response.context["messages"] if m.level_tag == "error"]
    token.refresh_from_db()
    assert token.revoked_at == first
    assert _works(key) == 401


def test_revoking_one_key_leaves_the_others(office, staff):
    _response, revoked = _issue(office, staff, name="SIMRS lama")
    _response, kept = _issue(office, staff, name="SIMRS baru")

    _revoke(office, ApiToken.objects.get(name="SIMRS lama"))

    assert (_works(revoked), _works(kept)) == (401, 200)


def test_it_issues_no_key_to_a_suspended_user(office, staff):
    from hospitals import services

    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=health_office_user())

    response = office.post(ADD, {"staff": staff.pk, "name": "SIMRS"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not KEY.search(response.content.decode())
    assert not ApiToken.objects.exists()


def test_it_asks_for_a_name(office, staff):
    response = office.post(ADD, {"staff": staff.pk, "name": ""})

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_kelurahan_staff_user_cannot_open_the_add_page(client, staff):
    client.force_login(staff_user(KRANJI))

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"staff": staff.pk, "name": "SIMRS"}).status_code == 403
    assert not ApiToken.objects.exists()
