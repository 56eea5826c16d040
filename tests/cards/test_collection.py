"""card_collect records who collected a card waiting at the kelurahan: the
head, a current member of the household, or a proxy with a valid NIK."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cards import services
from cards.models import Card, CardEvent
from kartusehat.refusals import Conflict, Invalid
from tests.cards.distribution_helpers import head_of, kelurahan_user, printed_cards, sent
from tests.factories import KRANJI, registration_data, superuser

pytestmark = pytest.mark.django_db


def _ready_card(size: int = 3) -> Card:
    (card,) = printed_cards(1, KRANJI, size=size)
    dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=superuser())
    services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())
    card.refresh_from_db()
    assert card.status == Card.Status.READY
    return card


def _other_member(card):
    return card.household.members.filter(end_date__isnull=True).exclude(relationship="kepala_keluarga").first()


def _collected_events(card) -> int:
    return CardEvent.objects.filter(card=card, kind="collected").count()


def _unchanged(card):
    card.refresh_from_db()
    assert card.status == Card.Status.READY
    assert (card.collected_at, card.collected_by_kind, card.collected_name, card.collected_id_number) == (None, "", "",
        "")
    assert _collected_events(card) == 0


def test_it_records_the_heads_name_and_nik_when_the_head_collects():
    card = _ready_card()
    staff = kelurahan_user(KRANJI)
    head = head_of(card)
    before = timezone.now()

    collected = services.card_collect(card_id=card.pk, by=staff, collector=Card.Collector.HEAD)

    assert collected.status == Card.Status.COLLECTED
    assert (collected.collected_by_kind, collected.collected_name, collected.collected_id_number) == (
        "head", head.full_name, head.nik)
    assert collected.collected_at >= before
    assert collected.collection_recorded_by == staff
    event = CardEvent.objects.get(card=card, kind="collected")
    assert event.by == staff
    assert head.full_name in event.note


def test_it_records_the_member_who_collected_it():
    card = _ready_card(size=3)
    member = _other_member(card)

    collected = services.card_collect(card_id=card.pk, by=kelurahan_user(KRANJI), collector=Card.Collector.MEMBER,
                                      member_id=member.pk)

    assert (collected.status, collected.collected_by_kind) == (Card.Status.COLLECTED, "member")
    assert (collected.collected_name, collected.collected_id_number) == (member.full_name, member.nik)
    assert _collected_events(card) == 1


def test_it_refuses_a_member_of_another_household():
    card = _ready_card(size=3)
    stranger = _other_member(_ready_card(size=3))

    with pytest.raises(Invalid) as refused:
        services.card_collect(card_id=card.pk, by=kelurahan_user(KRANJI), collector=Card.Collector.MEMBER,
                              member_id=stranger.pk)

    assert refused.value.errors["member"]
    _unchanged(card)


def test_it_refuses_a_member_whose_membership_has_ended():
    card = _ready_card(size=3)
    member = _other_member(card)
    # Ended with the ORM: member_end would (rightly) replace the printed card too.
    type(member).objects.filter(pk=member.pk).update(end_date=timezone.localdate(), end_reason="Pindah KK")

    with pytest.raises(Invalid) as refused:
        services.card_collect(card_id=card.pk, by=kelurahan_user(KRANJI), collector=Card.Collector.MEMBER,
                              member_id=member.pk)

    assert refused.value.errors["member"]
    _unchanged(card)


def test_it_records_a_proxy_with_name_and_nik():
    card = _ready_card()
    nik = registration_data(size=1)["members"][0]["nik"]
    spelled = f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"

    collected = services.card_collect(card_id=card.pk, by=kelurahan_user(KRANJI), collector=Card.Collector.PROXY,
                                      proxy_name="  Rahmat   Hidayat ", proxy_id_number=spelled)

    assert (collected.status, collected.collected_by_kind) == (Card.Status.COLLECTED, "proxy")
    assert (collected.collected_name, collected.collected_id_number) == ("Rahmat Hidayat", nik)


@pytest.mark.parametrize("number", ["", "1234", "3275019999990001", "32750115058000031"])
def test_it_refuses_a_proxy_without_a_valid_nik(number):
    card = _ready_card()

    with pytest.raises(Invalid) as refused:
        services.card_collect(card_id=card.pk, by=kelurahan_user(KRANJI), collector=Card.Collector.PROXY,
                              proxy_name="Rahmat Hidayat", proxy_id_number=number)

    assert refused.value.errors["proxy_id_number"]
    assert all(str(message).strip() for message in refused.value.errors["proxy_id_number"])
    _unchanged(card)


def test_it_refuses_a_proxy_without_a_name():
    card = _ready_card()
    nik = registration_data(size=1)["members"][0]["nik"]

    with pytest.raises(Invalid) as refused:
        services.card_collect(card_id=card.pk, by=kelurahan_user(KRANJI), collector=Card.Collector.PROXY,
                              proxy_name=" ", proxy_id_number=nik)

    assert refused.value.errors["proxy_name"]
    _unchanged(card)


def test_it_keeps_the_first_record_when_the_pickup_is_recorded_twice():
    card = _ready_card()
    first_staff, second_staff = kelurahan_user(KRANJI, username="loket1"), kelurahan_user(KRANJI, username="loket2")
    first = services.card_collect(card_id=card.pk, by=first_staff, collector=Card.Collector.HEAD)

    again = services.card_collect(card_id=card.pk, by=second_staff, collector=Card.Collector.PROXY,
                                  proxy_name="Orang Lain",
                                  proxy_id_number=registration_data(size=1)["members"][0]["nik"])

    card.refresh_from_db()
    for seen in (again, card):
        assert seen.status == Card.Status.COLLECTED
        assert (seen.collected_by_kind, seen.collected_name, seen.collected_id_number) == (
            "head", first.collected_name, first.collected_id_number)
        assert (seen.collected_at, seen.collection_recorded_by_id) == (first.collected_at, first_staff.pk)
    assert _collected_events(card) == 1


def test_it_refuses_a_card_still_on_its_way():
    _dispatch, (card,) = sent(1, KRANJI)

    with pytest.raises(Conflict) as refused:
        services.card_collect(card_id=card.pk, by=kelurahan_user(KRANJI), collector=Card.Collector.HEAD)

    assert card.number in str(refused.value)
    card.refresh_from_db()
    assert (card.status, card.collected_at, _collected_events(card)) == (Card.Status.DISPATCHED, None, 0)


def test_it_has_the_database_refuse_a_collected_card_without_collected_at():
    card = _ready_card()

    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.filter(pk=card.pk).update(status=Card.Status.COLLECTED, collected_by_kind="head",
                                               collected_name=head_of(card).full_name)

    card.refresh_from_db()
    assert card.status == Card.Status.READY
