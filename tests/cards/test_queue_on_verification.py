"""Verifying a registration puts the household's card in the print queue,
once, with a card number a desk clerk cannot mistype unnoticed."""

import pytest
from django.db import IntegrityError, transaction

from cards.models import Card
from cards.numbers import is_valid_card_number
from registrations import services as registration_services
from registrations.models import Household
from tests.factories import KRANJI, staff_user, submit, verified

pytestmark = pytest.mark.django_db


def test_it_queues_one_regular_card_when_a_registration_is_verified():
    staff = staff_user(KRANJI)
    registration = submit(KRANJI)
    assert not Card.objects.exists()

    registration_services.registration_verify(registration_id=registration.pk, by=staff)

    household = Household.objects.get(kk_number=registration.kk_number)
    cards = list(Card.objects.all())
    assert len(cards) == 1
    card = cards[0]
    assert card.household == household
    assert (card.status, card.priority, card.reason, card.kind, card.copy) == ("queued", "regular", "", "new", 1)
    assert card.batch is None and card.printed_at is None
    assert card.requested_by == staff


def test_it_gives_the_card_a_valid_city_card_number():
    card = Card.objects.get(household__kk_number=verified().kk_number)

    assert is_valid_card_number(card.number)
    assert card.number.startswith("3275")


def test_it_gives_every_card_its_own_number():
    for _ in range(5):
        verified()

    numbers = list(Card.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 5
    assert all(is_valid_card_number(number) for number in numbers)


def test_it_queues_cards_in_the_order_registrations_are_verified():
    first, second = verified(), verified()

    queue = list(Card.objects.filter(status="queued").order_by("requested_at", "id"))

    assert [card.household.kk_number for card in queue] == [first.kk_number, second.kk_number]


def test_it_leaves_a_rejected_registration_without_a_card():
    registration = submit(KRANJI)

    registration_services.registration_reject(
        registration_id=registration.pk, by=staff_user(KRANJI), reason="KK tidak sesuai dengan dokumen."
    )

    assert not Card.objects.exists()


def test_it_never_has_two_live_cards_for_a_household_in_the_database():
    card = Card.objects.get(household__kk_number=verified().kk_number)

    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        Card.objects.create(household=card.household, copy=2)

    assert "card_one_live_per_household" in str(refusal.value) or "household_id" in str(refusal.value)
    assert Card.objects.filter(household=card.household).count() == 1


def test_it_allows_a_new_card_once_the_old_one_is_cancelled():
    card = Card.objects.get(household__kk_number=verified().kk_number)
    Card.objects.filter(pk=card.pk).update(status="cancelled", cancelled_reason="Data berubah")

    with transaction.atomic():
        Card.objects.create(household=card.household, copy=2)

    assert Card.objects.filter(household=card.household).exclude(status="cancelled").count() == 1


def test_it_keeps_one_card_when_a_deactivated_household_is_verified_again():
    first = verified()
    home = Household.objects.get(kk_number=first.kk_number)
    card = Card.objects.get(household=home)
    Household.objects.filter(pk=home.pk).update(status="inactive")
    again = submit(KRANJI, kk_number=first.kk_number)

    registration_services.registration_verify(registration_id=again.pk, by=staff_user(KRANJI))

    assert Household.objects.get(pk=home.pk).status == "active"
    assert list(Card.objects.filter(household=home).values_list("pk", flat=True)) == [card.pk]
