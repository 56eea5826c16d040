"""The recompute: every figure of every kelurahan, counted from the records.

One grouped count per source table (households, members, pending
registrations, cards, cards printed per week), all from one snapshot; then the
rollup rows replaced in one short transaction under the ``FiguresRun`` row's
lock: a reader sees the previous run or this one, never a half, two runs never
write at once, and an older count never replaces a newer one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from cards.models import Card
from registrations.models import Household, Member, Region, Registration

from .models import FiguresRun, KelurahanFigures, WeeklyPrinted

WEEKS = 12
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
QUEUED = (Card.Status.QUEUED, Card.Status.PRINTING)
CARD_COLUMNS = {
    Card.Status.QUEUED: "cards_queued",
    # A card in a batch being rendered is still waiting for its print.
    Card.Status.PRINTING: "cards_queued",
    Card.Status.PRINTED: "cards_printed",
    Card.Status.DISPATCHED: "cards_dispatched",
    Card.Status.READY: "cards_ready_for_pickup",
    Card.Status.COLLECTED: "cards_collected",
    Card.Status.REVOKED: "cards_revoked",
}


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def first_week(today: dt.date) -> dt.date:
    """The Monday of the oldest of the last ``WEEKS`` ISO weeks (this one included)."""
    return week_start(today) - dt.timedelta(weeks=WEEKS - 1)


def _count(queryset, by: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(by).annotate(n=Count("pk")).values_list(by, "n"))


def _counts(today: dt.date) -> tuple[dict[int, dict], dict[tuple[int, dt.date], int]]:
    rows: dict[int, dict] = defaultdict(dict)
    active = Household.Status.ACTIVE
    for kelurahan, n in _count(Household.objects.filter(status=active), "kelurahan_id").items():
        rows[kelurahan]["households_verified"] = n
    for kelurahan, n in _count(Member.objects.filter(end_date__isnull=True, household__status=active),
                               "household__kelurahan_id").items():
        rows[kelurahan]["people_covered"] = n
    on_roster = Household.objects.filter(kk_number=OuterRef("kk_number"), status=active)
    pending = Registration.objects.filter(status=Registration.Status.SUBMITTED).filter(~Exists(on_roster))
    for kelurahan, n in _count(pending, "kelurahan_id").items():
        rows[kelurahan]["households_pending"] = n

    overdue = Q(status=Card.Status.READY, pickup_deadline__lt=today)
    cards = (Card.objects.order_by().values_list("household__kelurahan_id", "status", "priority")
             .annotate(n=Count("pk"), late=Count("pk", filter=overdue)))
    for kelurahan, status, priority, n, late in cards:
        row = rows[kelurahan]
        column = CARD_COLUMNS.get(status)
        if column:
            row[column] = row.get(column, 0) + n
        if status in QUEUED and priority == Card.Priority.EMERGENCY:
            row["emergency_queued"] = row.get("emergency_queued", 0) + n
        row["overdue_pickup"] = row.get("overdue_pickup", 0) + late

    since = timezone.make_aware(dt.datetime.combine(first_week(today), dt.time.min))
    weekly = (Card.objects.filter(printed_at__gte=since).order_by()
              .annotate(week=TruncWeek("printed_at", tzinfo=timezone.get_current_timezone()))
              .values_list("household__kelurahan_id", "week").annotate(n=Count("pk")))
    per_week: dict[tuple[int, dt.date], int] = defaultdict(int)
    for kelurahan, week, n in weekly:
        day = week.date() if isinstance(week, dt.datetime) else week
        per_week[(kelurahan, day)] += n
    return rows, per_week


def _count_all(*, own_snapshot: bool) -> tuple[dt.datetime, dict, dict]:
    """Every count from one snapshot of the database, and the time it stands for.

    On PostgreSQL the counts run in one REPEATABLE READ transaction, so a
    verification committing between two of them is in all of them or in none
    (under READ COMMITTED its household could be missing from both the verified
    and the pending count for one run). Inside a caller's transaction (the
    tests) they read that transaction's view instead.
    """
    with transaction.atomic():
        if own_snapshot and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        now = timezone.now()
        rows, per_week = _counts(timezone.localdate(now))
    return now, rows, per_week


def figures_recompute() -> FiguresRun:
    """Count every figure again and replace the rollup; returns the run (its ``computed_at`` is ``as_of``).

    Counting takes seconds at city size and holds no lock; only the short
    replacement of the rows does (the run row's). A run that finds a newer run
    written meanwhile leaves it in place: figures never step back in time.
    """
    started = time.monotonic()
    now, rows, per_week = _count_all(own_snapshot=not connection.in_atomic_block)
    # Figures are per kelurahan of the city: the rows staff areas are made of.
    city = set(Region.objects.filter(level=Region.Level.KELURAHAN, code__startswith=settings.CITY_REGION_CODE + ".")
               .values_list("pk", flat=True))
    FiguresRun.objects.get_or_create(pk=1, defaults={"computed_at": EPOCH})
    with transaction.atomic():
        run = FiguresRun.objects.select_for_update().get(pk=1)
        if run.computed_at > now:
            return run
        KelurahanFigures.objects.all().delete()
        WeeklyPrinted.objects.all().delete()
        KelurahanFigures.objects.bulk_create(
            [KelurahanFigures(kelurahan_id=kelurahan, **values) for kelurahan, values in rows.items()
             if kelurahan in city])
        WeeklyPrinted.objects.bulk_create(
            [WeeklyPrinted(kelurahan_id=kelurahan, week=week, cards=n) for (kelurahan, week), n in per_week.items()
             if kelurahan in city])
        run.computed_at = now
        run.took_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["computed_at", "took_ms"])
    return run
