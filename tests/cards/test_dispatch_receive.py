"""The kelurahan confirms a dispatch arrived: its cards are ready for pickup;
cards reported missing are revoked at once (hospitals see them as not
valid) and a replacement is queued for each."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from cards import services
from cards.models import Card, CardEvent, Dispatch
from kartusehat.refusals import Conflict, Invalid
from tests.cards.distribution_helpers import kelurahan_user, sent
from tests.factories import BINTARA, KRANJI, MARGAJAYA
from tests.hospitals.helpers import hospital_key, keyed, verify

pytestmark = pytest.mark.django_db


def _kinds(card) -> list[str]:
    return list(CardEvent.objects.filter(card=card).order_by("at", "id").values_list("kind", flat=True))


def _snapshot(dispatch, cards):
    dispatch.refresh_from_db()
    return (
        (dispatch.status, dispatch.received_at, dispatch.received_by_id, dispatch.missing_count),
        [tuple(Card.objects.filter(pk=c.pk).values_list("status", "ready_at", "pickup_deadline", "revoked_at").get())
         for c in cards],
        CardEvent.objects.count(),
        Card.objects.count(),
    )


def test_it_makes_the_cards_ready_with_the_dispatchs_place_and_deadline():
    dispatch, cards = sent(2, KRANJI, pickup_place="Aula Kelurahan Kranji")
    staff = kelurahan_user(KRANJI)

    received = services.dispatch_receive(dispatch_id=dispatch.pk, by=staff)

    assert (received.status, received.received_by, received.missing_count) == (Dispatch.Status.RECEIVED, staff, 0)
    assert received.received_at is not None
    for card in cards:
        card.refresh_from_db()
        assert card.status == Card.Status.READY
        assert card.pickup_deadline == dispatch.pickup_deadline
        assert card.pickup_place == "Aula Kelurahan Kranji"
        assert card.ready_at == received.received_at
        assert _kinds(card).count("ready") == 1
        assert CardEvent.objects.get(card=card, kind="ready").by == staff


def test_it_revokes_a_missing_card_and_queues_its_replacement():
    dispatch, (arrived, lost) = sent(2, KRANJI)
    staff = kelurahan_user(KRANJI)

    received = services.dispatch_receive(dispatch_id=dispatch.pk, by=staff, missing_card_ids=[str(lost.pk)])

    assert received.missing_count == 1
    arrived.refresh_from_db()
    assert arrived.status == Card.Status.READY
    lost.refresh_from_db()
    assert lost.status == Card.Status.REVOKED
    assert lost.revoked_at is not None
    assert str(dispatch.pk) in lost.revoked_reason
    kinds = _kinds(lost)
    assert "ready" not in kinds
    assert kinds[-2:] == ["missing", "revoked"]
    replacement = Card.objects.get(replaces=lost)
    assert (replacement.status, replacement.kind, replacement.copy) == (Card.Status.QUEUED, Card.Kind.LOST, 2)
    assert replacement.household_id == lost.household_id
    assert replacement.number != lost.number
    assert _kinds(replacement) == ["queued"]


def test_it_answers_hospitals_that_the_missing_cards_number_is_not_valid():
    dispatch, (arrived, lost) = sent(2, KRANJI)
    _staff, key = hospital_key()
    desk = keyed(APIClient(), key)
    assert verify(desk, {"card_number": lost.number}).json()["eligible"] is True

    services.dispatch_receive(dispatch_id=dispatch.pk, by=kelurahan_user(KRANJI), missing_card_ids=[lost.pk])

    body = verify(desk, {"card_number": lost.number}).json()
    assert (body["eligible"], body["reason_code"]) == (False, "card_revoked")
    answer = verify(desk, {"card_number": arrived.number}).json()
    assert (answer["eligible"], answer["reason_code"]) == (True, "eligible")


def test_it_changes_nothing_when_confirmed_twice():
    dispatch, cards = sent(2, KRANJI)
    staff = kelurahan_user(KRANJI)
    services.dispatch_receive(dispatch_id=dispatch.pk, by=staff, missing_card_ids=[cards[1].pk])
    before = _snapshot(dispatch, cards)

    second = kelurahan_user(KRANJI, username="kedua")
    again = services.dispatch_receive(dispatch_id=dispatch.pk, by=second)
    # A second officer's stale form listing a missing card is refused, not
    # ignored: that card is reported lost instead.
    with pytest.raises(Conflict):
        services.dispatch_receive(dispatch_id=dispatch.pk, by=second, missing_card_ids=[cards[0].pk])

    assert again.pk == dispatch.pk
    assert _snapshot(dispatch, cards) == before
    assert Card.objects.get(pk=cards[0].pk).status == Card.Status.READY
    assert Card.objects.filter(replaces__isnull=False).count() == 1


def test_it_refuses_a_card_of_another_dispatch_as_missing_and_changes_nothing():
    dispatch, cards = sent(2, KRANJI)
    _other_dispatch, (stranger,) = sent(1, BINTARA)
    before = _snapshot(dispatch, cards + [stranger])

    with pytest.raises(Invalid) as refused:
        services.dispatch_receive(dispatch_id=dispatch.pk, by=kelurahan_user(KRANJI), missing_card_ids=[stranger.pk])

    assert refused.value.errors["missing"]
    assert _snapshot(dispatch, cards + [stranger]) == before
    assert all(Card.objects.get(pk=c.pk).status == Card.Status.DISPATCHED for c in cards + [stranger])


def test_it_refuses_staff_of_another_kelurahan():
    dispatch, cards = sent(1, KRANJI)
    before = _snapshot(dispatch, cards)

    with pytest.raises(PermissionDenied):
        services.dispatch_receive(dispatch_id=dispatch.pk, by=kelurahan_user(MARGAJAYA))

    assert _snapshot(dispatch, cards) == before
    assert Card.objects.get(pk=cards[0].pk).status == Card.Status.DISPATCHED
