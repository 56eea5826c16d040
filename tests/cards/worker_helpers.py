"""Real Celery workers for the print-run tests: a queue of cards in the test
database, worker processes pointed at it, and a wait until they answer."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cards.models import Card
from cards.numbers import card_number
from kartusehat import identity
from kartusehat.celery import app
from registrations.models import Household, Member, Region
from tests.factories import KRANJI

ROOT = Path(__file__).resolve().parents[2]


def queue_cards(cards: int = 2000, emergencies: int = 50) -> list[int]:
    """``cards`` households with one member each and a queued card, oldest
    first, ``emergencies`` of them emergencies spread through the queue;
    returns the emergency card ids."""
    kelurahan = Region.objects.get(code=KRANJI)
    region6 = KRANJI[:8].replace(".", "")
    households = Household.objects.bulk_create(
        Household(
            kk_number=identity.encode_kk(region6, dt.date(2015, 1, 1) + dt.timedelta(days=i % 3000), i % 9999 + 1),
            kelurahan=kelurahan, address=f"Jl. Kranji No. {i}", rt="001", rw="002", phone="+6281234567890",
        )
        for i in range(cards)
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
    emergency = set(random.Random(4).sample(range(cards), emergencies))
    created = Card.objects.bulk_create(
        Card(
            household=household, number=card_number(500_000 + i), requested_at=start + dt.timedelta(minutes=i),
            priority="emergency" if i in emergency else "regular", reason="sakit" if i in emergency else "",
        )
        for i, household in enumerate(households)
    )
    return [card.pk for i, card in enumerate(created) if i in emergency]


def start_worker(queue: str, name: str, media: Path, **env_overrides: str) -> subprocess.Popen:
    """A Celery worker (solo pool: the main process renders) on the test database."""
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
        # What the worker sends itself (a batch sent again) stays on this test's queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **env_overrides,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kartusehat", "worker", "--loglevel=WARNING", "--pool=solo",
         "--queues", queue, "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def wait_until_ready(names: list[str], timeout: float = 60) -> None:
    """The workers answer before any batch is sent, so each takes part."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1) or []
        answered = {name.split("@")[0] for reply in replies for name in reply}
        if set(names) <= answered:
            return
    raise AssertionError(f"workers {names} did not start")
