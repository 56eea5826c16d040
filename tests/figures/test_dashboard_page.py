"""The dashboard page: a chart beside each table (SVG drawn on the server, no
script), the 95 % target line on the coverage bars, the blanko forecast of the
stock endpoint, and links to every download."""

import datetime as dt

import pytest
from django.test.utils import override_settings
from django.utils import translation

from cards import selectors as card_selectors
from figures.dashboard import dashboard_tables
from tests.factories import CITY, staff_user
from tests.figures.dashboard_helpers import counted_city, signed_in

pytestmark = pytest.mark.django_db

PAGE = "/admin/figures/dashboard/"


def test_it_draws_each_chart_beside_its_table():
    counted_city()

    page = signed_in(staff_user(CITY, username="kota.bekasi")).get(PAGE)

    assert page.status_code == 200
    text = page.text
    for key in ("coverage", "registrations", "rejection-reasons", "decision-times", "cards", "cards-printed",
                "cards-on-time", "blanko", "blanko-used", "blanko-burn-down", "hospital-facilities", "hospital-days",
                "not-covered-reasons"):
        assert f'data-table="{key}"' in text
        assert f'href="{PAGE}{key}.csv"' in text and f'href="{PAGE}{key}.xlsx"' in text
    # The decision times and the blanko position are tables of figures only.
    assert text.count("<svg class=\"chart\"") == 11
    assert 'x1="95.0%"' in text  # the target line
    assert "<script" not in text.split('id="dashboard"')[1]


def test_it_shows_the_stock_endpoint_s_forecast():
    counted_city()
    user = staff_user(CITY, username="kota.bekasi")
    forecast = card_selectors.blanko_forecast()
    need = card_selectors.blanko_budget_need()

    with translation.override("en"):
        tables = {table.key: table for table in dashboard_tables(user)[1]["blanko"]}
    position = dict((str(label), value) for label, value in tables["blanko"].rows)

    assert position["Regular printing stops on"] == forecast["regular_runs_out_on"]
    assert position["Emergency reserve runs out on"] == forecast["emergency_reserve_runs_out_on"]
    assert position[f"Blanko needed in budget year {need['budget_year']}"] == need["need"]
    weeks = card_selectors.blanko_consumption_per_week(weeks=12)
    assert tables["blanko-used"].rows == [[row["week"], row["blanks"]] for row in weeks]
    assert all(isinstance(row[0], dt.date) for row in tables["blanko-used"].rows)


@override_settings(LANGUAGE_CODE="id")
def test_it_speaks_bahasa_indonesia():
    counted_city()

    page = signed_in(staff_user(CITY, username="kota.bekasi")).get(PAGE)

    assert "Dasbor" in page.text
