"""dispatch_create sends exactly the printed, not-yet-sent cards of one
kelurahan, with a pickup place and deadline; the database refuses a card on
its way without its dispatch."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cards import services
from cards.models import Card, CardEvent, Dispatch
from kartusehat.refusals import Conflict, Invalid
from registrations.models import Region
from tests.cards.distribution_helpers import kelurahan_user, print_office_user, printed_cards, sent
from tests.factories import BINTARA, KRANJI, MARGAJAYA, verified

pytestmark = pytest.mark.django_db


def _ids(cards) -> set[int]:
    return {card.pk for card in cards}


def _events(card, kind="dispatched") -> int:
    return CardEvent.objects.filter(card=card, kind=kind).count()


def test_it_takes_exactly_the_printed_cards_of_the_kelurahan_not_yet_sent():
    earlier, (already_sent,) = sent(1, KRANJI)
    waiting = printed_cards(2, KRANJI)
    elsewhere = printed_cards(1, MARGAJAYA)
    queued = Card.objects.get(household=verified(KRANJI).household)
    assert queued.status == Card.Status.QUEUED

    dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=print_office_user())

    assert set(Card.objects.filter(dispatch=dispatch).values_list("pk", flat=True)) == _ids(waiting)
    assert dispatch.cards_count == 2
    assert dispatch.kelurahan.code == KRANJI
    assert dispatch.status == Dispatch.Status.SENT
    for card in waiting:
        card.refresh_from_db()
        assert (card.status, card.dispatch_id) == (Card.Status.DISPATCHED, dispatch.pk)
        assert _events(card) == 1
    # The card sent earlier stays in its own dispatch, with its one event.
    already_sent.refresh_from_db()
    assert already_sent.dispatch_id == earlier.pk
    assert _events(already_sent) == 1
    # Another kelurahan's printed card and a card still in the queue stay put.
    other = Card.objects.get(pk=elsewhere[0].pk)
    assert (other.status, other.dispatch_id, _events(other)) == (Card.Status.PRINTED, None, 0)
    queued.refresh_from_db()
    assert (queued.status, queued.dispatch_id, _events(queued)) == (Card.Status.QUEUED, None, 0)


def test_it_records_one_dispatched_event_per_card_by_the_sender():
    cards = printed_cards(3, KRANJI)
    sender = print_office_user()

    dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=sender)

    events = CardEvent.objects.filter(kind="dispatched")
    assert sorted(events.values_list("card_id", flat=True)) == sorted(_ids(cards))
    assert set(events.values_list("by", flat=True)) == {sender.pk}
    assert all(str(dispatch.pk) in note for note in events.values_list("note", flat=True))


def test_it_defaults_to_the_kelurahan_office_and_pickup_days_from_today(settings):
    settings.PICKUP_DAYS = 21
    printed_cards(1, KRANJI)
    sender = print_office_user()

    dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=sender)

    name = Region.objects.get(code=KRANJI).name
    assert dispatch.pickup_place == f"Kantor Kelurahan {name}"
    assert dispatch.pickup_deadline == timezone.localdate() + dt.timedelta(days=21)
    assert dispatch.created_by == sender


def test_it_keeps_a_pickup_place_and_deadline_given_by_the_sender():
    printed_cards(1, KRANJI)
    deadline = timezone.localdate() + dt.timedelta(days=10)

    dispatch = services.dispatch_create(
        kelurahan_code=KRANJI, by=print_office_user(), pickup_place="  Aula   RW 05  ", pickup_deadline=deadline,
    )

    dispatch.refresh_from_db()
    assert (dispatch.pickup_place, dispatch.pickup_deadline) == ("Aula RW 05", deadline)


@pytest.mark.parametrize("days", [0, -1, -30])
def test_it_refuses_a_deadline_today_or_in_the_past(days):
    (card,) = printed_cards(1, KRANJI)

    with pytest.raises(Invalid) as refused:
        services.dispatch_create(
            kelurahan_code=KRANJI, by=print_office_user(),
            pickup_deadline=timezone.localdate() + dt.timedelta(days=days),
        )

    assert refused.value.errors["pickup_deadline"]
    assert not Dispatch.objects.exists()
    card.refresh_from_db()
    assert (card.status, card.dispatch_id) == (Card.Status.PRINTED, None)


def test_it_refuses_when_no_printed_card_is_waiting_and_writes_no_dispatch():
    sent(1, KRANJI)                        # already on its way
    printed_cards(1, MARGAJAYA)            # another kelurahan's
    verified(KRANJI)                       # still queued
    before = Dispatch.objects.count()

    with pytest.raises(Conflict) as refused:
        services.dispatch_create(kelurahan_code=KRANJI, by=print_office_user())

    assert "Kranji" in str(refused.value)
    assert Dispatch.objects.count() == before == 1
    assert not CardEvent.objects.filter(kind="dispatched", card__household__kelurahan__code=MARGAJAYA).exists()


def test_it_sends_one_dispatch_per_kelurahan_with_cards_waiting():
    kranji = printed_cards(2, KRANJI)
    margajaya = printed_cards(1, MARGAJAYA)

    dispatches = services.dispatch_create_all(by=print_office_user())

    by_code = {d.kelurahan.code: d for d in dispatches}
    assert set(by_code) == {KRANJI, MARGAJAYA}  # Bintara has nothing waiting: no dispatch
    assert BINTARA not in by_code
    assert Dispatch.objects.count() == 2
    assert set(Card.objects.filter(dispatch=by_code[KRANJI]).values_list("pk", flat=True)) == _ids(kranji)
    assert set(Card.objects.filter(dispatch=by_code[MARGAJAYA]).values_list("pk", flat=True)) == _ids(margajaya)
    assert (by_code[KRANJI].cards_count, by_code[MARGAJAYA].cards_count) == (2, 1)


def test_it_does_not_let_kelurahan_staff_send_a_dispatch():
    (card,) = printed_cards(1, KRANJI)

    with pytest.raises(PermissionDenied):
        services.dispatch_create(kelurahan_code=KRANJI, by=kelurahan_user(KRANJI))

    assert not Dispatch.objects.exists()
    card.refresh_from_db()
    assert card.status == Card.Status.PRINTED


def test_it_has_the_database_refuse_a_dispatched_card_without_its_dispatch():
    (card,) = printed_cards(1, KRANJI)

    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.filter(pk=card.pk).update(status=Card.Status.DISPATCHED)

    card.refresh_from_db()
    assert card.status == Card.Status.PRINTED
