"""What the mayor's monthly report says: one dict of counts for one calendar month.

Coverage and the blanko come from the selectors that serve the stats API and
the print office (the rollup, ``cards.selectors``), as they stand when the
report is made; the month's flows are counted from the records' own time
columns, in the city's time zone. Counts only: the one free text, a rejection
reason, is grouped and its numbers masked.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from cards.models import Card
from cards.selectors import blanko_budget_need, stock_summary
from complaints.models import Complaint
from hospitals.models import EmergencyRequest, VerificationLog
from kartusehat.logging import mask_identity_numbers
from registrations.models import Registration

from . import public, selectors

TOP_REASONS = 10


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in the city's time."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min), zone),
            timezone.make_aware(dt.datetime.combine(following, dt.time.min), zone))


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _by(queryset, field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def monthly_report_data(month: dt.date) -> dict:
    """Every figure of the report of ``month`` (any day of it)."""
    start, end = month_bounds(month)
    area = public.public_area()
    coverage = selectors.coverage(area) if area else None
    cards_now = selectors.cards(area) if area else None

    submitted = Registration.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    decided = Registration.objects.filter(decided_at__gte=start, decided_at__lt=end)
    rejected = decided.filter(status=Registration.Status.REJECTED)
    reasons: dict[str, int] = {}
    for reason, n in _by(rejected, "rejection_reason").items():
        key = mask_identity_numbers(reason.strip())[:80] or "—"
        reasons[key] = reasons.get(key, 0) + n
    top = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))

    checks = VerificationLog.objects.filter(at__gte=start, at__lt=end)
    emergencies = EmergencyRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    complaints = Complaint.objects.filter(created_at__gte=start, created_at__lt=end)
    stock = stock_summary()
    return {
        "month": start.date(),
        "made_at": timezone.now(),
        "as_of": coverage["as_of"] if coverage else None,
        "coverage": coverage,
        "cards_now": cards_now,
        "registrations": {
            "submitted": submitted.count(),
            "by_channel": {channel: _by(submitted, "channel").get(channel, 0)
                           for channel in Registration.Channel.values},
            "verified": decided.filter(status=Registration.Status.VERIFIED).count(),
            "rejected": rejected.count(),
            "rejection_reasons": top[:TOP_REASONS],
            "other_reasons": sum(n for _reason, n in top[TOP_REASONS:]),
        },
        "cards": {
            "printed": Card.objects.filter(printed_at__gte=start, printed_at__lt=end).count(),
            "collected": Card.objects.filter(collected_at__gte=start, collected_at__lt=end).count(),
        },
        "blanko": {
            "on_hand": stock["on_hand"],
            "reserved_for_batches": stock["reserved_for_batches"],
            "reserved_for_emergency": stock["reserved_for_emergency"],
            "available_for_regular": stock["available_for_regular"],
            "mode": stock["mode"],
            "forecast": stock["forecast"],
            "budget_need": blanko_budget_need(),
        },
        "hospitals": {
            "checks": checks.count(),
            "covered": checks.filter(eligible=True).count(),
            "not_covered": checks.filter(eligible=False).count(),
            "emergency_requests": emergencies.count(),
        },
        "complaints": {
            "received": complaints.count(),
            "by_category": {category: _by(complaints, "category").get(category, 0)
                            for category in Complaint.Category.values},
        },
    }
