"""The dashboard's hospital figures (rollup recounted by beat) against a recount
from the raw checks and emergency requests: per facility per day of the last 14
days covered and not covered, emergency requests per facility, and why checks
answered not covered; older checks, refused checks and emergency-purpose rows
stay out."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from figures import selectors, services
from hospitals.models import EmergencyRequest, VerificationLog
from tests.admin.test_home_health_office import check, emergency
from tests.hospitals.helpers import empty_roster, facility

pytestmark = pytest.mark.django_db


def _world():
    empty_roster()
    now = timezone.now()
    chasbullah, hermina = facility("RSUD Chasbullah"), facility("RS Hermina")
    for eligible in (True, True, False):
        check(chasbullah, eligible)
    check(chasbullah, False, at=now - dt.timedelta(days=3))
    VerificationLog.objects.filter(pk=check(chasbullah, False, at=now - dt.timedelta(days=3)).pk).update(
        result="household_inactive")
    check(hermina, None)  # refused: neither covered nor not
    check(hermina, True, at=now - dt.timedelta(days=13, hours=1))
    check(hermina, False, at=now - dt.timedelta(days=20))  # before the 14 days
    VerificationLog.objects.filter(pk=check(hermina, True).pk).update(purpose="emergency")
    emergency(chasbullah, now)
    emergency(hermina, now - dt.timedelta(days=2))
    emergency(hermina, now - dt.timedelta(days=30))  # before the 14 days
    return chasbullah, hermina


def _recount():
    first = timezone.localdate() - dt.timedelta(days=13)
    days: dict = defaultdict(Counter)
    reasons: Counter = Counter()
    for log in VerificationLog.objects.select_related("facility"):
        day = timezone.localdate(log.at)
        if day < first or log.purpose != "verify" or log.facility is None:
            continue
        if log.eligible is True:
            days[(log.facility.name, day)]["covered"] += 1
        elif log.eligible is False:
            days[(log.facility.name, day)]["not_covered"] += 1
            reasons[log.result] += 1
    for request in EmergencyRequest.objects.select_related("facility"):
        day = timezone.localdate(request.created_at)
        if day >= first:
            days[(request.facility.name, day)]["emergency_requests"] += 1
    return days, reasons


def test_it_counts_the_checks_as_a_recount_does():
    _world()
    services.figures_recompute()

    figures = selectors.hospital_checks()
    days, reasons = _recount()

    assert {(row["facility"], row["day"]): {name: row[name] for name in ("covered", "not_covered",
                                                                          "emergency_requests") if row[name]}
            for row in figures["days"]} == {key: dict(value) for key, value in days.items()}
    facilities = {row["facility"]: row for row in figures["facilities"]}
    assert (facilities["RSUD Chasbullah"]["covered"], facilities["RSUD Chasbullah"]["not_covered"]) == (2, 3)
    assert facilities["RSUD Chasbullah"]["not_covered_pct"] == 60.0
    assert facilities["RS Hermina"]["emergency_requests"] == 1
    assert {row["reason"]: row["checks"] for row in figures["reasons"]} == dict(reasons)
    assert sum(row["pct"] for row in figures["reasons"]) == pytest.approx(100, abs=0.2)
