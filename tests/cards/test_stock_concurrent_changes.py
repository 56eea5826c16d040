"""Spoilage, stocktake adjustments and batch claims at the same time never
take the stock below zero or below what batches have reserved (PostgreSQL,
real threads, each with its own connection)."""

import datetime as dt

import pytest
from django.db import transaction

from cards import services
from cards.models import Batch, LedgerEntry, Lot, Stock
from kartusehat.refusals import Refused
from tests.cards.queue_helpers import (
    assert_ledger_balances,
    assert_ledger_replays,
    assert_no_errors,
    operator,
    queue,
    receive,
    run_threads,
    start_threads,
    stock,
    wait_for_lock_waiters,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REASON = "Blanko rusak di gudang"


def _until_refused(change):
    def work():
        done = 0
        while True:
            try:
                change()
            except Refused:
                return done
            done += 1
    return work


def _claimer(size):
    def work():
        batches = []
        while True:
            batch = services.batch_claim(batch_id=Batch.objects.create(size=size).pk)
            if not batch.cards_count:
                return batches
            batches.append(batch.pk)
    return work


def test_it_never_goes_below_zero_with_spoilage_adjustments_and_claims_at_once():
    receive(100, emergency_reserve=0)
    queue(150)
    by = operator()

    results = run_threads([
        _claimer(10), _claimer(10), _claimer(10),
        _until_refused(lambda: services.stock_spoil_blanks(quantity=3, reason=REASON, by=by)),
        _until_refused(lambda: services.stock_spoil_blanks(quantity=3, reason=REASON, by=by)),
        _until_refused(lambda: services.stock_adjust(quantity=-4, reason="Stock opname: selisih", by=by)),
    ])

    assert_no_errors(results)
    spoiled, adjusted = 3 * (results[3] + results[4]), -4 * results[5]
    row = stock()
    assert (row.spoiled, row.adjusted) == (spoiled, adjusted)
    assert row.reserved == row.on_hand == 100 - spoiled + adjusted  # every free blank was used
    assert_ledger_replays()
    assert_ledger_balances()

    for batch_id in [pk for batches in results[:3] for pk in batches]:
        services.batch_complete(batch_id=batch_id, pdf_name=f"batches/{batch_id}.pdf")
    row = stock()
    assert (row.on_hand, row.reserved, row.consumed) == (0, 0, 100 - spoiled + adjusted)
    assert_ledger_balances()


def test_it_lets_only_one_of_two_operators_spoil_the_last_blanks():
    receive(20, emergency_reserve=0)
    by = operator()

    results = run_threads([
        lambda: services.stock_spoil_blanks(quantity=15, reason=REASON, by=by),
        lambda: services.stock_adjust(quantity=-15, reason="Stock opname: selisih", by=by),
    ])

    refused = [r for r in results if isinstance(r, Refused)]
    written = [r for r in results if isinstance(r, LedgerEntry)]
    assert len(refused) == 1 and len(written) == 1, results
    assert stock().on_hand == 5
    assert_ledger_replays()


def test_it_adds_up_lots_received_at_the_same_time():
    by = operator()

    results = run_threads([
        (lambda n=n: services.stock_receive(
            budget_year=2026, quantity=10 + n, received_on=dt.date(2026, 1, 5),
            reference=f"SPK-{n}", by=by,
        ))
        for n in range(5)
    ])

    assert_no_errors(results)
    assert stock().on_hand == stock().received == sum(10 + n for n in range(5))
    assert_ledger_replays()


def test_it_refuses_the_same_lot_recorded_twice_at_once_with_a_field_error():
    by = operator()

    def receive_same():
        return services.stock_receive(
            budget_year=2026, quantity=600, received_on=dt.date(2026, 1, 5),
            reference="SPK-027/2026", by=by,
        )

    with transaction.atomic():
        Stock.objects.select_for_update().get(pk=1)  # both arrive while another stock change is under way
        join = start_threads([receive_same, receive_same])
        wait_for_lock_waiters(2)
    results = join()

    recorded = [r for r in results if isinstance(r, Lot)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert Lot.objects.count() == 1 and stock().on_hand == 600
    assert len(recorded) == 1 and len(refused) == 1, results
    assert "reference" in refused[0].errors
