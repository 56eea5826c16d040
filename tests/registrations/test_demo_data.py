"""The demo command fills the database with data in every status and demo staff."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from registrations.models import Household, Registration, StaffArea

pytestmark = pytest.mark.django_db


def test_it_loads_households_in_every_status_across_the_city():
    call_command("load_demo", households=80, seed=1, stdout=StringIO())

    statuses = set(Registration.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "verified", "rejected"}
    assert Registration.objects.order_by().values("kelurahan").distinct().count() == 56
    assert Household.objects.filter(status="active").count() == Registration.objects.filter(status="verified").count()
    assert Registration.objects.filter(kk_kecamatan_mismatch=True).exists()


def test_it_creates_staff_users_of_different_areas():
    call_command("load_demo", households=5, seed=1, stdout=StringIO())

    levels = set(StaffArea.objects.values_list("region__level", flat=True))
    assert levels == {"kabupaten_kota", "kecamatan", "kelurahan"}
    assert get_user_model().objects.get(username="admin").is_superuser


def test_it_can_run_twice_without_failing_or_duplicating():
    call_command("load_demo", households=10, seed=1, stdout=StringIO())
    count = Registration.objects.count()

    call_command("load_demo", households=10, seed=1, stdout=StringIO())

    assert Registration.objects.count() == count


def test_it_spreads_registrations_over_recent_months():
    call_command("load_demo", households=40, seed=3, stdout=StringIO())

    days = {r.submitted_at.date() for r in Registration.objects.all()}
    assert len(days) > 10
    for registration in Registration.objects.exclude(status="submitted"):
        assert registration.decided_at >= registration.submitted_at


def test_it_creates_a_health_office_user_and_hospital_desks_with_a_working_key():
    import json

    from rest_framework.test import APIClient

    from hospitals.demo import DEMO_HOSPITAL_KEY
    from hospitals.models import HospitalStaff
    from registrations.models import Member

    call_command("load_demo", households=8, seed=1, stdout=StringIO())
    call_command("load_demo", households=8, seed=1, stdout=StringIO())  # a second run adds no second key or user

    assert get_user_model().objects.get(username="dinkes.kota").groups.filter(name="Petugas Dinas Kesehatan").exists()
    desk = HospitalStaff.objects.get(user__username="rs.chasbullah")
    assert desk.facility.name == "RSUD dr. Chasbullah Abdulmadjid"
    assert desk.tokens.count() == 1 and not desk.user.is_staff
    nik = Member.objects.filter(end_date__isnull=True).values_list("nik", flat=True).first()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {DEMO_HOSPITAL_KEY}")
    response = client.post("/api/v1/verify/", json.dumps({"nik": nik}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["eligible"] is True
