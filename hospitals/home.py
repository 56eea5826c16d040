"""The health office's work on the admin home page: today's coverage checks
per facility, emergency requests, agreements to renew and desks that stopped
checking. City-wide, as the health office's lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat.home import Figure, Section, Table, changelist, date_param, local_day_start, section

from . import selectors
from .models import EmergencyRequest, VerificationLog

EMERGENCY_WEEK_DAYS = 7


def health_office_counts(*, now: dt.datetime | None = None) -> dict:
    """Four queries: checks today per facility (through the checks' ``at``
    index), emergency requests today and in the last 7 days, agreements ending
    within 60 days, and facilities whose checks stopped."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_start, day_end = local_day_start(today), local_day_start(today + dt.timedelta(days=1))
    checks = list(
        VerificationLog.objects.filter(at__gte=day_start, at__lt=day_end, facility__isnull=False)
        .values("facility_id", "facility__name")
        .annotate(covered=Count("pk", filter=Q(eligible=True)), not_covered=Count("pk", filter=Q(eligible=False)))
        .order_by("facility__name", "facility_id")
    )
    week_start = local_day_start(today - dt.timedelta(days=EMERGENCY_WEEK_DAYS - 1))
    emergencies = EmergencyRequest.objects.filter(created_at__gte=week_start, created_at__lt=day_end).aggregate(
        today=Count("pk", filter=Q(created_at__gte=day_start)), week=Count("pk"))
    stopped = selectors.facilities_checks_stopped(now=now).count()
    return {
        "checks": checks, "emergencies": emergencies, "stopped": stopped,
        "agreements_ending": selectors.agreements_ending(on=today).count(),
        "day": (day_start, day_end), "week_start": week_start,
    }


@section(order=40)
def health_office_section(request):
    if not request.user.has_perm("hospitals.change_facility"):
        return None
    counts = health_office_counts()
    day_start, day_end = counts["day"]
    today = {"at__gte": date_param(day_start), "at__lt": date_param(day_end)}
    checks = Table(_("Coverage checks today, per facility"), [_("facility"), _("covered"), _("not covered")], [
        [(row["facility__name"], ""),
         (row["covered"], changelist("hospitals.VerificationLog", facility__id__exact=row["facility_id"],
                                     eligible__exact="1", **today)),
         (row["not_covered"], changelist("hospitals.VerificationLog", facility__id__exact=row["facility_id"],
                                         eligible__exact="0", **today))]
        for row in counts["checks"]
    ], key="checks-today")
    requests_url = "hospitals.EmergencyRequest"
    figures = [
        Figure(_("Emergency requests today"), counts["emergencies"]["today"],
               changelist(requests_url, created_at__gte=date_param(day_start), created_at__lt=date_param(day_end)),
               key="emergencies-today"),
        Figure(_("Emergency requests, last 7 days"), counts["emergencies"]["week"],
               changelist(requests_url, created_at__gte=date_param(counts["week_start"]),
                          created_at__lt=date_param(day_end)), key="emergencies-week"),
        Figure(_("Agreements ending within 60 days"), counts["agreements_ending"],
               changelist("hospitals.Agreement", berakhir="60"), key="agreements-ending"),
        Figure(_("Facilities whose checks stopped"), counts["stopped"],
               changelist("hospitals.Facility", pemeriksaan="berhenti"),
               _("none for 7 days, some in the 4 weeks before"), key="checks-stopped"),
    ]
    return Section("health-office", _("Health office"), figures, [checks])
