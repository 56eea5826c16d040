"""The Celery task claims, renders and completes a batch, and is safe to run
again for the same batch (acks_late redelivery)."""

import datetime as dt
import importlib.util

import pymupdf
import pytest

from cards import services, tasks
from cards.models import Batch, Card, LedgerEntry
from tests.cards.queue_helpers import assert_ledger_balances, raise_to_emergency, receive, stock
from tests.factories import verified

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(importlib.util.find_spec("cards.rendering") is None,
        reason="cards/rendering.py is not written yet"),
]


def _cards(count):
    return [Card.objects.get(household__kk_number=verified().kk_number) for _ in range(count)]


def _pages(batch):
    with batch.pdf.open("rb") as stored:
        return pymupdf.open(stream=stored.read(), filetype="pdf").page_count


def test_it_prints_a_batch_into_one_stored_pdf():
    receive(10, emergency_reserve=0)
    cards = _cards(3)
    batch = Batch.objects.create(size=5)

    result = tasks.batch_render(batch.pk)

    batch.refresh_from_db()
    assert {key: result[key] for key in ("batch", "status", "cards")} == {"batch": batch.pk, "status": "done",
        "cards": 3}
    assert (batch.status, batch.cards_count, batch.progress) == ("done", 3, 100)
    assert batch.pdf.name and batch.pdf.storage.exists(batch.pdf.name)
    assert _pages(batch) == 6  # front and back of each card
    assert set(Card.objects.filter(pk__in=[c.pk for c in cards]).values_list("status", flat=True)) == {"printed"}
    assert (stock().on_hand, stock().consumed, stock().reserved) == (7, 3, 0)
    assert_ledger_balances()


def test_it_neither_prints_nor_consumes_twice_when_run_again():
    receive(10, emergency_reserve=0)
    _cards(2)
    batch = Batch.objects.create(size=5)
    tasks.batch_render(batch.pk)
    first = Batch.objects.get(pk=batch.pk)

    result = tasks.batch_render(batch.pk)

    assert {key: result[key] for key in ("batch", "status", "cards")} == {"batch": batch.pk, "status": "done",
        "cards": 2}
    again = Batch.objects.get(pk=batch.pk)
    assert (again.pdf.name, again.finished_at) == (first.pdf.name, first.finished_at)
    assert LedgerEntry.objects.filter(kind="consumed").count() == 1
    assert LedgerEntry.objects.filter(kind="reserved").count() == 1
    assert (stock().on_hand, stock().consumed) == (8, 2)


def test_it_leaves_a_batch_held_by_another_worker_until_its_lease_runs_out(django_capture_on_commit_callbacks):
    receive(10, emergency_reserve=0)
    _cards(2)
    batch = services.batch_claim(batch_id=Batch.objects.create(size=5).pk)  # a worker that then died
    assert batch.status == "rendering"

    # The message delivered again does not print a batch another worker holds.
    assert tasks.batch_render(batch.pk)["status"] == "rendering"
    assert (stock().reserved, stock().consumed) == (2, 0)

    # The sweeper, once the lease has run out: the cards back to the queue,
    # the batch claimed again (here at once: tasks run in-process) and printed.
    with django_capture_on_commit_callbacks(execute=True):
        services.batches_recover(now=batch.lease_until + dt.timedelta(seconds=1))

    batch.refresh_from_db()
    assert (batch.status, batch.cards_count, batch.attempts) == ("done", 2, 2)
    assert (stock().reserved, stock().consumed) == (0, 2)
    assert LedgerEntry.objects.filter(kind="reserved").count() == 2
    assert LedgerEntry.objects.filter(kind="released").count() == 1
    assert_ledger_balances()


def test_it_prints_emergencies_only_in_registration_only_mode():
    receive(3, emergency_reserve=3)
    cards = _cards(3)
    raise_to_emergency(cards[1], "rawat_inap")
    batch = Batch.objects.create(size=10)

    tasks.batch_render(batch.pk)

    assert list(Card.objects.filter(status="printed").values_list("pk", flat=True)) == [cards[1].pk]
    assert Card.objects.filter(status="queued", priority="regular").count() == 2


def test_it_finishes_an_empty_batch_without_a_pdf():
    batch = Batch.objects.create(size=5)

    result = tasks.batch_render(batch.pk)

    assert {key: result[key] for key in ("batch", "status", "cards")} == {"batch": batch.pk, "status": "done",
        "cards": 0}
    assert not Batch.objects.get(pk=batch.pk).pdf


def test_it_runs_when_an_operator_creates_a_batch(django_capture_on_commit_callbacks, monkeypatch):
    from kartusehat.celery import app

    # In-process, as in the embedded default, even where a broker is configured.
    monkeypatch.setattr(app.conf, "task_always_eager", True)
    receive(10, emergency_reserve=0)
    _cards(2)

    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_create(size=10)

    batch.refresh_from_db()
    assert (batch.status, batch.cards_count) == ("done", 2)
    assert Card.objects.filter(status="printed").count() == 2
