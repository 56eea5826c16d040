"""Crafted or garbled admin input gets an ordinary answer, never an error
page (on PostgreSQL a NUL character in a query is an error of its own)."""

import pytest
from django.urls import reverse

from registrations.models import AccessLog, Member, Registration
from tests.factories import KRANJI, MARGAJAYA, staff_user, submit, verified

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registrations_registration_changelist"


@pytest.mark.parametrize(
    "params",
    [
        {"kelurahan": "32.75.04.1002"},  # a real kelurahan, but not this user's
        {"kelurahan": "x" * 500},
        {"q": "x" * 2000},
    ],
)
def test_it_answers_odd_search_and_filter_values_with_a_page(client, params):
    submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.get(reverse(CHANGELIST), params)

    assert response.status_code == 200
    if "kelurahan" in params:
        assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "url",
    [
        "/admin/registrations/registration/?q=Budi%00",
        "/admin/registrations/registration/?status=%00",
        "/admin/registrations/registration/?kelurahan=32.75.02.1002%00",
        "/admin/registrations/household/?status=%00",
        "/admin/registrations/member/?relationship=%00",
        "/admin/registrations/region/?level=%00",
        "/admin/autocomplete/?app_label=registrations&model_name=staffarea&field_name=region&term=%00",
        "/admin/registrations/registration/%00/change/",
    ],
)
def test_it_refuses_a_nul_character_anywhere_with_400(client, url):
    client.force_login(staff_user(KRANJI))

    response = client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_it_refuses_a_nul_character_in_a_form_post(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.post(
        reverse(CHANGELIST),
        {"action": "reject_selected", "_selected_action": [registration.pk], "apply": "1", "reason": "Data\x00 salah"},
    )

    assert response.status_code == 400
    assert Registration.objects.get(pk=registration.pk).status == "submitted"


def test_it_answers_an_impossible_year_with_the_invalid_parameters_page(client):
    client.force_login(staff_user(KRANJI))

    response = client.get(reverse(CHANGELIST), {"submitted_at__year": "99999999999"})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_it_answers_a_malformed_selection_with_a_message(client):
    registration = submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.post(
        reverse(CHANGELIST), {"action": "verify_selected", "_selected_action": ["abc", registration.pk]}, follow=True
    )

    assert response.status_code == 200
    assert Registration.objects.get(pk=registration.pk).status == "submitted"
    assert len(list(response.context["messages"])) == 1


def test_it_answers_a_malformed_object_id_like_an_unknown_one(client):
    client.force_login(staff_user(KRANJI))

    response = client.get("/admin/registrations/registration/abc/change/")

    assert response.status_code == 302


def test_it_records_a_crafted_action_on_another_areas_registration(client):
    other = submit(MARGAJAYA)
    own = submit(KRANJI)
    staff = staff_user(KRANJI)
    client.force_login(staff)

    client.post(reverse(CHANGELIST), {"action": "verify_selected", "_selected_action": [other.pk, own.pk]})

    assert Registration.objects.get(pk=other.pk).status == "submitted"
    denied = AccessLog.objects.get(action="denied")
    assert (denied.user, denied.object_id) == (staff, str(other.pk))


def test_it_writes_no_history_when_save_changes_nothing(client):
    household = verified(KRANJI, size=3).household
    member = household.active_members().first()
    client.force_login(staff_user(KRANJI))
    before = member.history.count()

    client.post(reverse("admin:registrations_member_change", args=[member.pk]), {})

    assert Member.history.filter(id=member.pk).count() == before
