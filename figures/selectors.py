"""Reads of the figures (the rollup of ``figures.services``), for one staff area.

A handful of queries of a few dozen rows each, whatever the city's size: the
area's kelurahan with their kecamatan, their rollup rows, their KK totals, the
run's time and, for cards, the weekly rows.

KK totals (``households_total``): a kelurahan's is the number the city entered
for it, or ``None``. A kecamatan's is the sum of its kelurahan's when every one
of them has a total, else ``None``: a sum of some would be too small, and its
coverage too high. The city's is the sum of all kelurahan once every one has a
total, and ``CITY_HOUSEHOLD_TARGET`` until then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from kartusehat import areas
from registrations.models import KelurahanHouseholdTotal, Region

from . import services, tasks
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

TARGET_PCT = 95.0
# The contract's promise: figures at most 5 minutes old.
MAX_AGE = dt.timedelta(minutes=5)
ROW_COUNTS = ["households_verified", "households_pending", "people_covered"]
CARD_STATUSES = ["queued", "printed", "dispatched", "ready_for_pickup", "collected", "revoked"]
CARD_COUNTS = [f"cards_{status}" for status in CARD_STATUSES] + ["emergency_queued", "overdue_pickup"]


@dataclass(frozen=True)
class Area:
    """What a staff user's figures cover: a region and the kelurahan ids inside it."""

    region: Region
    kelurahan_ids: list[int]


def figures_area(user) -> Area | None:
    """The user's area for the figures (a superuser: the city); None without one."""
    if areas.sees_everything(user):
        region = Region.objects.filter(code=settings.CITY_REGION_CODE).first()
    else:
        region = areas.staff_region(user)
    if region is None:
        return None
    return Area(region=region, kelurahan_ids=areas.kelurahan_ids_in_area(user))


def _as_of() -> dt.datetime:
    run = FiguresRun.objects.filter(pk=1).first()
    if run is None:  # a new install before the first beat: count now, once
        run = services.figures_recompute()
    elif timezone.now() - run.computed_at > MAX_AGE and cache.add("figures:recompute-asked", True, 60):
        # Beat has stopped (or fell behind): ask a worker, once a minute at most; this
        # answer keeps its honest as_of rather than making the caller wait for a count.
        transaction.on_commit(tasks.figures_recompute.delay)
    return run.computed_at


def _pct(verified: int, total: int | None) -> float | None:
    return None if not total else round(verified * 100 / total, 1)


def _row(region: Region, counts: dict, total: int | None) -> dict:
    return {"code": region.code, "name": region.name, "households_total": total,
            **{name: counts.get(name, 0) for name in ROW_COUNTS},
            "coverage_pct": _pct(counts.get("households_verified", 0), total)}


def _sum(rows: list[dict], names: list[str]) -> dict:
    return {name: sum(row.get(name, 0) for row in rows) for name in names}


