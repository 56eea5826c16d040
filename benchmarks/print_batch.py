"""A print batch end to end on PostgreSQL, beside rendering alone, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kartusehat \\
        .venv/bin/python benchmarks/print_batch.py [--cards 500] [--repeat 3] [--city]

End to end is what a Celery worker does for one batch (``cards.tasks.batch_render``,
called in this process): claim the next cards and reserve their blanks
(``batch_claim``, ``SKIP LOCKED``), read what each card shows
(``batch_card_data``), render the PDF, store it, and mark the cards printed
(``batch_complete``). Render-only is ``render_cards`` on the same cards,
already read into memory: the ceiling the rest of the work is measured against.

Without ``--city`` the script makes its own scratch database
(``<name>_bench_print``, created with the migrations, deleted at the end; never
the test suite's ``test_<name>``) and fills it with households, members and
queued cards. With ``--city`` it uses the database
of ``DATABASE_URL`` as it is (the full city that ``manage.py load_city`` builds)
and prints from its queue. A script, not a test: timings on a shared machine
are not pass/fail material; it prints the load average beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartusehat.settings")
_PRIVATE = tempfile.TemporaryDirectory(prefix="kartusehat-bench-")
os.environ["PRIVATE_MEDIA_ROOT"] = _PRIVATE.name

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from cards import selectors, services  # noqa: E402
from cards.models import Batch, Card  # noqa: E402
from cards.numbers import card_number  # noqa: E402
from cards.rendering import fonts, render_cards  # noqa: E402
from cards.tasks import batch_render  # noqa: E402
from registrations.demo import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES  # noqa: E402
from registrations.models import Household, Member, Region, Relationship  # noqa: E402


def seed(households: int) -> None:
    """``households`` verified households of 1-7 members, each with a queued card, and blanko for them."""
    kelurahan = list(Region.objects.filter(level="kelurahan", code__startswith=settings.CITY_REGION_CODE + "."))
    start = Household.objects.count()
    rows = Household.objects.bulk_create(
        Household(kk_number=f"327501{start + n:010d}", kelurahan=kelurahan[n % len(kelurahan)],
                  address=f"Jl. Benchmark No. {n % 250 + 1}", rt=f"{n % 15 + 1:03d}", rw=f"{n % 12 + 1:03d}",
                  phone="+6281234567890")
        for n in range(households)
    )
    members = []
    for n, household in enumerate(rows):
        family = FAMILY_NAMES[n % len(FAMILY_NAMES)]
        for position in range(1 + (n * 7919) % 7):
            male = position != 1
            given = (MALE_NAMES if male else FEMALE_NAMES)[(n + position) % 20]
            members.append(Member(
                household=household, nik=f"3275{start + n:08d}{position + 1:04d}", full_name=f"{given} {family}",
                birth_date=dt.date(1960 + position * 7, 1 + n % 12, 1 + n % 28), sex="L" if male else "P",
                relationship=(Relationship.KEPALA_KELUARGA if position == 0
                              else Relationship.ISTRI if position == 1 else Relationship.ANAK),
            ))
    Member.objects.bulk_create(members, batch_size=5000)
    cards = Card.objects.bulk_create(Card(household=household) for household in rows)
    for card in cards:
        card.number = card_number(card.pk)
    Card.objects.bulk_update(cards, ["number"], batch_size=5000)
    services.stock_receive(budget_year=2026, quantity=households, received_on=timezone.localdate(),
                           reference=f"BENCH-{start}", by=operator())
    services.stock_set_emergency_reserve(count=0, by=operator())


def operator():
    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    return user


def end_to_end(size: int) -> tuple[float, int, int]:
    """Seconds for one batch as a worker runs it, its card count and its queries."""
    batch = Batch.objects.create(size=size)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = batch_render(batch.pk)
    seconds = time.perf_counter() - started
    if result["status"] != Batch.Status.DONE:
        raise SystemExit(f"batch {batch.pk} ended {result['status']}")
    return seconds, result["cards"], len(queries)


def render_only(batch: Batch) -> tuple[float, float]:
    """Seconds to read the batch's cards, and to render them from memory."""
    started = time.perf_counter()
    cards = selectors.batch_card_data(batch)
    read = time.perf_counter() - started
    with tempfile.TemporaryFile() as out, translation.override("id"):
        started = time.perf_counter()
        render_cards(cards, out, city=settings.KARTUSEHAT_CITY)
        return read, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--city", action="store_true", help="use DATABASE_URL's database as it is (load_city)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL=postgres://…: the batch is measured on PostgreSQL.")
    if settings.PRODUCTION:
        raise SystemExit("Never on a production database: --city prints from the queue it finds.")
    original = settings.DATABASES["default"]["NAME"]
    if not args.city:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{original}_bench_print"
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        print(f"scratch database {name}")
    try:
        if not args.city:
            seed(args.cards * args.repeat)
        fonts()
        rows = []
        for _round in range(args.repeat):
            seconds, count, queries = end_to_end(args.cards)
            batch = Batch.objects.filter(status=Batch.Status.DONE).latest("pk")
            read, render = render_only(batch)
            rows.append((count / seconds, count / render, count / read, queries, count))
        e2e, render, read, queries, count = max(rows)
        print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}, {os.cpu_count()} CPUs, "
              f"PostgreSQL {connection.pg_version // 10000}")
        print(f"{'batch of ' + str(count) + ' cards, best of ' + str(args.repeat):<52} {'cards/s':>8}")
        print(f"{'end to end (claim, read, render, store, complete)':<52} {e2e:>8.0f}   {queries} queries")
        print(f"{'render only, from memory (baseline)':<52} {render:>8.0f}")
        print(f"{'read only (batch_card_data)':<52} {read:>8.0f}")
        print(f"end to end is {e2e / render:.0%} of render-only")
    finally:
        if not args.city:
            connection.creation.destroy_test_db(original, verbosity=0)
        _PRIVATE.cleanup()


if __name__ == "__main__":
    main()
