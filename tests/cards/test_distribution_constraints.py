"""The database itself refuses distribution records that make no sense, whatever
code writes them: the write fails with IntegrityError and nothing is saved."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cards.models import Card, Dispatch, Handover
from tests.cards.distribution_helpers import printed_cards, ready, sent

pytestmark = pytest.mark.django_db


def _refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def _row(model, pk) -> dict:
    return model.objects.filter(pk=pk).values().get()


def test_it_refuses_a_ready_card_without_a_deadline():
    _dispatch, (card,) = sent(1)
    before = _row(Card, card.pk)

    _refused(lambda: Card.objects.filter(pk=card.pk).update(
        status=Card.Status.READY, ready_at=timezone.now(), pickup_deadline=None,
    ))

    assert _row(Card, card.pk) == before
    assert before["status"] == Card.Status.DISPATCHED


def test_it_refuses_a_revoked_card_without_revoked_at():
    (card,) = printed_cards(1)
    before = _row(Card, card.pk)

    _refused(lambda: Card.objects.filter(pk=card.pk).update(
        status=Card.Status.REVOKED, revoked_reason="Hilang", revoked_at=None,
    ))

    assert _row(Card, card.pk) == before


def test_it_refuses_a_printed_card_with_a_dispatch():
    dispatch, (card,) = sent(1)
    (waiting,) = printed_cards(1)
    before = _row(Card, waiting.pk), _row(Card, card.pk)

    _refused(lambda: Card.objects.filter(pk=waiting.pk).update(dispatch=dispatch))
    _refused(lambda: Card.objects.filter(pk=card.pk).update(status=Card.Status.PRINTED))

    assert (_row(Card, waiting.pk), _row(Card, card.pk)) == before
    assert dispatch.cards.count() == 1


def test_it_refuses_a_dispatch_received_without_received_by():
    dispatch, _cards = sent(1)
    before = _row(Dispatch, dispatch.pk)

    _refused(lambda: Dispatch.objects.filter(pk=dispatch.pk).update(
        status=Dispatch.Status.RECEIVED, received_at=timezone.now(), received_by=None,
    ))

    assert _row(Dispatch, dispatch.pk) == before
    assert before["status"] == Dispatch.Status.SENT


def _handover(dispatch, rw: str) -> Handover:
    return Handover.objects.create(dispatch=dispatch, rw=rw, coordinator_name="Pak Darto",
        pickup_place="Rumah Pak Darto")


@pytest.mark.parametrize("rw", ["2", "02", "00a", "-01", ""])
def test_it_refuses_a_handover_whose_rw_is_not_three_digits(rw):
    dispatch, _cards = ready(1)

    _refused(lambda: _handover(dispatch, rw))

    assert not Handover.objects.exists()


def test_it_refuses_two_handovers_for_the_same_rw_of_one_dispatch():
    dispatch, _cards = ready(1)
    first = _handover(dispatch, "002")

    _refused(lambda: _handover(dispatch, "002"))

    assert list(Handover.objects.values_list("pk", flat=True)) == [first.pk]
    _handover(dispatch, "003")  # another RW of the same dispatch is fine
    assert Handover.objects.count() == 2
