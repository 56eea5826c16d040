"""The whole print run on real services: PostgreSQL, Redis and two Celery
worker processes rendering batches in parallel.

2,000 queued cards (50 of them emergencies) and 300 blanko: exactly 300 cards
are printed, every emergency among them, no card twice, and the ledger
balances to the card.
"""

import uuid

import pytest

from cards import tasks
from cards.models import Batch, Card, LedgerEntry, Stock
from tests.cards.worker_helpers import queue_cards, start_worker, wait_until_ready
from tests.factories import blanko

CARDS, EMERGENCIES, BLANKO, BATCHES, BATCH_SIZE = 2000, 50, 300, 8, 50

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_prints_exactly_the_blanko_on_hand_emergencies_first_with_two_workers(tmp_path):
    emergency_ids = queue_cards()
    blanko(BLANKO, emergency_reserve=0)
    queue = f"print-{uuid.uuid4().hex[:8]}"
    workers = [start_worker(queue, f"w{n}-{queue}", tmp_path) for n in range(2)]
    try:
        wait_until_ready([f"w{n}-{queue}" for n in range(2)])
        batches = [Batch.objects.create(size=BATCH_SIZE) for _ in range(BATCHES)]
        results = [tasks.batch_render.apply_async(args=[batch.pk], queue=queue) for batch in batches]
        done = [result.get(timeout=300) for result in results]
    finally:
        for worker in workers:
            worker.terminate()
        outputs = [worker.communicate(timeout=60)[0].decode() for worker in workers]

    assert all(d["status"] == "done" for d in done), outputs
    # Both workers took part: each finished at least one batch.
    assert len({d["worker"] for d in done if d["cards"]}) == 2, done

    printed = Card.objects.filter(status="printed")
    assert printed.count() == BLANKO
    assert sum(d["cards"] for d in done) == BLANKO  # no card counted in two batches
    assert set(emergency_ids) <= set(printed.values_list("pk", flat=True))
    oldest_regulars = list(
        Card.objects.filter(priority="regular").order_by("requested_at").values_list("pk",
            flat=True)[: BLANKO - EMERGENCIES]
    )
    assert set(printed.filter(priority="regular").values_list("pk", flat=True)) == set(oldest_regulars)
    assert Card.objects.filter(status="queued").count() == CARDS - BLANKO
    assert not Card.objects.filter(status="printing").exists()

    stock = Stock.objects.get()
    assert (stock.on_hand, stock.reserved, stock.consumed, stock.spoiled) == (0, 0, BLANKO, 0)
    assert stock.received == stock.on_hand + stock.consumed + stock.spoiled
    consumed = sum(LedgerEntry.objects.filter(kind="consumed").values_list("quantity", flat=True))
    assert consumed == BLANKO
    for batch in Batch.objects.exclude(cards_count=0):
        assert batch.pdf and (tmp_path / batch.pdf.name).exists()
