"""The demo has a pimpinan login that reads the city's figures, computed at
load time, and is refused every record page of the admin."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from registrations.models import Household

pytestmark = pytest.mark.django_db


def test_it_gives_the_mayors_office_the_city_figures_and_no_record(client):
    call_command("load_demo", households=20, seed=1, stdout=StringIO())
    user = get_user_model().objects.get(username="pimpinan.kota")
    api = APIClient()
    api.force_login(user)

    body = api.get("/api/v1/stats/coverage/").json()

    assert body["area"]["code"] == "32.75"
    assert body["area"]["households_verified"] == Household.objects.filter(status="active").count()
    client.force_login(user)
    for page in ("/admin/registrations/household/", "/admin/registrations/member/", "/admin/cards/card/",
                 "/admin/registrations/accesslog/", "/admin/registrations/kelurahanhouseholdtotal/"):
        assert client.get(page).status_code == 403, page
