"""Completing a batch prints its cards and consumes exactly the blanks it
reserved, once."""

import pytest

from cards import services
from cards.models import Card, LedgerEntry
from tests.cards.queue_helpers import assert_ledger_balances, batch_card_ids, claimed, queue, receive, stock

pytestmark = pytest.mark.django_db


def test_it_marks_the_batchs_cards_printed():
    receive(100, emergency_reserve=0)
    queue(6)
    batch = claimed(4)
    ids = batch_card_ids(batch)

    done = services.batch_complete(batch_id=batch.pk, pdf_name="batches/2026/01/abc.pdf")

    assert (done.status, done.rendered, done.progress) == ("done", 4, 100)
    assert done.pdf.name == "batches/2026/01/abc.pdf" and done.finished_at is not None
    printed = Card.objects.filter(pk__in=ids)
    assert set(printed.values_list("status", flat=True)) == {"printed"}
    assert all(card.printed_at is not None and card.batch_id == batch.pk for card in printed)
    assert Card.objects.filter(status="queued").count() == 2


def test_it_consumes_exactly_the_reservation():
    receive(100, emergency_reserve=0)
    queue(6)
    batch = claimed(4)

    services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")

    row = stock()
    assert (row.on_hand, row.reserved, row.consumed) == (96, 0, 4)
    entry = LedgerEntry.objects.get(kind="consumed")
    assert (entry.quantity, entry.batch_id, entry.on_hand_after, entry.reserved_after) == (4, batch.pk, 96, 0)
    assert_ledger_balances()


def test_it_changes_nothing_when_completed_again():
    receive(100, emergency_reserve=0)
    queue(6)
    batch = claimed(4)
    first = services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")
    printed_at = dict(Card.objects.filter(batch=batch).values_list("pk", "printed_at"))

    again = services.batch_complete(batch_id=batch.pk, pdf_name="batches/b.pdf")

    assert again.pdf.name == "batches/a.pdf" and again.finished_at == first.finished_at
    assert (stock().on_hand, stock().consumed) == (96, 4)
    assert LedgerEntry.objects.filter(kind="consumed").count() == 1
    assert dict(Card.objects.filter(batch=batch).values_list("pk", "printed_at")) == printed_at


def test_it_does_not_complete_a_failed_batch():
    receive(100, emergency_reserve=0)
    queue(3)
    batch = claimed(3)
    services.batch_fail(batch_id=batch.pk, error="printer offline")

    again = services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")

    assert again.status == "failed"
    assert Card.objects.filter(status="printed").count() == 0
    assert (stock().on_hand, stock().consumed) == (100, 0)


def test_it_leaves_other_batches_alone():
    receive(100, emergency_reserve=0)
    queue(6)
    first, second = claimed(3), claimed(3)

    services.batch_complete(batch_id=first.pk, pdf_name="batches/a.pdf")

    assert set(Card.objects.filter(batch=second).values_list("status", flat=True)) == {"printing"}
    assert (stock().reserved, stock().consumed) == (3, 3)
    assert_ledger_balances()
