"""A change to a household's members (one leaves, one joins, a name is
corrected) replaces its printed card with a data_changed reprint that shows
the new data; a card not printed yet simply prints the new data, and a card
being printed refuses the change, which is then not saved at all."""

import datetime as dt
import itertools

import pytest

from cards import selectors
from cards.models import Card
from kartusehat import identity
from kartusehat.refusals import Conflict, Invalid
from registrations import services as registration_services
from registrations.models import Member
from tests.cards.distribution_helpers import kelurahan_user, printed_cards
from tests.cards.queue_helpers import claimed, receive
from tests.factories import KRANJI, MARGAJAYA, verified

pytestmark = pytest.mark.django_db

_serial = itertools.count(9100)
NEW_CHILD_BIRTH = dt.date(2024, 5, 17)


def _new_child(name: str = "Rizky Pratama", relationship: str = "anak") -> dict:
    """A newborn of Bekasi Barat with a valid NIK no test has used."""
    return {
        "nik": identity.encode_nik("327502", NEW_CHILD_BIRTH, "L", next(_serial)),
        "full_name": name, "birth_date": NEW_CHILD_BIRTH.isoformat(), "sex": "L", "relationship": relationship,
    }


def _child(household) -> Member:
    return household.members.filter(relationship="anak", end_date__isnull=True).order_by("id").first()


def _head(household) -> Member:
    return household.members.get(relationship="kepala_keluarga", end_date__isnull=True)


def _printed_household():
    (card,) = printed_cards(1, KRANJI, size=3)
    assert _child(card.household) is not None
    return card.household, card


def _replacement(old: Card) -> Card:
    old.refresh_from_db()
    assert old.status == Card.Status.REVOKED
    assert old.revoked_at is not None and old.revoked_reason
    new = Card.objects.get(replaces=old)
    assert (new.status, new.kind, new.copy) == (Card.Status.QUEUED, Card.Kind.DATA_CHANGED, old.copy + 1)
    assert new.number != old.number
    return new


def _rendered_members(card: Card) -> list[str]:
    """The member names the renderer draws on ``card`` once it is in a batch."""
    receive(1, emergency_reserve=0)
    batch = claimed(1)
    data = {item.card_number: item for item in selectors.batch_card_data(batch)}
    assert card.number in data, list(data)
    return [name for name, _relationship in data[card.number].members]


def _queued_household():
    registration = verified(KRANJI, size=3)
    card = Card.objects.get(household=registration.household)
    assert card.status == Card.Status.QUEUED
    return registration.household, card


def _printing_household():
    household, card = _queued_household()
    receive(1, emergency_reserve=0)
    claimed(1)
    card.refresh_from_db()
    assert card.status == Card.Status.PRINTING
    return household, card


def _assert_card_untouched(card: Card, status: str) -> None:
    assert list(Card.objects.filter(household=card.household).values_list("pk", "status", "copy")) == [(card.pk,
        status, 1)]


# --- After printing: the card is replaced ---------------------------------------


def test_it_replaces_the_printed_card_when_a_child_leaves():
    household, card = _printed_household()
    child = _child(household)

    registration_services.member_end(member_id=child.pk, by=kelurahan_user(), reason="Pindah ke KK lain")

    new = _replacement(card)
    names = _rendered_members(new)
    # By the people left (a child may share the head's name: compare the lists).
    staying = household.members.filter(end_date__isnull=True).order_by("id")
    assert child.pk not in staying.values_list("pk", flat=True)
    assert names == [m.full_name for m in staying]
    assert _head(household).full_name in names
    assert len(names) == 2


def test_it_replaces_the_printed_card_when_a_child_joins():
    household, card = _printed_household()
    data = _new_child("Rizky Pratama")

    member = registration_services.member_add(household_id=household.pk, data=data, by=kelurahan_user())

    assert (member.nik, member.household_id) == (data["nik"], household.pk)
    new = _replacement(card)
    names = _rendered_members(new)
    assert "Rizky Pratama" in names
    assert len(names) == 4


def test_it_replaces_the_printed_card_when_a_name_is_corrected():
    household, card = _printed_household()
    child = _child(household)
    old_name = child.full_name

    registration_services.member_correct_name(member_id=child.pk, full_name="Dewi Lestari Putri", by=kelurahan_user())

    new = _replacement(card)
    names = _rendered_members(new)
    # By the people on the roster (the head may share the child's old name).
    current = [m.full_name for m in household.members.filter(end_date__isnull=True).order_by("id")]
    assert "Dewi Lestari Putri" in names
    assert names == current
    assert names.count(old_name) == current.count(old_name) == (1 if _head(household).full_name == old_name else 0)


# --- Before printing: nothing to replace ----------------------------------------


def test_it_leaves_a_queued_card_alone_when_a_child_leaves():
    household, card = _queued_household()

    registration_services.member_end(member_id=_child(household).pk, by=kelurahan_user(), reason="Pindah ke KK lain")

    _assert_card_untouched(card, Card.Status.QUEUED)


def test_it_leaves_a_queued_card_alone_when_a_child_joins():
    household, card = _queued_household()

    registration_services.member_add(household_id=household.pk, data=_new_child(), by=kelurahan_user())

    _assert_card_untouched(card, Card.Status.QUEUED)
    assert "Rizky Pratama" in _rendered_members(card)


