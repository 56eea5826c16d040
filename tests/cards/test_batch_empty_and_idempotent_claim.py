"""A claim is safe to repeat (a retried task): the same cards, nothing
reserved twice; a batch with nothing to take is simply done."""

import pytest

from cards import services
from cards.models import Batch, LedgerEntry
from kartusehat.refusals import Invalid
from tests.cards.queue_helpers import batch_card_ids, claimed, queue, receive, stock

pytestmark = pytest.mark.django_db


def test_it_finishes_as_done_with_no_cards_when_the_queue_is_empty():
    receive(100, emergency_reserve=0)

    batch = claimed(50)

    assert (batch.status, batch.cards_count) == ("done", 0)
    assert batch.finished_at is not None
    assert not LedgerEntry.objects.filter(kind="reserved").exists()


def test_it_finishes_as_done_with_no_cards_without_blanko():
    queue(5)

    batch = claimed(50)

    assert (batch.status, batch.cards_count) == ("done", 0)
    assert stock().reserved == 0


def test_it_returns_the_same_cards_when_claimed_again():
    receive(100, emergency_reserve=0)
    queue(10)
    batch = claimed(4)
    first = sorted(batch_card_ids(batch))

    again = services.batch_claim(batch_id=batch.pk)

    assert again.pk == batch.pk and again.cards_count == 4
    assert sorted(batch_card_ids(again)) == first
    assert stock().reserved == 4
    assert LedgerEntry.objects.filter(kind="reserved").count() == 1


def test_it_does_not_claim_a_done_batch_again_when_cards_arrive_later():
    receive(100, emergency_reserve=0)
    batch = claimed(5)
    queue(3)

    again = services.batch_claim(batch_id=batch.pk)

    assert (again.status, again.cards_count) == ("done", 0)
    assert batch_card_ids(again) == []


def test_it_does_not_claim_a_failed_batch_again():
    receive(100, emergency_reserve=0)
    queue(3)
    batch = claimed(3)
    services.batch_fail(batch_id=batch.pk, error="printer offline")

    again = services.batch_claim(batch_id=batch.pk)

    assert again.status == "failed" and batch_card_ids(again) == []
    assert stock().reserved == 0


@pytest.mark.parametrize("size", [0, -1, 10_001, 2.0, "5", True, None])
def test_it_refuses_a_batch_size_out_of_range(size):
    with pytest.raises(Invalid) as refusal:
        services.batch_create(size=size)

    assert "size" in refusal.value.errors
    assert not Batch.objects.exists()
