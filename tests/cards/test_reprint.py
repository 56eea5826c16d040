"""A lost or damaged card is replaced: card_reprint revokes it at once (a
hospital desk then refuses its number) and queues the next copy under a new
number, which prints in the next batch. A damaged card handed back counts
its blank as spoiled in the ledger; a lost one changes no stock. A card not
printed yet, being printed, or already revoked has nothing to replace."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from cards import selectors, services
from cards.models import Card, LedgerEntry, Stock
from kartusehat.refusals import Conflict, Invalid
from registrations.models import Registration
from tests.cards.distribution_helpers import head_of, kelurahan_user, printed_cards, ready
from tests.cards.queue_helpers import claimed, receive
from tests.factories import KRANJI, MARGAJAYA, superuser
from tests.hospitals.helpers import hospital_key, keyed, verified_household, verify

pytestmark = pytest.mark.django_db


def _counters() -> dict:
    row = Stock.objects.get(pk=1)
    return {field: getattr(row, field) for field in ("on_hand", "reserved", "consumed", "spoiled", "received",
        "adjusted")}


def _assert_ledger_explains_the_stock() -> None:
    row = Stock.objects.get(pk=1)
    assert selectors.ledger_totals() == {
        "received": row.received, "adjusted": row.adjusted, "consumed": row.consumed,
        "spoiled": row.spoiled, "on_hand": row.on_hand, "reserved": row.reserved,
    }
    assert row.received + row.adjusted == row.on_hand + row.consumed + row.spoiled


def _collected() -> Card:
    _dispatch, (card,) = ready(1)
    return services.card_collect(card_id=card.pk, by=kelurahan_user(username="kel.kranji.ambil"),
        collector=Card.Collector.HEAD)


def _assert_replaced(old_before: Card, new: Card, kind: str) -> Card:
    old = Card.objects.get(pk=old_before.pk)
    assert old.status == Card.Status.REVOKED
    assert old.revoked_at is not None
    assert old.revoked_reason
    new = Card.objects.get(pk=new.pk)
    assert new.status == Card.Status.QUEUED
    assert (new.household_id, new.copy, new.kind, new.replaces_id) == (old.household_id, 2, kind, old.pk)
    assert new.number and new.number != old.number
    assert Card.objects.filter(household=old.household).count() == 2
    return old


def test_it_revokes_a_ready_card_at_once_and_queues_a_lost_copy():
    _dispatch, (card,) = ready(1)
    assert card.status == Card.Status.READY

    new = services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=kelurahan_user(), note="hilang di pasar")

    old = _assert_replaced(card, new, Card.Kind.LOST)
    assert "hilang di pasar" in old.revoked_reason


def test_it_revokes_a_collected_card_and_queues_a_damaged_copy():
    card = _collected()
    assert card.status == Card.Status.COLLECTED

    new = services.card_reprint(card_id=card.pk, kind=Card.Kind.DAMAGED, by=kelurahan_user())

    old = _assert_replaced(card, new, Card.Kind.DAMAGED)
    assert old.collected_at is not None  # the record of its collection stays


def test_it_makes_hospital_desks_refuse_the_old_number_and_accept_the_nik_with_the_new_card():
    _dispatch, (card,) = ready(1)
    head = head_of(card)
    _staff, key = hospital_key()
    desk = keyed(APIClient(), key)
    before = verify(desk, {"card_number": card.number}).json()
    assert (before["eligible"], before["reason_code"]) == (True, "eligible")

    new = services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=kelurahan_user())

    by_old_number = verify(desk, {"card_number": card.number})
    assert by_old_number.status_code == 200, by_old_number.content
    body = by_old_number.json()
    assert (body["eligible"], body["reason_code"]) == (False, "card_revoked")
    assert body["card"] == {"number": card.number, "status": "revoked"}
    body = verify(desk, {"nik": head.nik}).json()
    assert (body["eligible"], body["reason_code"]) == (True, "eligible")
    assert body["card"] == {"number": new.number, "status": "queued"}


def test_it_prints_the_new_card_in_the_next_batch_and_shows_it_printed_to_the_citizen(client):
    _dispatch, (card,) = ready(1)
    new = services.card_reprint(card_id=card.pk, kind=Card.Kind.DAMAGED, by=kelurahan_user())
    registration = Registration.objects.get(household=card.household)
    nik = head_of(card).nik

    receive(1, emergency_reserve=0)
    batch = claimed(1)
    assert list(batch.cards.values_list("pk", flat=True)) == [new.pk]
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/reprint.pdf")

    assert Card.objects.get(pk=new.pk).status == Card.Status.PRINTED
    response = client.get(f"/api/v1/registrations/{registration.reference}/", {"nik": nik})
    assert response.status_code == 200, response.content
    assert response.json()["card"]["status"] == "printed"


def test_it_counts_a_damaged_card_handed_back_as_one_spoiled_blank():
    _dispatch, (card,) = ready(1)
    before = _counters()

    services.card_reprint(card_id=card.pk, kind=Card.Kind.DAMAGED, by=kelurahan_user(), returned_damaged=True)

    after = _counters()
    assert after["spoiled"] == before["spoiled"] + 1
    assert after["consumed"] == before["consumed"] - 1
    assert after["on_hand"] == before["on_hand"]
    entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SPOILED, card=card)
    assert entries.count() == 1
    assert entries.get().quantity == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SPOILED).count() == 1
    _assert_ledger_explains_the_stock()


def test_it_changes_no_stock_for_a_lost_card():
    _dispatch, (card,) = ready(1)
    before, entries = _counters(), LedgerEntry.objects.count()

    services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=kelurahan_user())

    assert _counters() == before
    assert LedgerEntry.objects.count() == entries
    _assert_ledger_explains_the_stock()


def test_it_refuses_a_queued_card():
    _household, _head, card = verified_household()
    assert card.status == Card.Status.QUEUED

    with pytest.raises(Conflict) as refused:
        services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=superuser())

    assert refused.value.errors
    assert Card.objects.get(pk=card.pk).status == Card.Status.QUEUED
    assert Card.objects.filter(household=card.household).count() == 1


def test_it_refuses_a_card_being_printed():
    _household, _head, card = verified_household()
    receive(1, emergency_reserve=0)
    claimed(1)
    assert Card.objects.get(pk=card.pk).status == Card.Status.PRINTING

    with pytest.raises(Conflict) as refused:
        services.card_reprint(card_id=card.pk, kind=Card.Kind.DAMAGED, by=superuser(), returned_damaged=True)

    assert refused.value.errors
    assert Card.objects.get(pk=card.pk).status == Card.Status.PRINTING
    assert Card.objects.filter(household=card.household).count() == 1
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SPOILED).exists()


def test_it_refuses_the_staff_of_another_kelurahan():
    (card,) = printed_cards(1, KRANJI)
    stranger = kelurahan_user(MARGAJAYA)

    with pytest.raises(PermissionDenied):
        services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=stranger)

    assert Card.objects.get(pk=card.pk).status == Card.Status.PRINTED
    assert Card.objects.filter(household=card.household).count() == 1


def test_it_refuses_to_reprint_the_revoked_card_again():
    _dispatch, (card,) = ready(1)
    staff = kelurahan_user()
    new = services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=staff)

    with pytest.raises(Conflict) as refused:
        services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=staff)

    assert refused.value.errors
    assert list(Card.objects.filter(household=card.household).order_by("copy").values_list("pk", "status")) == [
        (card.pk, Card.Status.REVOKED), (new.pk, Card.Status.QUEUED),
    ]


def test_it_refuses_a_lost_card_reported_as_handed_back():
    _dispatch, (card,) = ready(1)
    before = Stock.objects.get(pk=1).spoiled

    with pytest.raises(Invalid) as refusal:
        services.card_reprint(card_id=card.pk, kind=Card.Kind.LOST, by=superuser(), returned_damaged=True)

    assert "returned_damaged" in refusal.value.errors
    assert Card.objects.get(pk=card.pk).status == Card.Status.READY
    assert Stock.objects.get(pk=1).spoiled == before
