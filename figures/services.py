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
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from cards.models import Card
from hospitals.models import EmergencyRequest, VerificationLog
from kartusehat.logging import mask_identity_numbers
from registrations.models import Household, Member, Region, Registration

from .models import (
    DecisionTime,
    FacilityDay,
    FiguresRun,
    KelurahanFigures,
    NotCoveredReason,
    RejectionReasonCount,
    WeeklyPrinted,
    WeeklyRegistrations,
)

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
    # ``collected_at__date`` is the city's day (the current time zone): the deadline is a city date.
    on_time = Q(collected_at__isnull=False, pickup_deadline__isnull=False,
                collected_at__date__lte=F("pickup_deadline"))
    late_collected = Q(collected_at__isnull=False, pickup_deadline__isnull=False,
                       collected_at__date__gt=F("pickup_deadline"))
    cards = (Card.objects.order_by().values_list("household__kelurahan_id", "status", "priority")
             .annotate(n=Count("pk"), late=Count("pk", filter=overdue),
                       on_time=Count("pk", filter=on_time), after=Count("pk", filter=late_collected)))
    for kelurahan, status, priority, n, late, collected_on_time, collected_late in cards:
        row = rows[kelurahan]
        column = CARD_COLUMNS.get(status)
        if column:
            row[column] = row.get(column, 0) + n
        if status in QUEUED and priority == Card.Priority.EMERGENCY:
            row["emergency_queued"] = row.get("emergency_queued", 0) + n
        row["overdue_pickup"] = row.get("overdue_pickup", 0) + late
        row["collected_on_time"] = row.get("collected_on_time", 0) + collected_on_time
        row["collected_late"] = row.get("collected_late", 0) + collected_late

    since = timezone.make_aware(dt.datetime.combine(first_week(today), dt.time.min))
    weekly = (Card.objects.filter(printed_at__gte=since).order_by()
              .annotate(week=TruncWeek("printed_at", tzinfo=timezone.get_current_timezone()))
              .values_list("household__kelurahan_id", "week").annotate(n=Count("pk")))
    per_week: dict[tuple[int, dt.date], int] = defaultdict(int)
    for kelurahan, week, n in weekly:
        day = week.date() if isinstance(week, dt.datetime) else week
        per_week[(kelurahan, day)] += n
    return rows, per_week


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def percentile(values: list[float], fraction: float) -> float:
    """PostgreSQL's ``percentile_cont`` of sorted ``values``: interpolated between the two nearest."""
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _decision_times(since: dt.datetime) -> dict[int, tuple[int, float, float]]:
    """Per kelurahan: decisions since ``since``, median and 90th percentile hours to decide."""
    decided = Registration.objects.filter(decided_at__gte=since).exclude(status=Registration.Status.SUBMITTED)
    if connection.vendor == "postgresql":
        # One GROUP BY over the decided rows; the database sorts each kelurahan's durations itself.
        query, params = decided.values("kelurahan_id", "submitted_at", "decided_at").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kelurahan_id, count(*),"
                " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)),"
                " percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at))"
                f" FROM ({query}) AS decided GROUP BY kelurahan_id", params)
            return {kelurahan: (n, median / 3600, p90 / 3600) for kelurahan, n, median, p90 in cursor.fetchall()}
    hours: dict[int, list[float]] = defaultdict(list)
    for kelurahan, submitted_at, decided_at in decided.values_list("kelurahan_id", "submitted_at", "decided_at"):
        hours[kelurahan].append((decided_at - submitted_at).total_seconds() / 3600)
    found = {}
    for kelurahan, values in hours.items():
        values.sort()
        found[kelurahan] = (len(values), percentile(values, 0.5), percentile(values, 0.9))
    return found


def _flow(today: dt.date) -> tuple[dict, dict, dict]:
    """The registration flow of the last ``WEEKS`` weeks, per kelurahan: per (week, channel)
    submitted, verified and rejected; rejection reasons; decision times."""
    since = timezone.make_aware(dt.datetime.combine(first_week(today), dt.time.min))
    tz = timezone.get_current_timezone()
    weekly: dict[tuple[int, dt.date, str], dict] = defaultdict(lambda: {"submitted": 0, "verified": 0, "rejected": 0})
    submitted = (Registration.objects.filter(submitted_at__gte=since).order_by()
                 .annotate(week=TruncWeek("submitted_at", tzinfo=tz))
                 .values_list("kelurahan_id", "week", "channel").annotate(n=Count("pk")))
    for kelurahan, week, channel, n in submitted:
        weekly[(kelurahan, _day(week), channel)]["submitted"] += n
    decided = (Registration.objects.filter(decided_at__gte=since).exclude(status=Registration.Status.SUBMITTED)
               .order_by().annotate(week=TruncWeek("decided_at", tzinfo=tz))
               .values_list("kelurahan_id", "week", "channel", "status").annotate(n=Count("pk")))
    for kelurahan, week, channel, status, n in decided:
        weekly[(kelurahan, _day(week), channel)][status] += n
    reasons: dict[tuple[int, str], int] = defaultdict(int)
    rejected = (Registration.objects.filter(decided_at__gte=since, status=Registration.Status.REJECTED).order_by()
                .values_list("kelurahan_id", "rejection_reason").annotate(n=Count("pk")))
    for kelurahan, reason, n in rejected:
        # Grouped as written; a NIK or KK typed into the reason never reaches the figures.
        reasons[(kelurahan, mask_identity_numbers(reason.strip())[:80] or "—")] += n
    return weekly, reasons, _decision_times(since)


