"""Whatever the print office does, in whatever order, the ledger explains the
stock row: received + adjusted = on hand + consumed + spoiled, the reserved
blanks are the cards being printed, and nothing goes below zero."""

import datetime as dt
import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards import services
from cards.models import Batch, Card, LedgerEntry, Lot
from kartusehat.refusals import Refused
from tests.cards.queue_helpers import assert_ledger_balances, assert_ledger_replays, household, operator, stock

pytestmark = pytest.mark.django_db

REASON = "Stock opname / blanko rusak"

# (operation, n): each operation reads n its own way (a quantity, or which
# card or batch). Claims and completions are listed more than once so that
# most sequences print cards.
OPERATIONS = [
    "receive", "adjust", "spoil_blanks", "reserve", "request", "request", "raise", "raise", "cancel",
    "claim", "claim", "claim", "complete", "complete", "complete", "fail", "spoil_card", "spoil_card", "force",
]
operations = st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 60))


class _Rollback(Exception):
    pass


def _pick(queryset, index):
    items = list(queryset.order_by("pk"))
    return items[index % len(items)] if items else None


def _apply(operation, n, by):
    if operation == "receive":
        services.stock_receive(
            budget_year=2026, quantity=1 + n % 40, received_on=dt.date(2026, 1, 5),
            reference=f"LOT-{Lot.objects.count() + 1}", by=by,
        )
    elif operation == "adjust":
        services.stock_adjust(quantity=n - 30, reason=REASON, by=by)
    elif operation == "spoil_blanks":
        services.stock_spoil_blanks(quantity=n % 16 - 1, reason=REASON, by=by)
    elif operation == "reserve":
        services.stock_set_emergency_reserve(count=n % 20, by=by)
    elif operation == "request":
        for _ in range(1 + n % 6):
            services.card_request(household=household())
    elif operation == "raise":
        card = _pick(Card.objects.exclude(status="cancelled"), n)
        if card is not None:
            services.card_raise_to_emergency(household=card.household, reason="sakit", by=by)
    elif operation == "cancel":
        card = _pick(Card.objects.all(), n)
        if card is not None:
            services.card_cancel(card_id=card.pk, reason="Permintaan ganda", by=by)
    elif operation == "claim":
        services.batch_claim(batch_id=Batch.objects.create(size=1 + n % 12).pk)
    elif operation in ("complete", "fail"):
        batch = _pick(Batch.objects.filter(status="rendering"), n)
        if batch is not None:
            if operation == "complete":
                services.batch_complete(batch_id=batch.pk, pdf_name=f"batches/test-{batch.pk}.pdf")
            else:
                services.batch_fail(batch_id=batch.pk, error="printer jammed")
    elif operation == "spoil_card":
        card = _pick(Card.objects.filter(status="printed"), n)
        if card is not None:
            services.card_spoil(card_id=card.pk, reason="Cetakan buram", by=by)
    elif operation == "force":
        mode = ["", "normal", "registration_only"][n % 3]
        services.mode_force(mode=mode, message="Pencetakan diatur oleh petugas." if mode else "", by=by)


def _start(by):
    """A start that gives the steps something to work on."""
    services.stock_set_emergency_reserve(count=3, by=by)
    _apply("receive", 20, by)
    _apply("request", 5, by)


def _step(operation, n, by):
    try:
        _apply(operation, n, by)
    except Refused:
        pass  # refused: it must have changed nothing, which the checks below prove
    assert_ledger_balances()
    live = Card.objects.exclude(status__in=["cancelled", "revoked"])
    assert live.count() == live.values("household").distinct().count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow])
@given(steps=st.lists(operations, min_size=8, max_size=30))
def test_it_keeps_the_ledger_and_the_stock_row_in_agreement(steps):
    try:
        with transaction.atomic():
            by = operator()
            _start(by)
            for operation, n in steps:
                _step(operation, n, by)
            assert_ledger_replays()
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.parametrize("seed", range(8))
def test_it_keeps_the_ledger_balanced_over_a_long_random_day(seed):
    rng = random.Random(seed)
    by = operator()
    _start(by)
    for _ in range(150):
        _step(rng.choice(OPERATIONS), rng.randint(0, 60), by)
    assert_ledger_replays()

    # Such a day does print, spoil and re-queue (else this test proves little).
    row = stock()
    assert row.consumed > 0 and row.received > 20
    assert LedgerEntry.objects.filter(kind="spoiled", card__isnull=False).exists()
