"""The whole print run on real services: PostgreSQL, Redis and two Celery
worker processes rendering batches in parallel.

2,000 queued cards (50 of them emergencies) and 300 blanko: exactly 300 cards
are printed, every emergency among them, no card twice, and the ledger
balances to the card.
"""

import datetime as dt
import os
import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cards import tasks
from cards.models import Batch, Card, LedgerEntry, Stock
from cards.numbers import card_number
from kartusehat import identity
from registrations.models import Household, Member, Region
from tests.factories import KRANJI, blanko

ROOT = Path(__file__).resolve().parents[2]
CARDS, EMERGENCIES, BLANKO, BATCHES, BATCH_SIZE = 2000, 50, 300, 8, 50

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def queue_cards() -> list[int]:
    """2,000 households with one member each and a queued card; returns the emergency card ids."""
    kelurahan = Region.objects.get(code=KRANJI)
    region6 = KRANJI[:8].replace(".", "")
    households = Household.objects.bulk_create(
        Household(
            kk_number=identity.encode_kk(region6, dt.date(2015, 1, 1) + dt.timedelta(days=i % 3000), i % 9999 + 1),
            kelurahan=kelurahan, address=f"Jl. Kranji No. {i}", rt="001", rw="002", phone="+6281234567890",
        )
        for i in range(CARDS)
    )
    Member.objects.bulk_create(
        Member(
            household=household, nik=identity.encode_nik(region6, dt.date(1980, 1, 1) + dt.timedelta(days=i % 9000),
                "L", i % 9999 + 1),
            full_name=f"Warga Nomor {chr(65 + i % 26)}", birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i % 9000),
            sex="L", relationship="kepala_keluarga",
        )
        for i, household in enumerate(households)
    )
    start = timezone.now() - dt.timedelta(days=30)
    emergency = set(random.Random(4).sample(range(CARDS), EMERGENCIES))
    cards = Card.objects.bulk_create(
        Card(
            household=household, number=card_number(500_000 + i), requested_at=start + dt.timedelta(minutes=i),
            priority="emergency" if i in emergency else "regular", reason="sakit" if i in emergency else "",
        )
        for i, household in enumerate(households)
    )
    return [card.pk for i, card in enumerate(cards) if i in emergency]


def start_worker(queue: str, name: str, media: Path) -> subprocess.Popen:
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kartusehat.settings",
        # The test database this test wrote to, and a private folder of its own.
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PRIVATE_MEDIA_ROOT": str(media),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kartusehat", "worker", "--loglevel=WARNING", "--pool=solo",
         "--queues", queue, "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def wait_until_ready(names: list[str], timeout: float = 60) -> None:
    """Both workers answer before any batch is sent, so both take part."""
    import time

    from kartusehat.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1) or []
        answered = {name.split("@")[0] for reply in replies for name in reply}
        if set(names) <= answered:
            return
    raise AssertionError(f"workers {names} did not start")


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