HOSPITAL_DAYS = 14


def hospital_days(today: dt.date) -> list[dt.date]:
    """The last ``HOSPITAL_DAYS`` days, today included, oldest first."""
    return [today - dt.timedelta(days=n) for n in range(HOSPITAL_DAYS - 1, -1, -1)]


def _hospitals(today: dt.date) -> tuple[dict, dict]:
    """Per (facility, day) of the last 14: checks covered and not covered, emergency
    requests; and the not-covered checks per reason. Through the ``at`` indexes."""
    since = timezone.make_aware(dt.datetime.combine(hospital_days(today)[0], dt.time.min))
    tz = timezone.get_current_timezone()
    days: dict[tuple[int, dt.date], dict] = defaultdict(
        lambda: {"covered": 0, "not_covered": 0, "emergency_requests": 0})
    checks = (VerificationLog.objects.filter(at__gte=since, purpose=VerificationLog.Purpose.VERIFY,
                                             facility__isnull=False).order_by()
              .annotate(day=TruncDate("at", tzinfo=tz)).values_list("facility_id", "day")
              .annotate(covered=Count("pk", filter=Q(eligible=True)),
                        not_covered=Count("pk", filter=Q(eligible=False))))
    for facility, day, covered, not_covered in checks:
        row = days[(facility, _day(day))]
        row["covered"] += covered
        row["not_covered"] += not_covered
    emergencies = (EmergencyRequest.objects.filter(created_at__gte=since).order_by()
                   .annotate(day=TruncDate("created_at", tzinfo=tz)).values_list("facility_id", "day")
                   .annotate(n=Count("pk")))
    for facility, day, n in emergencies:
        days[(facility, _day(day))]["emergency_requests"] += n
    reasons = _count(VerificationLog.objects.filter(at__gte=since, purpose=VerificationLog.Purpose.VERIFY,
                                                    eligible=False), "result")
    return days, reasons


def _count_all(*, own_snapshot: bool) -> tuple[dt.datetime, dict, dict, tuple, tuple]:
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
        flow = _flow(timezone.localdate(now))
        hospitals = _hospitals(timezone.localdate(now))
    return now, rows, per_week, flow, hospitals


def figures_recompute() -> FiguresRun:
    """Count every figure again and replace the rollup; returns the run (its ``computed_at`` is ``as_of``).

    Counting takes seconds at city size and holds no lock; only the short
    replacement of the rows does (the run row's). A run that finds a newer run
    written meanwhile leaves it in place: figures never step back in time.
    """
    started = time.monotonic()
    counted = _count_all(own_snapshot=not connection.in_atomic_block)
    now, rows, per_week, (weekly, reasons, times), (facility_days, not_covered) = counted
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
        WeeklyRegistrations.objects.all().delete()
        RejectionReasonCount.objects.all().delete()
        DecisionTime.objects.all().delete()
        FacilityDay.objects.all().delete()
        NotCoveredReason.objects.all().delete()
        KelurahanFigures.objects.bulk_create(
            [KelurahanFigures(kelurahan_id=kelurahan, **values) for kelurahan, values in rows.items()
             if kelurahan in city])
        WeeklyPrinted.objects.bulk_create(
            [WeeklyPrinted(kelurahan_id=kelurahan, week=week, cards=n) for (kelurahan, week), n in per_week.items()
             if kelurahan in city])
        WeeklyRegistrations.objects.bulk_create(
            [WeeklyRegistrations(kelurahan_id=kelurahan, week=week, channel=channel, **counts)
             for (kelurahan, week, channel), counts in weekly.items() if kelurahan in city])
        RejectionReasonCount.objects.bulk_create(
            [RejectionReasonCount(kelurahan_id=kelurahan, reason=reason, rejected=n)
             for (kelurahan, reason), n in reasons.items() if kelurahan in city])
        DecisionTime.objects.bulk_create(
            [DecisionTime(kelurahan_id=kelurahan, decided=n, median_hours=median, p90_hours=p90)
             for kelurahan, (n, median, p90) in times.items() if kelurahan in city])
        FacilityDay.objects.bulk_create(
            # A day of refused checks only (no answer) counts nothing: no row.
            [FacilityDay(facility_id=facility, day=day, **counts) for (facility, day), counts in facility_days.items()
             if any(counts.values())])
        NotCoveredReason.objects.bulk_create(
            [NotCoveredReason(reason=reason, checks=n) for reason, n in not_covered.items()])
        run.computed_at = now
        run.took_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["computed_at", "took_ms"])
    return run
