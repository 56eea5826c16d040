"""The health office opens the admin on today's coverage checks per facility,
emergency requests, agreements to renew and desks that stopped checking."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cards.models import Card
from hospitals.models import Agreement, EmergencyRequest, VerificationLog
from tests.admin.home_helpers import count, home_page, listed
from tests.cards.queue_helpers import queue
from tests.factories import superuser
from tests.hospitals.helpers import days, empty_roster, facility, health_office_user

pytestmark = pytest.mark.django_db


def check(place, eligible, at=None):
    return VerificationLog.objects.create(
        at=at or timezone.now(), user=superuser(), facility=place, channel="api", method="nik",
        query="3275********0003", eligible=eligible, result="covered" if eligible else "not_registered",
        http_status=200)


def emergency(place, at):
    card: Card = queue(1)[0]
    return EmergencyRequest.objects.create(
        facility=place, requested_by=superuser(), created_at=at, nik="3275011505800003", reason="rawat_inap",
        household=card.household, card=card, letter_content_type="application/pdf", letter_size=10,
        letter_sha256=f"{card.pk:064d}", letter_deleted_at=at)  # the letter is not what is counted


def world():
    empty_roster()
    now = timezone.now()
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    chasbullah = facility("RSUD Chasbullah", end=days(30))  # ends within 60 days
    hermina = facility("RS Hermina", end=days(61))
    quiet = facility("Puskesmas Sepi", type="puskesmas")
    facility("RS Lama", start=days(-400), end=days(-1))  # ended: not "ending"
    Agreement.objects.create(facility=hermina, pks_number="PKS/2", start_date=days(-10), end_date=days(60))
    for eligible in (True, True, True, False):
        check(chasbullah, eligible)
    check(hermina, False)
    check(hermina, None)  # refused (no answer): neither covered nor not
    check(hermina, True, at=midnight - dt.timedelta(minutes=1))  # yesterday
    check(quiet, True, at=now - dt.timedelta(days=10))  # checks stopped
    check(hermina, True, at=now - dt.timedelta(days=10))
    emergency(chasbullah, now)
    emergency(hermina, midnight - dt.timedelta(days=2))
    emergency(hermina, midnight - dt.timedelta(days=8))  # before the week
    return chasbullah, hermina, quiet


@pytest.fixture
def client():
    client = Client()
    client.force_login(health_office_user())
    return client


def test_it_shows_todays_checks_per_facility_linking_to_them(client):
    chasbullah, hermina, _quiet = world()

    page = home_page(client)

    rows = page.tables["checks-today"]
    assert [[text for text, _url in row] for row in rows] == [["RS Hermina", "0", "1"], ["RSUD Chasbullah", "3", "1"]]
    today = timezone.localdate()
    for row, place in zip(rows, [hermina, chasbullah], strict=True):
        for (text, url), eligible in zip(row[1:], [True, False], strict=True):
            expected = set(VerificationLog.objects.filter(facility=place, eligible=eligible, at__date=today)
                           .values_list("pk", flat=True))
            assert int(text) == len(expected)
            assert listed(client, url) == expected


def test_it_counts_emergency_requests_agreements_ending_and_stopped_desks(client):
    _chasbullah, _hermina, quiet = world()
    today = timezone.localdate()

    page = home_page(client)

    week = EmergencyRequest.objects.filter(created_at__date__gte=today - dt.timedelta(days=6))
    expected = {
        "emergencies-today": set(EmergencyRequest.objects.filter(created_at__date=today).values_list("pk", flat=True)),
        "emergencies-week": set(week.values_list("pk", flat=True)),
        "agreements-ending": set(Agreement.objects.filter(start_date__lte=today, end_date__gte=today,
                                                          end_date__lte=today + dt.timedelta(days=60))
                                 .values_list("pk", flat=True)),
        "checks-stopped": {quiet.pk},
    }
    assert {key: count(page, key) for key in expected} == {
        "emergencies-today": 1, "emergencies-week": 2, "agreements-ending": 2, "checks-stopped": 1}
    for key, rows in expected.items():
        assert count(page, key) == len(rows), key
        assert listed(client, page.figures[key][1]) == rows, key


def test_it_does_not_count_a_desk_that_never_checked_as_stopped(client):
    world()
    facility("Puskesmas Baru", type="puskesmas")

    page = home_page(client)

    assert count(page, "checks-stopped") == 1