def coverage(area: Area) -> dict:
    """``{"as_of", "target_pct", "area", "children"}`` as the contract's ``/stats/coverage/``."""
    as_of = _as_of()
    kelurahan = list(Region.objects.filter(pk__in=area.kelurahan_ids, current=True)
                     .select_related("parent").order_by("code"))
    ids = [region.pk for region in kelurahan]
    counts = {row["kelurahan_id"]: row for row in KelurahanFigures.objects.filter(kelurahan_id__in=ids)
              .values("kelurahan_id", *ROW_COUNTS)}
    totals = dict(KelurahanHouseholdTotal.objects.filter(kelurahan_id__in=ids)
                  .values_list("kelurahan_id", "households_total"))

    def total_of(members: list[Region]) -> int | None:
        if not members or any(region.pk not in totals for region in members):
            return None
        return sum(totals[region.pk] for region in members)

    def row_of(region: Region, members: list[Region]) -> dict:
        return _row(region, _sum([counts.get(m.pk, {}) for m in members], ROW_COUNTS), total_of(members))

    level = area.region.level
    if level == Region.Level.KELURAHAN:
        return {"as_of": as_of, "target_pct": TARGET_PCT, "area": row_of(area.region, [area.region]),
                "children": []}
    if level == Region.Level.KECAMATAN:
        children = [row_of(region, [region]) for region in kelurahan]
        return {"as_of": as_of, "target_pct": TARGET_PCT, "area": row_of(area.region, kelurahan),
                "children": children}
    by_kecamatan: dict[int, list[Region]] = {}
    for region in kelurahan:
        by_kecamatan.setdefault(region.parent_id, []).append(region)
    kecamatan = sorted({region.parent for region in kelurahan if region.parent_id}, key=lambda r: r.code)
    children = [row_of(region, by_kecamatan[region.pk]) for region in kecamatan]
    city = row_of(area.region, kelurahan)
    if city["households_total"] is None:
        city["households_total"] = settings.KARTUSEHAT_CITY["household_target"]
        city["coverage_pct"] = _pct(city["households_verified"], city["households_total"])
    return {"as_of": as_of, "target_pct": TARGET_PCT, "area": city, "children": children}


def cards(area: Area) -> dict:
    """``{"as_of", "by_status", "emergency_queued", "overdue_pickup", "printed_per_week"}`` as ``/stats/cards/``."""
    as_of = _as_of()
    rows = list(KelurahanFigures.objects.filter(kelurahan_id__in=area.kelurahan_ids).values(*CARD_COUNTS))
    counts = _sum(rows, CARD_COUNTS)
    first = services.first_week(timezone.localdate(as_of))
    weeks = [first + dt.timedelta(weeks=n) for n in range(services.WEEKS)]
    printed = dict.fromkeys(weeks, 0)
    for week, n in (WeeklyPrinted.objects.filter(kelurahan_id__in=area.kelurahan_ids, week__gte=first)
                    .values_list("week", "cards")):
        if week in printed:
            printed[week] += n
    return {
        "as_of": as_of,
        "by_status": {status: counts[f"cards_{status}"] for status in CARD_STATUSES},
        "emergency_queued": counts["emergency_queued"],
        "overdue_pickup": counts["overdue_pickup"],
        "printed_per_week": [{"week": week, "cards": n} for week, n in printed.items()],
    }


def _on_time_pct(on_time: int, late: int) -> float | None:
    return round(on_time * 100 / (on_time + late), 1) if on_time + late else None


def cards_collected_on_time(area: Area) -> dict:
    """Cards collected on or before their pickup deadline and after it, per kelurahan of the
    area and for the whole area (not part of ``/stats/cards/``, whose shape the contract fixes)::

        {"as_of", "area": {"code", "name", "on_time", "late", "on_time_pct"},
         "kelurahan": [{"code", "name", "on_time", "late", "on_time_pct"}, ...] (by code)}
    """
    as_of = _as_of()
    counts = {kelurahan: (on_time, late) for kelurahan, on_time, late in
              KelurahanFigures.objects.filter(kelurahan_id__in=area.kelurahan_ids)
              .values_list("kelurahan_id", "collected_on_time", "collected_late")}
    rows = []
    for region in Region.objects.filter(pk__in=area.kelurahan_ids, current=True).order_by("code"):
        on_time, late = counts.get(region.pk, (0, 0))
        rows.append({"code": region.code, "name": region.name, "on_time": on_time, "late": late,
                     "on_time_pct": _on_time_pct(on_time, late)})
    on_time = sum(on for on, _late in counts.values())
    late = sum(late for _on, late in counts.values())
    return {"as_of": as_of, "kelurahan": rows,
            "area": {"code": area.region.code, "name": area.region.name, "on_time": on_time, "late": late,
                     "on_time_pct": _on_time_pct(on_time, late)}}


CHANNELS = ["online", "kelurahan", "import"]
TOP_REASONS = 10


