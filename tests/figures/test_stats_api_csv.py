"""?format=csv gives the coverage rows of the JSON answer, the area first, as a
CSV download; unknown totals are empty cells."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from figures import services
from tests.factories import BEKASI_BARAT, staff_user
from tests.figures.helpers import small_city

pytestmark = pytest.mark.django_db


def test_it_gives_the_same_rows_as_csv():
    small_city()
    services.figures_recompute()
    api = APIClient()
    api.force_login(staff_user(BEKASI_BARAT))

    body = api.get("/api/v1/stats/coverage/").json()
    response = api.get("/api/v1/stats/coverage/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    expected = [body["area"], *body["children"]]
    assert [row["code"] for row in rows] == [row["code"] for row in expected]
    for row, wanted in zip(rows, expected, strict=True):
        assert int(row["households_verified"]) == wanted["households_verified"]
        assert int(row["people_covered"]) == wanted["people_covered"]
        assert row["households_total"] == ("" if wanted["households_total"] is None
                                           else str(wanted["households_total"]))


def test_it_refuses_another_format_with_a_message():
    api = APIClient()
    api.force_login(staff_user(BEKASI_BARAT))

    response = api.get("/api/v1/stats/coverage/?format=xml")

    assert response.status_code == 400
    assert list(response.json()) == ["format"]


def test_it_answers_a_refusal_as_json_when_csv_was_asked_for():
    response = APIClient().get("/api/v1/stats/coverage/?format=csv")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
