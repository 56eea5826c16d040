"""Crafted or garbled admin input gets an ordinary page, never an error page
(on PostgreSQL a NUL character in a query is an error of its own)."""

import pytest
from django.urls import reverse

from tests.factories import KRANJI, staff_user, submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Budi\x00"},
        {"q": "\x00"},
        {"kelurahan": "32.75.02.1002\x00"},
        {"kelurahan": "32.75.04.1002"},  # a real kelurahan, but not this user's
        {"kelurahan": "x" * 500},
    ],
)
def test_it_answers_garbled_search_and_filter_values_with_a_page(client, params):
    submit(KRANJI)
    client.force_login(staff_user(KRANJI))

    response = client.get(reverse("admin:registrations_registration_changelist"), params)

    assert response.status_code == 200
    if "kelurahan" in params:
        assert response.context["cl"].result_count == 0


def test_it_answers_a_malformed_object_id_like_an_unknown_one(client):
    client.force_login(staff_user(KRANJI))

    response = client.get("/admin/registrations/registration/abc/change/")

    assert response.status_code == 302
