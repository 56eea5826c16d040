"""The starting roster ships as data: a new install of Kota Bekasi has its
city hospitals, the private hospitals the issue names and a few outside the
city, each with a demo agreement the health office must confirm."""

import datetime as dt

import pytest

from hospitals import roster
from hospitals.models import Agreement, Facility
from registrations.models import Region
from tests.hospitals.helpers import HOSPITALS_URL, empty_roster

pytestmark = pytest.mark.django_db

NAMED_IN_THE_ISSUE = [
    "RSUD dr. Chasbullah Abdulmadjid",
    "RSUD Jatisampurna",
    "RS Umum Pondok Gede",
    "RSUD Bantar Gebang",
    "RS Hermina Bekasi",
    "RS Mitra Keluarga Bekasi Barat",
    "RS Mitra Keluarga Bekasi Timur",
    "RS Awal Bros Bekasi",
    "RS Mekar Sari",
    "RS Bella",
    "RS Anna",
    "RS Citra Harapan",
    "RS Juwita",
    "Siloam Hospitals Sepanjang Jaya",
]


def test_it_ships_the_city_hospital_in_margajaya_bekasi_selatan():
    rsud = Facility.objects.select_related("kecamatan").get(name="RSUD dr. Chasbullah Abdulmadjid")

    assert rsud.type == "rsud"
    assert rsud.kecamatan.code == "32.75.04"
    assert rsud.kecamatan.name == "Bekasi Selatan"
    assert rsud.city == ""
    assert "Margajaya" in rsud.address


def test_it_ships_every_facility_the_issue_names():
    shipped = set(Facility.objects.values_list("name", flat=True))

    assert [name for name in NAMED_IN_THE_ISSUE if name not in shipped] == []
    assert Facility.objects.count() == 27


def test_it_lists_the_shipped_roster_as_partners_today(api):
    listed = {item["name"] for item in api.get(HOSPITALS_URL).json()}

    assert set(NAMED_IN_THE_ISSUE) <= listed
    assert len(listed) == 27


def test_it_marks_every_shipped_agreement_as_demo_to_confirm():
    agreements = Agreement.objects.all()

    assert agreements.count() == 27
    assert set(agreements.values_list("is_demo", flat=True)) == {True}
    assert not agreements.filter(confirmed_at__isnull=False).exists()
    assert not agreements.filter(confirmed_by__isnull=False).exists()
    # One agreement per shipped facility.
    assert set(agreements.values_list("facility_id", flat=True)) == set(Facility.objects.values_list("pk", flat=True))
    assert {(a.start_date, a.end_date) for a in agreements} == {(dt.date(2018, 1, 1), dt.date(2027, 12, 31))}


def test_it_gives_facilities_outside_the_city_a_city_and_no_kecamatan():
    outside = Facility.objects.filter(city__in=["DKI Jakarta", "Kabupaten Bekasi"])

    assert set(outside.values_list("city", flat=True)) == {"DKI Jakarta", "Kabupaten Bekasi"}
    assert not outside.filter(kecamatan__isnull=False).exists()
    inside = Facility.objects.exclude(pk__in=outside)
    assert not inside.filter(kecamatan__isnull=True).exists()
    assert set(inside.values_list("city", flat=True)) == {""}
    assert set(inside.values_list("kecamatan__code", flat=True)) <= set(
        Region.objects.filter(level="kecamatan", code__startswith="32.75.").values_list("code", flat=True)
    )


def test_it_adds_nothing_when_the_roster_is_loaded_again():
    before = sorted(Facility.objects.values_list("pk", "name", "city"))
    agreements_before = Agreement.objects.count()

    created = roster.load_roster(Facility, Agreement, Region, city_code="32.75")

    assert created == 0
    assert sorted(Facility.objects.values_list("pk", "name", "city")) == before
    assert Agreement.objects.count() == agreements_before


def test_it_leaves_a_facility_the_health_office_edited_as_it_is():
    anna = Facility.objects.get(name="RS Anna")
    anna.phone = "021-8888888"
    anna.inpatient = False
    anna.save()

    roster.load_roster(Facility, Agreement, Region, city_code="32.75")

    anna.refresh_from_db()
    assert (anna.phone, anna.inpatient) == ("021-8888888", False)
    assert Facility.objects.filter(name="RS Anna").count() == 1


def test_it_loads_the_shipped_roster_again_into_an_empty_one():
    empty_roster()

    created = roster.load_roster(Facility, Agreement, Region, city_code="32.75")

    assert created == 27
    assert Facility.objects.count() == 27
    assert Agreement.objects.filter(is_demo=True).count() == 27


def test_it_loads_nothing_for_another_city():
    empty_roster()

    created = roster.load_roster(Facility, Agreement, Region, city_code="32.16")

    assert created == 0
    assert Facility.objects.count() == 0
    assert Agreement.objects.count() == 0


def test_it_loads_the_roster_again_with_the_command_after_it_was_emptied():
    from io import StringIO

    from django.core.management import call_command

    from tests.hospitals.helpers import empty_roster

    empty_roster()
    out = StringIO()

    call_command("load_roster", stdout=out)

    assert Facility.objects.filter(name="RSUD dr. Chasbullah Abdulmadjid").exists()
    assert "27" in out.getvalue()
    call_command("load_roster", stdout=StringIO())
    assert Facility.objects.count() == 27
