"""What the renderer draws for a batch is read in the same few queries
whatever the batch's size (not one or two per card), and each card still
carries its own household: the head by relationship, members in order."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cards.models import Batch, Card
from cards.numbers import card_number
from cards.selectors import batch_card_data
from registrations.models import Household, Member, Region
from tests.factories import KRANJI

pytestmark = pytest.mark.django_db

_serial = iter(range(1, 10**6))


def _batch_of(size: int) -> Batch:
    """A rendering batch of ``size`` cards; each household lists a child
    before its head, and one member who left."""
    kelurahan = Region.objects.get(code=KRANJI)
    batch = Batch.objects.create(size=size, status=Batch.Status.RENDERING, cards_count=size, claimed_at=timezone.now(),
                                 claim="test", lease_until=timezone.now())
    serials = [next(_serial) for _ in range(size)]
    households = Household.objects.bulk_create(
        Household(kk_number=f"3275{serial:012d}", kelurahan=kelurahan, address="Jl. Kenari 4", rt="001", rw="002",
                  phone="+6281234567890")
        for serial in serials
    )
    members = []
    for serial, household in zip(serials, households):
        members += [
            Member(household=household, nik=f"3275{serial:08d}0001", full_name=f"Anak {serial}", sex="L",
                   birth_date=dt.date(2010, 1, 1), relationship="anak"),
            Member(household=household, nik=f"3275{serial:08d}0002", full_name=f"Kepala {serial}", sex="L",
                   birth_date=dt.date(1980, 1, 1), relationship="kepala_keluarga"),
            Member(household=household, nik=f"3275{serial:08d}0003", full_name=f"Pindah {serial}", sex="P",
                   birth_date=dt.date(1982, 1, 1), relationship="istri", start_date=dt.date(2020, 1, 1),
                   end_date=dt.date(2021, 1, 1), end_reason="Pindah KK"),
        ]
    Member.objects.bulk_create(members)
    Card.objects.bulk_create(
        Card(household=household, number=card_number(serial), status=Card.Status.PRINTING, batch=batch)
        for serial, household in zip(serials, households)
    )
    return batch


def _queries(batch: Batch) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        data = batch_card_data(batch)
    return len(queries), data


def test_it_reads_a_batch_of_5_and_a_batch_of_500_in_the_same_number_of_queries():
    small, large = _batch_of(5), _batch_of(500)

    small_count, small_data = _queries(small)
    large_count, large_data = _queries(large)

    assert (len(small_data), len(large_data)) == (5, 500)
    assert small_count == large_count <= 3


def test_it_still_gives_each_card_its_own_head_and_current_members():
    batch = _batch_of(3)

    _count, data = _queries(batch)

    for card in data:
        serial = int(card.card_number[4:13])
        assert card.head_name == f"Kepala {serial}"
        assert [name for name, _relationship in card.members] == [f"Anak {serial}", f"Kepala {serial}"]
        assert card.kk_number == f"3275{serial:012d}"