def test_it_leaves_a_queued_card_alone_when_a_name_is_corrected():
    household, card = _queued_household()

    registration_services.member_correct_name(member_id=_child(household).pk, full_name="Dewi Lestari Putri",
        by=kelurahan_user())

    _assert_card_untouched(card, Card.Status.QUEUED)


# --- While printing: refused, and nothing half-written --------------------------


def test_it_refuses_a_child_leaving_while_the_card_prints_and_keeps_the_member():
    household, card = _printing_household()
    child = _child(household)

    with pytest.raises(Conflict) as refused:
        registration_services.member_end(member_id=child.pk, by=kelurahan_user(), reason="Pindah ke KK lain")

    assert str(refused.value)
    child.refresh_from_db()
    assert (child.end_date, child.end_reason) == (None, "")
    _assert_card_untouched(card, Card.Status.PRINTING)


def test_it_refuses_a_child_joining_while_the_card_prints_and_adds_nobody():
    household, card = _printing_household()
    members = household.members.count()
    data = _new_child()

    with pytest.raises(Conflict):
        registration_services.member_add(household_id=household.pk, data=data, by=kelurahan_user())

    assert household.members.count() == members
    assert not Member.objects.filter(nik=data["nik"]).exists()
    _assert_card_untouched(card, Card.Status.PRINTING)


def test_it_refuses_a_name_correction_while_the_card_prints_and_keeps_the_name():
    household, card = _printing_household()
    child = _child(household)
    old_name = child.full_name

    with pytest.raises(Conflict):
        registration_services.member_correct_name(member_id=child.pk, full_name="Dewi Lestari Putri",
            by=kelurahan_user())

    child.refresh_from_db()
    assert child.full_name == old_name
    _assert_card_untouched(card, Card.Status.PRINTING)


# --- member_add's own refusals --------------------------------------------------


def _assert_refused(household, data: dict, field: str) -> None:
    members = household.members.count()
    with pytest.raises(Invalid) as refused:
        registration_services.member_add(household_id=household.pk, data=data, by=kelurahan_user())
    assert field in refused.value.errors, refused.value.errors
    assert refused.value.errors[field]
    assert household.members.count() == members


def test_it_refuses_a_nik_active_in_another_household():
    household, card = _printed_household()
    other = verified(KRANJI, size=2).household
    taken = _head(other)
    data = {"nik": taken.nik, "full_name": "Orang Lain", "birth_date": taken.birth_date.isoformat(),
            "sex": taken.sex, "relationship": "famili_lain"}

    _assert_refused(household, data, "nik")
    assert Member.objects.filter(nik=taken.nik).count() == 1
    assert Card.objects.get(pk=card.pk).status == Card.Status.PRINTED


def test_it_refuses_a_second_head_of_household():
    household, card = _printed_household()

    _assert_refused(household, _new_child(relationship="kepala_keluarga"), "relationship")
    assert Card.objects.get(pk=card.pk).status == Card.Status.PRINTED


def test_it_refuses_an_invalid_nik():
    household, card = _printed_household()
    _assert_refused(household, {**_new_child(), "nik": "327502170524000X"}, "nik")
    _assert_refused(household, {**_new_child(), "nik": "1234"}, "nik")
    assert Card.objects.get(pk=card.pk).status == Card.Status.PRINTED


# --- The admin pages ------------------------------------------------------------


def test_it_adds_a_member_from_the_household_admin_page(client):
    household, card = _printed_household()
    client.force_login(kelurahan_user())
    url = f"/admin/registrations/household/{household.pk}/add-member/"
    data = _new_child("Rizky Pratama")

    assert client.get(url).status_code == 200
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith(f"/admin/registrations/household/{household.pk}/change/")
    assert household.members.filter(nik=data["nik"], full_name="Rizky Pratama", end_date__isnull=True).exists()
    _replacement(card)


def test_it_corrects_a_name_from_the_member_admin_page(client):
    household, card = _printed_household()
    child = _child(household)
    client.force_login(kelurahan_user())
    url = f"/admin/registrations/member/{child.pk}/correct-name/"

    page = client.get(url)
    assert page.status_code == 200
    assert child.full_name in page.content.decode()
    response = client.post(url, {"full_name": "Dewi Lestari Putri"})

    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.full_name == "Dewi Lestari Putri"
    _replacement(card)


def test_it_hides_another_kelurahans_household_from_both_pages(client):
    other = verified(MARGAJAYA, size=3).household
    child = _child(other)
    client.force_login(kelurahan_user(KRANJI))
    add_url = f"/admin/registrations/household/{other.pk}/add-member/"
    name_url = f"/admin/registrations/member/{child.pk}/correct-name/"
    data = _new_child()

    assert client.get(add_url).status_code == 404
    assert client.post(add_url, data).status_code == 404
    assert client.get(name_url).status_code == 404
    assert client.post(name_url, {"full_name": "Dewi Lestari Putri"}).status_code == 404

    assert not Member.objects.filter(nik=data["nik"]).exists()
    child.refresh_from_db()
    assert child.full_name != "Dewi Lestari Putri"
