"""An admin action posted with a crafted selection (not row ids) is refused
with a message and a redirect, never an error page, and changes nothing,
not even the real rows posted beside the crafted value."""

import pytest
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages

from cards.models import Card
from hospitals.models import Agreement, ApiToken, HospitalStaff
from tests.factories import superuser
from tests.hospitals.helpers import health_office_user, hospital_key, verified_household

pytestmark = pytest.mark.django_db


def post_action(client, url: str, action: str, selected: list):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: selected, "index": "0"})


def assert_refused(response, url: str):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == url
    shown = list(get_messages(response.wsgi_request))
    assert [m.level for m in shown] == [messages.ERROR]
    assert str(shown[0])


@pytest.fixture
def office(client):
    client.force_login(health_office_user())
    return client


@pytest.mark.parametrize("selected", [["abc"], ["{pk}", "abc"], ["1 OR 1=1"], ["-1"]],
                         ids=["letters", "beside-a-real-id", "sql-like", "negative"])
def test_it_refuses_a_crafted_selection_of_agreements(office, selected):
    agreement = Agreement.objects.filter(is_demo=True).first()
    before = sorted(Agreement.objects.values_list("pk", "is_demo", "confirmed_at"))
    url = "/admin/hospitals/agreement/"

    response = post_action(office, url, "confirm_selected", [s.format(pk=agreement.pk) for s in selected])

    assert_refused(response, url)
    assert sorted(Agreement.objects.values_list("pk", "is_demo", "confirmed_at")) == before


@pytest.mark.parametrize("selected", [["abc"], ["{pk}", "abc"]], ids=["letters", "beside-a-real-id"])
def test_it_refuses_a_crafted_selection_of_hospital_users(office, selected):
    staff, _key = hospital_key()
    url = "/admin/hospitals/hospitalstaff/"

    response = post_action(office, url, "suspend_selected", [s.format(pk=staff.pk) for s in selected])

    assert_refused(response, url)
    staff = HospitalStaff.objects.select_related("user").get(pk=staff.pk)
    assert staff.user.is_active is True
    assert (staff.suspended_at, staff.suspended_by) == (None, None)
    assert ApiToken.objects.get(staff=staff).revoked_at is None


@pytest.mark.parametrize("selected", [["abc"], ["{pk}", "abc"]], ids=["letters", "beside-a-real-id"])
def test_it_refuses_a_crafted_selection_of_api_keys(office, selected):
    staff, _key = hospital_key()
    token = ApiToken.objects.get(staff=staff)
    url = "/admin/hospitals/apitoken/"

    response = post_action(office, url, "revoke_selected", [s.format(pk=token.pk) for s in selected])

    assert_refused(response, url)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.parametrize("selected", [["abc"], ["{pk}", "abc"]], ids=["letters", "beside-a-real-id"])
def test_it_refuses_a_crafted_selection_of_cards(client, selected):
    _household, _head, card = verified_household()
    client.force_login(superuser())
    url = "/admin/cards/card/"

    response = client.post(url, {
        "action": "cancel_selected", ACTION_CHECKBOX_NAME: [s.format(pk=card.pk) for s in selected], "index": "0",
        "apply": "1", "reason": "Dibatalkan lewat pilihan palsu",
    })

    assert_refused(response, url)
    after = Card.objects.get(pk=card.pk)
    assert (after.status, after.cancelled_reason) == ("queued", "")


def test_a_real_selection_still_works(office):
    """The refusal is for crafted values only: the same action on real ids runs."""
    staff, _key = hospital_key()

    response = post_action(office, "/admin/hospitals/apitoken/", "revoke_selected", [str(staff.tokens.get().pk)])

    assert response.status_code == 302
    assert ApiToken.objects.get(staff=staff).revoked_at is not None
