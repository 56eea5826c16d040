"""Print batches heal themselves, on real services: PostgreSQL, Redis and
Celery worker processes.

A worker killed with SIGKILL in the middle of a batch (its message is not
acknowledged and would wait for the broker's visibility timeout), and a
worker whose database connection is killed in the middle of a batch
(``pg_terminate_backend``, as a PostgreSQL restart does): either way every
claimed card ends printed exactly once, the emergencies at the head of the
queue print in the recovered batch, the blanko ledger is exact, the service
mode is right again, and all of it within a few leases (3 s here).
"""

import os
import signal
import time
import uuid

import pytest
from django.db import connection

from cards import selectors, tasks
from cards.models import Batch, Card, CardEvent, ServiceMode, Stock
from tests.cards.queue_helpers import assert_ledger_balances
from tests.cards.worker_helpers import queue_cards, start_worker, wait_until_ready
from tests.factories import blanko

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CARDS, EMERGENCIES, SIZE = 2000, 50, 1500
LEASE = 3  # seconds, for the workers of these tests (production: 120)
WORKER_ENV = {"PRINT_BATCH_LEASE_SECONDS": str(LEASE)}


def _wait(condition, *, timeout: float, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s")


def _rendering(batch_id: int, past: int) -> bool:
    return Batch.objects.filter(pk=batch_id, status=Batch.Status.RENDERING, rendered__gte=past).exists()


def _stop(workers) -> list[str]:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    return [worker.communicate(timeout=60)[0].decode() for worker in workers]


def _assert_healed(batch_id: int, emergency_ids: list[int], *, outputs) -> Batch:
    batch = Batch.objects.get(pk=batch_id)
    assert (batch.status, batch.cards_count, batch.attempts) == (Batch.Status.DONE, SIZE, 2), (batch.error, outputs)
    printed = Card.objects.filter(status=Card.Status.PRINTED)
    assert printed.count() == SIZE
    # Exactly once: one "printed" step per card, none left half-way.
    assert CardEvent.objects.filter(kind=CardEvent.Kind.PRINTED).count() == SIZE
    assert not Card.objects.filter(status=Card.Status.PRINTING).exists()
    assert Card.objects.filter(status=Card.Status.QUEUED).count() == CARDS - SIZE
    # The first attempt's cards went back to the queue before the second took them.
    assert CardEvent.objects.filter(kind=CardEvent.Kind.RELEASED).count() == SIZE
    assert set(emergency_ids) <= set(printed.values_list("pk", flat=True))
    assert_ledger_balances()
    stock = Stock.objects.get()
    assert (stock.reserved, stock.consumed) == (0, SIZE)
    forced = ServiceMode.objects.values_list("forced", flat=True).get(pk=1)
    assert selectors.effective_mode(stock, forced) == ServiceMode.Mode.NORMAL
    return batch


def test_it_prints_every_card_once_after_the_worker_is_killed_mid_batch(tmp_path):
    emergency_ids = queue_cards(CARDS, EMERGENCIES)
    blanko(CARDS + 500, emergency_reserve=0)
    queue = f"print-{uuid.uuid4().hex[:8]}"
    doomed = start_worker(queue, f"doomed-{queue}", tmp_path, **WORKER_ENV)
    workers = [doomed]
    try:
        wait_until_ready([f"doomed-{queue}"])
        batch = Batch.objects.create(size=SIZE)
        tasks.batch_render.apply_async(args=[batch.pk], queue=queue)
        _wait(lambda: _rendering(batch.pk, 100), timeout=120)

        os.kill(doomed.pid, signal.SIGKILL)  # no goodbye: the message stays unacknowledged
        killed_at = time.monotonic()
        doomed.wait(timeout=30)
        assert Batch.objects.get(pk=batch.pk).status == Batch.Status.RENDERING
        assert Stock.objects.get().reserved == SIZE  # blanks still held for the dead worker

        survivor = start_worker(queue, f"survivor-{queue}", tmp_path, **WORKER_ENV)
        workers.append(survivor)
        wait_until_ready([f"survivor-{queue}"])

        # Celery beat sends the sweeper every minute; here, every second.
        def healed():
            tasks.batch_sweep.apply_async(queue=queue)
            return Batch.objects.filter(pk=batch.pk, status=Batch.Status.DONE).exists()

        _wait(healed, timeout=120, every=1)
        recovered_in = time.monotonic() - killed_at
    finally:
        outputs = _stop(workers)

    _assert_healed(batch.pk, emergency_ids, outputs=outputs)
    # A lease to run out, a sweep to notice, a batch to print: seconds, not the broker's hour.
    assert recovered_in < 6 * LEASE + 30, recovered_in


def test_it_prints_every_card_once_after_its_database_connection_is_killed_mid_batch(tmp_path):
    emergency_ids = queue_cards(CARDS, EMERGENCIES)
    blanko(CARDS + 500, emergency_reserve=0)
    queue = f"print-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, f"cut-{queue}", tmp_path, **WORKER_ENV)
    try:
        wait_until_ready([f"cut-{queue}"])
        batch = Batch.objects.create(size=SIZE)
        tasks.batch_render.apply_async(args=[batch.pk], queue=queue)
        _wait(lambda: _rendering(batch.pk, 100), timeout=120)

        with connection.cursor() as cursor:  # what a PostgreSQL restart does to the worker
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        cut_at = time.monotonic()

        # No sweeper here: the worker gives the batch back on a fresh connection itself.
        _wait(lambda: Batch.objects.filter(pk=batch.pk, status=Batch.Status.DONE).exists(), timeout=120, every=0.2)
        recovered_in = time.monotonic() - cut_at
    finally:
        outputs = _stop([worker])

    healed = _assert_healed(batch.pk, emergency_ids, outputs=outputs)
    assert "OperationalError" in healed.error or "InterfaceError" in healed.error, healed.error
    assert recovered_in < 60, recovered_in
