"""An emergency request raises the household's queued card to the head of
the queue: the same card, never a second one."""

import pytest

from cards import services
from cards.models import Card
from kartusehat.refusals import Invalid
from tests.cards.queue_helpers import claimed, household, operator, queue, raise_to_emergency, receive

pytestmark = pytest.mark.django_db


def test_it_raises_the_queued_card_in_place():
    card = queue(1)[0]
    by = operator()

    raised = services.card_raise_to_emergency(household=card.household, reason="gawat_darurat", by=by)

    assert raised.pk == card.pk
    raised.refresh_from_db()
    assert (raised.status, raised.priority, raised.reason) == ("queued", "emergency", "gawat_darurat")
    assert raised.raised_at is not None
    assert raised.number == card.number
    assert Card.objects.filter(household=card.household).count() == 1


def test_it_never_duplicates_when_raised_twice():
    card = queue(1)[0]

    raise_to_emergency(card, "rawat_inap")
    again = raise_to_emergency(card, "sakit")

    assert again.pk == card.pk
    assert Card.objects.filter(household=card.household).count() == 1
    assert Card.objects.get(pk=card.pk).priority == "emergency"


def test_it_queues_an_emergency_card_for_a_household_without_one():
    home = household()

    card = services.card_raise_to_emergency(household=home, reason="sakit", by=operator())

    assert Card.objects.filter(household=home).count() == 1
    assert (card.status, card.priority, card.reason) == ("queued", "emergency", "sakit")


@pytest.mark.parametrize("reason", ["", "darurat", None])
def test_it_refuses_a_reason_outside_the_list(reason):
    card = queue(1)[0]

    with pytest.raises(Invalid) as refusal:
        services.card_raise_to_emergency(household=card.household, reason=reason, by=operator())

    assert "reason" in refusal.value.errors
    assert Card.objects.get(pk=card.pk).priority == "regular"


def test_it_changes_nothing_for_a_printed_card():
    receive(5, emergency_reserve=0)
    card = queue(1)[0]
    services.batch_complete(batch_id=claimed(1).pk, pdf_name="batches/a.pdf")
    before = Card.objects.get(pk=card.pk)

    result = raise_to_emergency(card)

    after = Card.objects.get(pk=card.pk)
    assert result.pk == card.pk
    assert (after.status, after.priority, after.reason, after.raised_at) == ("printed", "regular", "", None)
    assert after.printed_at == before.printed_at and after.batch_id == before.batch_id
    assert Card.objects.filter(household=card.household).count() == 1


def test_it_raises_a_card_in_a_batch_without_taking_it_out():
    receive(5, emergency_reserve=0)
    card = queue(1)[0]
    batch = claimed(1)

    raise_to_emergency(card)

    after = Card.objects.get(pk=card.pk)
    assert (after.status, after.priority, after.reason, after.batch_id) == ("printing", "emergency", "rawat_inap",
        batch.pk)


def test_it_puts_a_raised_card_of_a_failed_batch_back_first():
    # The hospital's request is not lost if the batch it was in fails.
    receive(5, emergency_reserve=0)
    card, *others = queue(3)
    batch = claimed(1)
    raise_to_emergency(card)

    services.batch_fail(batch_id=batch.pk, error="printer jammed")

    assert Card.objects.get(pk=card.pk).priority == "emergency"
    assert list(Card.objects.filter(batch=claimed(1)).values_list("pk", flat=True)) == [card.pk]


def test_it_puts_the_raised_card_before_every_regular_card():
    receive(1, emergency_reserve=0)
    cards = queue(5)
    raise_to_emergency(cards[4])

    batch = claimed(1)

    assert list(Card.objects.filter(batch=batch).values_list("pk", flat=True)) == [cards[4].pk]
