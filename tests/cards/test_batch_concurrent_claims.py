"""Several workers creating, claiming and completing batches at the same
time on PostgreSQL: every blank is used once, no card is taken twice, and
emergencies go first. Real threads, each with its own connection."""

import pytest

from cards import services
from cards.models import Batch, Card, LedgerEntry
from tests.cards.queue_helpers import (
    assert_ledger_balances,
    assert_ledger_replays,
    assert_no_errors,
    batch_card_ids,
    queue,
    raise_to_emergency,
    receive,
    run_threads,
    stock,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _claim_until_empty(size):
    def work():
        taken = []
        while True:
            batch = services.batch_claim(batch_id=Batch.objects.create(size=size).pk)
            if not batch.cards_count:
                return taken
            ids = batch_card_ids(batch)
            assert len(ids) == batch.cards_count
            taken.append((batch.pk, ids))
    return work


def _complete(batches):
    def work():
        for batch_id, _ids in batches:
            services.batch_complete(batch_id=batch_id, pdf_name=f"batches/test-{batch_id}.pdf")
        return len(batches)
    return work


def test_it_prints_exactly_the_blanko_on_hand_with_six_workers():
    receive(120, emergency_reserve=0)
    cards = queue(200)
    emergencies = cards[10::9][:20]
    for card in emergencies:
        raise_to_emergency(card)
    assert Card.objects.filter(priority="emergency").count() == 20

    claims = run_threads([_claim_until_empty(25) for _ in range(6)])
    assert_no_errors(claims)
    completions = run_threads([_complete(batches) for batches in claims])
    assert_no_errors(completions)

    claimed_ids = [card_id for batches in claims for _batch, ids in batches for card_id in ids]
    assert len(claimed_ids) == len(set(claimed_ids)) == 120  # no card in two batches
    assert set(Card.objects.filter(status="printed").values_list("pk", flat=True)) == set(claimed_ids)
    assert Card.objects.filter(status="printing").count() == 0
    assert set(Card.objects.filter(priority="emergency").values_list("status", flat=True)) == {"printed"}
    oldest_regulars = [c.pk for c in cards if c not in emergencies][:100]
    assert set(claimed_ids) == {c.pk for c in emergencies} | set(oldest_regulars)
    assert sum(Batch.objects.values_list("cards_count", flat=True)) == 120
    row = stock()
    assert (row.on_hand, row.reserved, row.consumed, row.received) == (0, 0, 120, 120)
    assert LedgerEntry.objects.filter(kind="consumed").count() == sum(len(b) for b in claims)
    assert_ledger_balances()
    assert_ledger_replays()


def test_it_claims_a_batch_once_when_two_workers_get_the_same_message():
    receive(50, emergency_reserve=0)
    queue(30)
    batch = Batch.objects.create(size=20)

    results = run_threads([lambda: services.batch_claim(batch_id=batch.pk) for _ in range(2)])

    assert_no_errors(results)
    assert {result.cards_count for result in results} == {20}
    assert Card.objects.filter(batch=batch).count() == 20
    assert LedgerEntry.objects.filter(kind="reserved").count() == 1
    assert stock().reserved == 20
    assert_ledger_replays()


def test_it_completes_a_batch_once_when_two_workers_finish_it():
    receive(50, emergency_reserve=0)
    queue(30)
    batch = services.batch_claim(batch_id=Batch.objects.create(size=20).pk)

    results = run_threads([
        lambda: services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf"),
        lambda: services.batch_complete(batch_id=batch.pk, pdf_name="batches/b.pdf"),
    ])

    assert_no_errors(results)
    assert LedgerEntry.objects.filter(kind="consumed").count() == 1
    assert (stock().on_hand, stock().consumed, stock().reserved) == (30, 20, 0)
    assert Card.objects.filter(status="printed").count() == 20
    assert_ledger_balances()


def test_it_keeps_the_emergency_reserve_when_workers_race_for_the_last_blanks():
    receive(40, emergency_reserve=10)
    queue(100)

    claims = run_threads([_claim_until_empty(7) for _ in range(5)])

    assert_no_errors(claims)
    assert sum(len(ids) for batches in claims for _batch, ids in batches) == 30
    assert (stock().on_hand, stock().reserved) == (40, 30)
    assert stock().available_for_regular == 0
    assert_ledger_replays()
