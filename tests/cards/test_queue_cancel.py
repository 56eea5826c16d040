"""Only a queued card can be taken off the queue."""

import pytest
from django.core.exceptions import PermissionDenied

from cards import services
from cards.models import Card
from kartusehat.refusals import Conflict, Invalid
from tests.cards.queue_helpers import claimed, operator, queue, receive
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_cancels_a_queued_card_with_the_reason():
    card = queue(1)[0]

    cancelled = services.card_cancel(card_id=card.pk, reason="Permintaan ganda", by=operator())

    assert (cancelled.status, cancelled.cancelled_reason) == ("cancelled", "Permintaan ganda")


def test_it_leaves_the_cancelled_card_out_of_every_batch():
    receive(10, emergency_reserve=0)
    cards = queue(2)
    services.card_cancel(card_id=cards[0].pk, reason="Permintaan ganda", by=operator())

    batch = claimed(10)

    assert list(Card.objects.filter(batch=batch).values_list("pk", flat=True)) == [cards[1].pk]


def test_it_refuses_to_cancel_a_card_in_a_batch():
    receive(10, emergency_reserve=0)
    card = queue(1)[0]
    claimed(1)

    with pytest.raises(Conflict) as refusal:
        services.card_cancel(card_id=card.pk, reason="Permintaan ganda", by=operator())

    assert "non_field_errors" in refusal.value.errors
    assert Card.objects.get(pk=card.pk).status == "printing"


def test_it_refuses_to_cancel_a_printed_card():
    receive(10, emergency_reserve=0)
    card = queue(1)[0]
    services.batch_complete(batch_id=claimed(1).pk, pdf_name="batches/a.pdf")

    with pytest.raises(Conflict):
        services.card_cancel(card_id=card.pk, reason="Permintaan ganda", by=operator())

    assert Card.objects.get(pk=card.pk).status == "printed"


def test_it_refuses_to_cancel_twice():
    card = queue(1)[0]
    services.card_cancel(card_id=card.pk, reason="Permintaan ganda", by=operator())

    with pytest.raises(Conflict):
        services.card_cancel(card_id=card.pk, reason="Lagi dibatalkan", by=operator())

    assert Card.objects.get(pk=card.pk).cancelled_reason == "Permintaan ganda"


def test_it_refuses_without_a_reason():
    card = queue(1)[0]

    with pytest.raises(Invalid) as refusal:
        services.card_cancel(card_id=card.pk, reason="  ", by=operator())

    assert "reason" in refusal.value.errors
    assert Card.objects.get(pk=card.pk).status == "queued"


def test_it_refuses_a_user_without_the_permission():
    card = queue(1)[0]

    with pytest.raises(PermissionDenied):
        services.card_cancel(card_id=card.pk, reason="Permintaan ganda", by=UserFactory(username="tamu"))

    assert Card.objects.get(pk=card.pk).status == "queued"
