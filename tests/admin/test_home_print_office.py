"""The print office opens the admin on its queue, blanko, forecast, today's batches and this month's spoilage."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cards import selectors
from cards.models import Batch, Card, LedgerEntry, Stock
from tests.admin.home_helpers import count, home_page, listed
from tests.cards.distribution_helpers import print_office_user
from tests.cards.forecast_helpers import at, used
from tests.cards.queue_helpers import queue, raise_to_emergency, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    client = Client()
    client.force_login(print_office_user())
    return client


def world():
    receive(1000, emergency_reserve=300)
    cards = queue(5)
    raise_to_emergency(cards[0])
    raise_to_emergency(cards[1], "gawat_darurat")
    today = timezone.localdate()
    yesterday = timezone.now() - dt.timedelta(days=1, hours=1)
    Batch.objects.create(size=5, status="done", cards_count=5, rendered=5)
    Batch.objects.create(size=5, status="failed", error="printer jam")
    Batch.objects.filter(pk=Batch.objects.create(size=5, status="done").pk).update(created_at=yesterday)
    used(at(today.replace(day=1), 0, 0), 4, kind=LedgerEntry.Kind.SPOILED)
    used(at(today.replace(day=1), 0, 0) - dt.timedelta(minutes=1), 50, kind=LedgerEntry.Kind.SPOILED)  # last month
    used(at(selectors.week_monday(today) - dt.timedelta(days=3)), 280)


def test_it_shows_the_queue_and_stock_linking_to_their_lists(client):
    world()
    stock = Stock.objects.get(pk=1)

    page = home_page(client)

    queued = Card.objects.filter(status="queued")
    expected_lists = {
        "queue-emergency": set(queued.filter(priority="emergency").values_list("pk", flat=True)),
        "queue-regular": set(queued.filter(priority="regular").values_list("pk", flat=True)),
    }
    for key, rows in expected_lists.items():
        assert count(page, key) == len(rows), key
        assert listed(client, page.figures[key][1]) == rows, key
    assert count(page, "queue-emergency") == 2
    assert count(page, "on-hand") == stock.on_hand == 1000
    assert count(page, "reserved") == stock.reserved + stock.emergency_reserve == 300
    assert count(page, "available") == stock.available_for_regular == 700


def test_it_shows_the_forecast(client):
    world()
    forecast = selectors.blanko_forecast()

    page = home_page(client)

    assert page.figures["consumption"][0] == "70,0"  # 280 in 4 weeks; Indonesian decimals
    assert forecast["regular_runs_out_on"] == timezone.localdate() + dt.timedelta(days=70)
    assert page.figures["regular-runs-out"][0] == _date(forecast["regular_runs_out_on"])
    assert page.figures["reserve-runs-out"][0] == _date(forecast["emergency_reserve_runs_out_on"])


def _date(day: dt.date) -> str:
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("id"):
        return date_format(day, "DATE_FORMAT")


def test_it_shows_todays_batches_by_state_and_this_months_spoilage(client):
    world()
    today = timezone.localdate()

    page = home_page(client)

    batches = {row[0][0]: row[1] for row in page.tables["batches-today"]}
    for status, label in Batch.Status.choices:
        text, url = next(cells for name, cells in batches.items() if name == _label(label))
        expected = set(Batch.objects.filter(status=status, created_at__date=today).values_list("pk", flat=True))
        assert int(text) == len(expected), status
        assert listed(client, url) == expected, status
    assert int(batches[_label(Batch.Status.DONE.label)][0]) == 1
    spoiled = LedgerEntry.objects.filter(kind="spoiled", at__date__gte=today.replace(day=1))
    assert count(page, "spoiled-month") == sum(spoiled.values_list("quantity", flat=True)) == 4
    assert listed(client, page.figures["spoiled-month"][1]) == set(spoiled.values_list("pk", flat=True))


def _label(label) -> str:
    from django.utils import translation

    with translation.override("id"):
        return str(label)
