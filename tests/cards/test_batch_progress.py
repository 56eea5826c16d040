"""A batch's progress goes from 0 to 100 as its cards are rendered."""

import pytest

from cards import services
from cards.models import Batch
from tests.cards.queue_helpers import claimed, new_batch, queue, receive

pytestmark = pytest.mark.django_db


def _progress(batch):
    return Batch.objects.get(pk=batch.pk).progress


def test_it_is_zero_before_the_batch_is_claimed():
    assert new_batch(10).progress == 0


def test_it_follows_the_cards_rendered():
    receive(100, emergency_reserve=0)
    queue(8)
    batch = claimed(8)
    assert _progress(batch) == 0

    services.batch_progress(batch_id=batch.pk, rendered=2)
    assert _progress(batch) == 25
    services.batch_progress(batch_id=batch.pk, rendered=4)
    assert _progress(batch) == 50


def test_it_stays_below_100_until_the_batch_is_complete():
    receive(100, emergency_reserve=0)
    queue(8)
    batch = claimed(8)

    services.batch_progress(batch_id=batch.pk, rendered=8)
    assert _progress(batch) == 99

    services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")
    assert _progress(batch) == 100


def test_it_is_100_for_a_batch_done_with_no_cards():
    assert claimed(10).progress == 100


def test_it_ignores_progress_reports_after_the_batch_is_done():
    receive(100, emergency_reserve=0)
    queue(4)
    batch = claimed(4)
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")

    services.batch_progress(batch_id=batch.pk, rendered=1)

    assert Batch.objects.get(pk=batch.pk).rendered == 4
    assert _progress(batch) == 100


def test_it_always_reads_between_0_and_100():
    receive(100, emergency_reserve=0)
    queue(7)
    batch = claimed(7)

    for rendered in range(8):
        services.batch_progress(batch_id=batch.pk, rendered=rendered)
        assert 0 <= _progress(batch) <= 99
    services.batch_fail(batch_id=batch.pk, error="printer offline")
    assert 0 <= _progress(batch) <= 100
