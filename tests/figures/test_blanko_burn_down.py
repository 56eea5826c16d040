"""The stock burn-down: blanko on hand at the end of each of the last 12 weeks,
reconstructed from the ledger, equals a forward walk over constructed ledger rows
(received, consumed, spoiled, an adjustment, a reservation that moves nothing);
the forecast continues it to the dates regular printing stops and the reserve runs
out; the dashboard draws it (history solid, forecast dashed) beside its table."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from cards import selectors
from cards.models import LedgerEntry, Lot, Stock
from tests.factories import CITY, staff_user, superuser
from tests.figures.dashboard_helpers import signed_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 17)  # a Wednesday
SIGN = {"received": 1, "adjustment": 1, "consumed": -1, "spoiled": -1, "reserved": 0}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def a_ledger(today: dt.date) -> list[tuple[dt.datetime, str, int]]:
    """Ledger rows at chosen days around ``today``, and the stock row they add up to."""
    monday = today - dt.timedelta(days=today.weekday())
    rows = [
        (at(monday - dt.timedelta(weeks=15)), "received", 1000),  # before the 12 weeks
        (at(monday - dt.timedelta(weeks=11, days=-2)), "consumed", 100),
        (at(monday - dt.timedelta(weeks=9, days=-2)), "adjustment", -5),
        (at(monday - dt.timedelta(weeks=6, days=-2)), "spoiled", 20),
        (at(monday - dt.timedelta(weeks=4, days=-2)), "received", 500),
        # The last 4 full weeks: 40 a week, the forecast's rate.
        *[(at(monday - dt.timedelta(weeks=n, days=-1)), "consumed", 40) for n in (4, 3, 2, 1)],
        (at(monday - dt.timedelta(weeks=2, days=-3)), "reserved", 30),  # stays on the shelf
        # The last minute of a week (city time) is still that week.
        (at(monday - dt.timedelta(days=1), 23).replace(minute=59), "consumed", 3),
        (at(monday, 0), "consumed", 7),  # this week: after every week's end
    ]
    lot = Lot.objects.create(budget_year=2026, quantity=1500, received_on=today, reference="SPK-BURN/2026",
                             received_by=superuser())
    for when, kind, quantity in rows:
        LedgerEntry.objects.create(at=when, kind=kind, quantity=quantity, on_hand_after=0, reserved_after=0,
                                   lot=lot if kind == "received" else None,
                                   reason="uji" if kind in ("adjustment", "spoiled") else "")
    on_hand = sum(SIGN[kind] * quantity for _when, kind, quantity in rows)
    Stock.objects.update_or_create(pk=1, defaults={
        "on_hand": on_hand, "received": 1500, "consumed": 270, "spoiled": 20, "adjusted": -5, "reserved": 0,
        "emergency_reserve": 200})
    return rows


def walked_forward(rows, week_end: dt.datetime) -> int:
    return sum(SIGN[kind] * quantity for when, kind, quantity in rows if when < week_end)


def test_it_reconstructs_each_weeks_end_from_the_ledger():
    rows = a_ledger(TODAY)
    stock = Stock.objects.get(pk=1)

    weeks = selectors.blanko_on_hand_per_week(stock=stock, today=TODAY)

    assert [row["week"] for row in weeks] == [dt.date(2026, 3, 23) + dt.timedelta(weeks=n) for n in range(12)]
    assert [row["on_hand"] for row in weeks] == [
        walked_forward(rows, at(row["week"] + dt.timedelta(weeks=1), 0)) for row in weeks]
    assert weeks[0]["on_hand"] == 1000 and weeks[-1]["on_hand"] == stock.on_hand + 7 == 1212
    assert len({row["on_hand"] for row in weeks}) > 4  # the line moves with the ledger


def test_it_projects_to_the_dates_regular_printing_stops_and_the_reserve_runs_out():
    a_ledger(TODAY)
    stock = Stock.objects.get(pk=1)

    burn = selectors.blanko_burn_down(stock=stock, today=TODAY)
    forecast = selectors.blanko_forecast(stock=stock, today=TODAY)

    assert burn["on_hand"] == 1205 and burn["today"] == TODAY
    # 163 used in the last 4 full weeks: 1005 available for regular cards last 1005 x 28 / 163 days.
    assert forecast["regular_runs_out_on"] == TODAY + dt.timedelta(days=173)
    assert forecast["emergency_reserve_runs_out_on"] == TODAY + dt.timedelta(days=207)
    *weeks, regular, emergency = burn["projection"]
    assert regular == {"on": forecast["regular_runs_out_on"], "on_hand": 200, "point": "regular"}
    assert emergency == {"on": forecast["emergency_reserve_runs_out_on"], "on_hand": 0, "point": "emergency"}
    assert weeks[0] == {"on": dt.date(2026, 6, 15), "on_hand": 1205 - 163 * 5 // 28, "point": "week"}
    assert all(row["point"] == "week" for row in weeks)
    assert [row["on_hand"] for row in weeks] == sorted((row["on_hand"] for row in weeks), reverse=True)
    assert weeks[-1]["on"] + dt.timedelta(weeks=1) <= emergency["on"] < weeks[-1]["on"] + dt.timedelta(weeks=2)


def test_it_has_no_forecast_when_nothing_was_used():
    a_ledger(TODAY)

    burn = selectors.blanko_burn_down(stock=Stock.objects.get(pk=1), today=TODAY + dt.timedelta(weeks=10))

    assert burn["projection"] == []
    assert [row["on_hand"] for row in burn["weeks"]][-5:] == [1205] * 5


def test_it_draws_the_burn_down_beside_its_table_and_downloads_it():
    a_ledger(timezone.localdate())
    client = signed_in(staff_user(CITY, username="kota.bekasi"))

    page = client.get("/admin/figures/dashboard/").text
    download = client.get("/admin/figures/dashboard/blanko-burn-down.csv")

    table = page.split('data-table="blanko-burn-down"')[1].split('class="dashboard-downloads"')[0]
    assert 'class="burndown-history"' in table and 'class="burndown-forecast"' in table
    assert 'stroke-dasharray' in table and table.count("<circle") == 2
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 3
    history, forecast = rows[1:13], rows[14:]
    assert all(row[2] == "" for row in history) and rows[13][1] == "1205"
    assert forecast and all(row[2] for row in forecast)  # every projected row is marked as a forecast
    assert int(forecast[-1][1]) == 0
