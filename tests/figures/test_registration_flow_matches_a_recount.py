"""The registration flow on the dashboard (rollup recounted by beat) against a
recount from the raw registrations, row by row in Python: per ISO week by
channel, the week's decisions, the rejection reasons as written (identity
numbers masked), and the median and 90th percentile time to a decision per
kelurahan (PostgreSQL's percentile_cont there, Python on SQLite)."""

import datetime as dt
import statistics
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from figures import selectors, services
from figures.models import DecisionTime
from registrations import services as registration_services
from registrations.models import Region, Registration
from tests.factories import BINTARA, KRANJI, MARGAJAYA, staff_user, submit, superuser
from tests.figures.helpers import city_staff

pytestmark = pytest.mark.django_db


def _flow_city():
    """Registrations of every channel over five weeks, decided after 2 h to 9 days; one decided
    before the 12 weeks (left out), reasons repeated, one with a NIK typed in."""
    root = superuser()
    now = timezone.now()
    plan = [  # kelurahan, channel, submitted days ago, decision (None, verify, reason), hours to decide
        (KRANJI, "online", 1, None, 0), (KRANJI, "kelurahan", 3, "verify", 2),
        (KRANJI, "online", 8, "KK tidak terbaca", 30), (KRANJI, "import", 9, "verify", 50),
        (KRANJI, "online", 15, "KK tidak terbaca", 200), (KRANJI, "kelurahan", 22, "verify", 7),
        (BINTARA, "online", 2, "Alamat di luar kota", 5), (BINTARA, "import", 30, "verify", 100),
        (MARGAJAYA, "online", 10, "NIK 3275010101010001 tidak cocok", 12),
        (MARGAJAYA, "online", 200, "verify", 1),
    ]
    for n, (code, channel, days, decision, hours) in enumerate(plan):
        registration = submit(code, channel=channel)
        submitted_at = now - dt.timedelta(days=days, minutes=n)
        Registration.objects.filter(pk=registration.pk).update(submitted_at=submitted_at)
        if decision == "verify":
            registration_services.registration_verify(registration_id=registration.pk, by=root)
        elif decision:
            registration_services.registration_reject(registration_id=registration.pk, by=root, reason=decision)
        if decision:
            Registration.objects.filter(pk=registration.pk).update(
                decided_at=min(submitted_at + dt.timedelta(hours=hours), now))


def _monday(moment) -> dt.date:
    day = timezone.localdate(moment)
    return day - dt.timedelta(days=day.weekday())


def _recount(kelurahan_codes: set[str]):
    first = services.first_week(timezone.localdate())
    weeks: dict = defaultdict(Counter)
    reasons: Counter = Counter()
    hours: dict = defaultdict(list)
    for registration in Registration.objects.select_related("kelurahan"):
        if registration.kelurahan.code not in kelurahan_codes:
            continue
        if _monday(registration.submitted_at) >= first:
            weeks[_monday(registration.submitted_at)][registration.channel] += 1
        if registration.decided_at and _monday(registration.decided_at) >= first:
            weeks[_monday(registration.decided_at)][registration.status] += 1
            hours[registration.kelurahan.code].append(
                (registration.decided_at - registration.submitted_at).total_seconds() / 3600)
            if registration.status == "rejected":
                reasons[registration.rejection_reason.replace("3275010101010001", "")] += 1
    return weeks, reasons, hours


def _p(values, fraction):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8] if fraction == 0.9 else statistics.median(values)


def test_it_counts_the_city_s_flow_as_a_recount_does():
    _flow_city()
    services.figures_recompute()
    user = city_staff("kota.flow", None)
    user.is_superuser = True
    user.save()
    codes = set(Region.objects.filter(level="kelurahan").values_list("code", flat=True))

    flow = selectors.registration_flow(selectors.figures_area(user))
    weeks, reasons, hours = _recount(codes)

    assert len(flow["weeks"]) == services.WEEKS
    for row in flow["weeks"]:
        expected = weeks.get(row["week"], Counter())
        assert {key: row[key] for key in ("online", "kelurahan", "import", "verified", "rejected")} == {
            key: expected[key] for key in ("online", "kelurahan", "import", "verified", "rejected")}, row["week"]
    assert sum(row["online"] + row["kelurahan"] + row["import"] for row in flow["weeks"]) == 9  # not 200 days ago
    shown = {row["reason"]: row["rejected"] for row in flow["reasons"]}
    assert shown["KK tidak terbaca"] == 2 and shown["Alamat di luar kota"] == 1
    masked = [reason for reason in shown if reason.startswith("NIK")]
    assert len(masked) == 1 and "3275010101010001" not in masked[0]
    times = {row["code"]: row for row in flow["decision_times"]}
    assert set(times) == set(hours)
    for code, values in hours.items():
        assert times[code]["decided"] == len(values)
        assert times[code]["median_hours"] == pytest.approx(_p(values, 0.5), abs=0.05)
        assert times[code]["p90_hours"] == pytest.approx(_p(values, 0.9), abs=0.05)
    kranji = DecisionTime.objects.get(kelurahan__code=KRANJI)
    assert kranji.decided == 5 and kranji.median_hours == pytest.approx(30, abs=0.01)


def test_it_gives_a_kelurahan_its_own_flow_only():
    _flow_city()
    services.figures_recompute()

    flow = selectors.registration_flow(selectors.figures_area(staff_user(KRANJI)))

    weeks, reasons, _hours = _recount({KRANJI})
    assert sum(row["online"] for row in flow["weeks"]) == sum(week["online"] for week in weeks.values()) == 3
    assert [row["code"] for row in flow["decision_times"]] == [KRANJI]
    assert {row["reason"] for row in flow["reasons"]} == {"KK tidak terbaca"}


def test_it_interpolates_percentiles_as_postgresql_does():
    assert services.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert services.percentile([10.0], 0.9) == 10.0
    assert services.percentile([0.0, 10.0], 0.9) == pytest.approx(9.0)