def registration_flow(area: Area) -> dict:
    """The area's registrations of the last 12 ISO weeks, from the rollup::

        {"as_of", "weeks": [{"week", "online", "kelurahan", "import", "verified", "rejected"}, ...],
         "reasons": [{"reason", "rejected"}, ...] (the most given first, at most 10),
         "decision_times": [{"code", "name", "decided", "median_hours", "p90_hours"}, ...] (per kelurahan)}
    """
    as_of = _as_of()
    first = services.first_week(timezone.localdate(as_of))
    weeks = {first + dt.timedelta(weeks=n): {"submitted": dict.fromkeys(CHANNELS, 0), "verified": 0, "rejected": 0}
             for n in range(services.WEEKS)}
    for week, channel, submitted, verified, rejected in (
            WeeklyRegistrations.objects.filter(kelurahan_id__in=area.kelurahan_ids, week__gte=first)
            .values_list("week", "channel", "submitted", "verified", "rejected")):
        if week in weeks and channel in CHANNELS:
            weeks[week]["submitted"][channel] += submitted
            weeks[week]["verified"] += verified
            weeks[week]["rejected"] += rejected
    reasons: dict[str, int] = {}
    for reason, n in (RejectionReasonCount.objects.filter(kelurahan_id__in=area.kelurahan_ids)
                      .values_list("reason", "rejected")):
        reasons[reason] = reasons.get(reason, 0) + n
    top = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]
    times = (DecisionTime.objects.filter(kelurahan_id__in=area.kelurahan_ids).select_related("kelurahan")
             .order_by("kelurahan__code"))
    return {
        "as_of": as_of,
        "weeks": [{"week": week, **row["submitted"], "verified": row["verified"], "rejected": row["rejected"]}
                  for week, row in weeks.items()],
        "reasons": [{"reason": reason, "rejected": n} for reason, n in top],
        "decision_times": [{"code": row.kelurahan.code, "name": row.kelurahan.name, "decided": row.decided,
                            "median_hours": round(row.median_hours, 1), "p90_hours": round(row.p90_hours, 1)}
                           for row in times],
    }


def hospital_checks() -> dict:
    """The city's coverage checks of the last 14 days, from the rollup (the health office's
    facilities are the city's, so there is no area)::

        {"as_of", "days": [{"facility", "day", "covered", "not_covered", "emergency_requests"}, ...],
         "facilities": [{"facility", "covered", "not_covered", "not_covered_pct", "emergency_requests"}, ...],
         "reasons": [{"reason", "checks", "pct"}, ...] (of the not-covered checks, the most first)}
    """
    as_of = _as_of()
    first = services.hospital_days(timezone.localdate(as_of))[0]
    days = list(FacilityDay.objects.filter(day__gte=first).order_by("facility__name", "facility_id", "day")
                .values("facility__name", "facility_id", "day", "covered", "not_covered", "emergency_requests"))
    facilities: dict[int, dict] = {}
    for row in days:
        found = facilities.setdefault(row["facility_id"], {"facility": row["facility__name"], "covered": 0,
                                                           "not_covered": 0, "emergency_requests": 0})
        for name in ("covered", "not_covered", "emergency_requests"):
            found[name] += row[name]
    for found in facilities.values():
        checks = found["covered"] + found["not_covered"]
        found["not_covered_pct"] = round(found["not_covered"] * 100 / checks, 1) if checks else None
    reasons = list(NotCoveredReason.objects.order_by("-checks", "reason").values("reason", "checks"))
    total = sum(row["checks"] for row in reasons)
    return {
        "as_of": as_of,
        "days": [{"facility": row["facility__name"], "day": row["day"], "covered": row["covered"],
                  "not_covered": row["not_covered"], "emergency_requests": row["emergency_requests"]} for row in days],
        "facilities": list(facilities.values()),
        "reasons": [{**row, "pct": round(row["checks"] * 100 / total, 1)} for row in reasons],
    }
