"""POST /api/v1/verify/ by card number: the card's household and who it covers,
and a revoked or cancelled card covers nobody."""

import pytest

from cards import services as card_services
from cards.models import Card
from cards.numbers import card_number, format_card_number
from hospitals.models import VerificationLog
from hospitals.selectors import partial_name
from kartusehat import identity
from tests.hospitals.helpers import hospital_key, keyed, revoke, verified_household, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(api):
    _staff, key = hospital_key()
    return keyed(api, key)


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_it_answers_eligible_with_the_members_the_card_covers(desk):
    household, _head, card = verified_household(size=3)
    members = list(household.members.filter(end_date__isnull=True).order_by("id"))

    response = verify(desk, {"card_number": card.number})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["eligible"], body["reason_code"]) == (True, "eligible")
    assert body["reason"]
    assert body["card"] == {"number": card.number, "status": "queued"}
    assert body["member"] is None
    assert body["members"] == [
        {"full_name": partial_name(m.full_name), "nik": identity.mask(m.nik), "relationship": m.relationship}
        for m in members
    ]
    # First name in full, the rest as initials: enough to match an e-KTP.
    first = members[0].full_name.split()
    assert body["members"][0]["full_name"].split()[0] == first[0]
    assert all(m.full_name not in response.content.decode() for m in members if len(m.full_name.split()) > 1)
    assert len(body["members"]) == 3
    assert body["household"]["kk_number"] == identity.mask(household.kk_number)
    assert body["household"]["kelurahan"] == "Kranji"


def test_it_never_shows_full_identity_numbers_of_the_members(desk):
    household, _head, card = verified_household(size=3)

    text = verify(desk, {"card_number": card.number}).content.decode()

    for member in household.members.all():
        assert member.nik not in text
    assert household.kk_number not in text


@pytest.mark.parametrize("spell", [format_card_number, lambda n: format_card_number(n).replace(" ", "-"),
                                   lambda n: f"  {n[:4]}-{n[4:8]} {n[8:]}  "])
def test_it_accepts_a_number_with_spaces_and_dashes(desk, spell):
    _household, _head, card = verified_household()

    body = verify(desk, {"card_number": spell(card.number)}).json()

    assert body["eligible"] is True
    assert body["card"]["number"] == card.number


def test_it_refuses_a_revoked_card_even_when_the_household_has_a_new_one(desk):
    household, head, old = verified_household()
    revoke(old)
    new = card_services.card_request(household=household, kind=Card.Kind.LOST)
    assert new.number != old.number

    revoked = verify(desk, {"card_number": old.number}).json()
    live = verify(desk, {"card_number": new.number}).json()

    assert (revoked["eligible"], revoked["reason_code"]) == (False, "card_revoked")
    assert revoked["card"] == {"number": old.number, "status": "revoked"}
    assert revoked["reason"]
    assert (live["eligible"], live["reason_code"]) == (True, "eligible")
    assert head.nik not in str(revoked)


def test_it_answers_card_unknown_for_a_cancelled_card(desk):
    # A cancelled card was never printed: no card carries its number.
    _household, _head, card = verified_household()
    Card.objects.filter(pk=card.pk).update(status=Card.Status.CANCELLED)

    response = verify(desk, {"card_number": card.number})

    assert response.status_code == 200
    body = response.json()
    assert (body["eligible"], body["reason_code"]) == (False, "card_unknown")
    assert body["card"] is None and body["household"] is None
    assert "members" not in body


def test_it_answers_card_unknown_for_a_valid_number_no_card_has(desk):
    verified_household()
    number = card_number(999999)
    assert not Card.objects.filter(number=number).exists()

    response = verify(desk, {"card_number": number})

    assert response.status_code == 200
    body = response.json()
    assert (body["eligible"], body["reason_code"]) == (False, "card_unknown")
    assert body["card"] is None and body["member"] is None and body["household"] is None
    assert VerificationLog.objects.get().result == "card_unknown"


def test_it_refuses_a_number_with_a_wrong_check_digit(desk):
    _household, _head, card = verified_household()

    response = verify(desk, {"card_number": _wrong_check_digit(card.number)})

    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["card_number"]
    assert body["card_number"] and all(body["card_number"])
    assert "eligible" not in body
