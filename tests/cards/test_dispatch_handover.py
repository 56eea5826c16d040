"""After receipt, the kelurahan passes one RW's waiting cards to the RW's
coordinator: exactly those cards move, and their households now collect
them at the coordinator's place."""

import pytest
from django.core.exceptions import PermissionDenied

from cards import services
from cards.models import Card, CardEvent, Dispatch, Handover
from kartusehat.refusals import Conflict, Invalid
from registrations.models import Registration
from tests.cards.distribution_helpers import head_of, kelurahan_user, printed_cards, ready, sent
from tests.factories import KRANJI, MARGAJAYA, superuser

pytestmark = pytest.mark.django_db

PLACE = "Rumah Pak RW, Jl. Kenari 4"


def _received_dispatch(**rws: int) -> tuple[Dispatch, dict[str, list[Card]]]:
    """One received dispatch to Kranji with ``count`` cards of each RW (rw_002=2 …)."""
    cards = {rw[3:]: printed_cards(count, KRANJI, rw=rw[3:]) for rw, count in rws.items()}
    dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=superuser())
    services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())
    return dispatch, {rw: [Card.objects.get(pk=c.pk) for c in group] for rw, group in cards.items()}


def _kranji_staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="kranji.rw").first() or kelurahan_user(KRANJI, username="kranji.rw")


def _hand_over(dispatch, rw="002", by=None, **fields):
    return services.dispatch_hand_over(
        dispatch_id=dispatch.pk, rw=rw, by=by or _kranji_staff(),
        coordinator_name=fields.pop("coordinator_name", "Bapak Sutrisno"), pickup_place=fields.pop("pickup_place",
            PLACE),
        **fields,
    )


def test_it_moves_exactly_the_ready_cards_of_that_rws_households():
    dispatch, cards = _received_dispatch(rw_002=2, rw_005=1)
    # A card of RW 002 reported missing on arrival (another dispatch, revoked) stays out.
    (lost,) = printed_cards(1, KRANJI, rw="002")
    other_dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=superuser())
    services.dispatch_receive(dispatch_id=other_dispatch.pk, by=superuser(), missing_card_ids=[lost.pk])

    handover = _hand_over(dispatch, "002", coordinator_phone="0812-3456-7890")

    assert set(handover.cards.values_list("pk", flat=True)) == {c.pk for c in cards["002"]}
    assert (handover.dispatch, handover.rw, handover.coordinator_name) == (dispatch, "002", "Bapak Sutrisno")
    assert handover.coordinator_phone == "+6281234567890"
    for card in cards["002"]:
        card.refresh_from_db()
        assert (card.status, card.handover_id) == (Card.Status.READY, handover.pk)
        assert CardEvent.objects.filter(card=card, kind="handed_over").count() == 1
    rw5 = Card.objects.get(pk=cards["005"][0].pk)
    assert (rw5.handover_id, rw5.pickup_place) == (None, dispatch.pickup_place)
    assert Card.objects.get(pk=lost.pk).handover_id is None


def test_it_tells_households_the_coordinators_place_on_the_card_and_the_citizen_api(client):
    dispatch, cards = _received_dispatch(rw_002=1)
    card = cards["002"][0]
    registration = Registration.objects.get(household=card.household)
    nik = head_of(card).nik

    def pickup_location():
        response = client.get(f"/api/v1/registrations/{registration.reference}/", {"nik": nik})
        assert response.status_code == 200, response.content
        return response.json()["card"]["pickup_location"]

    assert pickup_location() == dispatch.pickup_place

    _hand_over(dispatch, "002", pickup_place="Pos RW 02,  Jl. Melati 9")

    card.refresh_from_db()
    assert card.pickup_place == "Pos RW 02, Jl. Melati 9"
    assert pickup_location() == "Pos RW 02, Jl. Melati 9"


@pytest.mark.parametrize("given", ["2", "02", " 002 "])
def test_it_stores_the_rw_with_three_digits(given):
    dispatch, cards = _received_dispatch(rw_002=1)

    handover = _hand_over(dispatch, given)

    assert Handover.objects.get(pk=handover.pk).rw == "002"
    assert Card.objects.get(pk=cards["002"][0].pk).handover_id == handover.pk


def test_it_refuses_the_same_rw_twice():
    dispatch, cards = _received_dispatch(rw_002=1)
    first = _hand_over(dispatch, "002")

    with pytest.raises(Conflict) as refused:
        _hand_over(dispatch, "2", coordinator_name="Ibu Wartini", pickup_place="Balai Warga RW 02")

    assert refused.value.errors["rw"]
    assert list(Handover.objects.values_list("pk", flat=True)) == [first.pk]
    assert Card.objects.get(pk=cards["002"][0].pk).pickup_place == PLACE


def test_it_refuses_before_the_dispatch_is_received():
    dispatch, (card,) = sent(1, KRANJI)

    with pytest.raises(Conflict) as refused:
        _hand_over(dispatch, card.household.rw)

    assert refused.value.errors["non_field_errors"]
    assert not Handover.objects.exists()
    card.refresh_from_db()
    assert (card.status, card.handover_id) == (Card.Status.DISPATCHED, None)


def test_it_refuses_an_rw_with_no_card_waiting():
    dispatch, _cards = _received_dispatch(rw_002=1)

    with pytest.raises(Conflict) as refused:
        _hand_over(dispatch, "007")

    assert "007" in " ".join(refused.value.errors["rw"])
    assert not Handover.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "0212345678", "08123"])
def test_it_refuses_a_coordinator_phone_that_is_not_a_mobile_number(phone):
    dispatch, cards = _received_dispatch(rw_002=1)

    with pytest.raises(Invalid) as refused:
        _hand_over(dispatch, "002", coordinator_phone=phone)

    assert refused.value.errors["coordinator_phone"]
    assert not Handover.objects.exists()
    assert Card.objects.get(pk=cards["002"][0].pk).handover_id is None


def test_it_refuses_staff_of_another_kelurahan():
    dispatch, _cards = ready(1, KRANJI)

    with pytest.raises(PermissionDenied):
        _hand_over(dispatch, _cards[0].household.rw, by=kelurahan_user(MARGAJAYA))

    assert not Handover.objects.exists()
