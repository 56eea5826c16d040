"""``manage.py load_city`` builds a city whose every row satisfies every
constraint (PostgreSQL rebuilds and re-checks them all at the end; SQLite
checks each row as it goes in), and whose figures agree with each other the
way the services would have left them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cards.models import Card, Dispatch, Stock
from cards.selectors import ledger_totals
from hospitals.models import VerificationLog
from registrations.models import AccessLog, Household, Member, Registration, RegistrationMember

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 300


def _load(households=HOUSEHOLDS) -> str:
    out = StringIO()
    call_command("load_city", households=households, seed=7, stdout=out)
    return out.getvalue()


def _assert_consistent():
    assert Household.objects.count() == HOUSEHOLDS
    statuses = {
        status: Registration.objects.filter(status=status).count() for status in ("verified", "submitted", "rejected")
    }
    assert statuses["verified"] == HOUSEHOLDS
    assert statuses["submitted"] == round(HOUSEHOLDS * 100_000 / 730_000)
    assert statuses["rejected"] == round(HOUSEHOLDS * 25_000 / 730_000)
    # Each verified household: its registration, its members as applied for, one live card.
    assert Registration.objects.filter(status="verified", household__isnull=True).count() == 0
    assert Member.objects.filter(end_date__isnull=True).count() == RegistrationMember.objects.filter(
        registration__status="verified").count()
    live = Card.objects.live()
    assert live.count() == HOUSEHOLDS and live.values("household").distinct().count() == HOUSEHOLDS
    assert {"queued", "printed", "dispatched", "ready_for_pickup", "collected"} <= set(
        Card.objects.values_list("status", flat=True))
    # The blanko ledger explains the stock row, and the stock the printed cards.
    stock = Stock.objects.get(pk=1)
    totals = ledger_totals()
    assert (totals["on_hand"], totals["consumed"], totals["received"], totals["reserved"]) == (
        stock.on_hand, stock.consumed, stock.received, stock.reserved)
    assert stock.consumed == Card.objects.filter(printed_at__isnull=False).count()
    assert Dispatch.objects.exists() and VerificationLog.objects.exists() and AccessLog.objects.exists()


def test_it_loads_a_city_that_satisfies_every_constraint():
    output = _load()

    _assert_consistent()
    assert "indexes and constraints built and checked" in output
    if connection.vendor == "sqlite":
        connection.check_constraints()  # foreign keys, which SQLite checks at commit


@pytest.mark.postgres
def test_it_rebuilds_every_index_and_constraint_it_set_aside_on_postgresql():
    def definitions():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace "
                "UNION ALL SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'"
            )
            return set(cursor.fetchall())

    before = definitions()

    _load()

    assert definitions() == before
    _assert_consistent()


def test_it_refuses_a_database_that_already_has_households():
    _load()

    with pytest.raises(CommandError, match="already has households"):
        _load()
    assert Household.objects.count() == HOUSEHOLDS
