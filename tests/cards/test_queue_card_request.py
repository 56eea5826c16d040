"""``card_request`` is the hook every print request goes through: it never
gives a household a second live card."""

import pytest
from django.db import transaction

from cards import services
from cards.models import Card
from cards.numbers import is_valid_card_number
from tests.cards.queue_helpers import claimed, household, operator, queue, receive

pytestmark = pytest.mark.django_db


def test_it_returns_the_live_card_instead_of_queueing_a_second():
    home = household()
    first = services.card_request(household=home)

    again = services.card_request(household=home)

    assert again.pk == first.pk
    assert Card.objects.filter(household=home).count() == 1


def test_it_returns_a_card_being_printed_or_printed_as_it_is():
    receive(5, emergency_reserve=0)
    card = queue(1)[0]
    batch = claimed(1)

    assert services.card_request(household=card.household).pk == card.pk
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")
    assert services.card_request(household=card.household).pk == card.pk
    assert Card.objects.filter(household=card.household).count() == 1


def test_it_queues_a_new_copy_after_a_cancelled_card():
    home = household()
    first = services.card_request(household=home)
    services.card_cancel(card_id=first.pk, reason="Data KK berubah", by=operator())

    second = services.card_request(household=home, kind=Card.Kind.DATA_CHANGED)

    assert second.pk != first.pk
    assert (second.copy, second.kind, second.status) == (2, "data_changed", "queued")
    assert is_valid_card_number(second.number) and second.number != first.number


def test_it_is_undone_with_the_transaction_that_asked_for_it():
    home = household()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.card_request(household=home)
        raise RuntimeError("verification failed later")

    assert not Card.objects.filter(household=home).exists()
