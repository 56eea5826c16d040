"""GET /api/v1/stock/ carries the forecast of api-contract.md."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cards import selectors
from cards.roles import PRINT_OFFICE
from tests.cards.forecast_helpers import at, used
from tests.factories import UserFactory, blanko

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    user = UserFactory(username="operator.forecast")
    user.groups.add(Group.objects.get(name=PRINT_OFFICE))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_it_gives_the_rate_and_the_dates(operator):
    today = timezone.localdate()
    last_monday = selectors.week_monday(today) - dt.timedelta(weeks=1)
    blanko(1000, emergency_reserve=440)  # 560 for regular cards
    used(at(last_monday), 280)  # 280 in 4 weeks: 10 a day
    used(at(today), 999)  # this week: not counted

    body = operator.get("/api/v1/stock/").json()

    assert body["forecast"] == {
        "consumption_per_week": 70.0,
        "regular_runs_out_on": (today + dt.timedelta(days=56)).isoformat(),
        "emergency_reserve_runs_out_on": (today + dt.timedelta(days=100)).isoformat(),
    }


def test_it_gives_null_dates_without_consumption(operator):
    blanko(1000, emergency_reserve=440)

    body = operator.get("/api/v1/stock/").json()

    assert body["forecast"] == {"consumption_per_week": 0.0, "regular_runs_out_on": None,
                                "emergency_reserve_runs_out_on": None}


def test_it_documents_the_forecast_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()

    forecast = schema["components"]["schemas"]["ForecastOut"]
    assert set(forecast["required"]) == {"consumption_per_week", "regular_runs_out_on",
                                         "emergency_reserve_runs_out_on"}
    assert forecast["properties"]["regular_runs_out_on"]["format"] == "date"
    assert forecast["properties"]["regular_runs_out_on"]["nullable"] is True
    assert "forecast" in schema["components"]["schemas"]["StockOut"]["required"]
