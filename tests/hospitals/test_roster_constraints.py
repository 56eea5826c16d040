"""The roster's rules are database constraints: whatever writes a facility or
an agreement (admin, import, shell, a bulk update), a row that breaks one is
refused with IntegrityError and nothing is written."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hospitals.models import Agreement, Facility
from registrations.models import Region
from tests.factories import superuser
from tests.hospitals.helpers import facility

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)
END = dt.date(2026, 12, 31)


def kecamatan(code: str = "32.75.04") -> Region:
    return Region.objects.get(code=code)


def written() -> tuple[int, int, int, int]:
    return (
        Facility.objects.count(), Agreement.objects.count(),
        Facility.history.count(), Agreement.history.count(),
    )


def refused(make) -> None:
    """``make()`` raises IntegrityError and leaves no row (nor history row) behind."""
    before = written()
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
    assert written() == before


def new_facility(**fields) -> Facility:
    values = {"name": "RS Aturan", "type": "rs_swasta", "address": "Jl. Aturan No. 2", "kecamatan": kecamatan()}
    values.update(fields)
    return Facility.objects.create(**values)


def test_it_refuses_a_facility_with_both_a_kecamatan_and_a_city():
    refused(lambda: new_facility(city="DKI Jakarta"))


def test_it_refuses_a_facility_with_neither_a_kecamatan_nor_a_city():
    refused(lambda: new_facility(kecamatan=None, city=""))


def test_it_refuses_moving_a_facility_of_the_city_out_by_a_bulk_update():
    place = new_facility()

    refused(lambda: Facility.objects.filter(pk=place.pk).update(city="Kabupaten Bekasi"))

    place.refresh_from_db()
    assert (place.kecamatan_id, place.city) == (kecamatan().pk, "")


def test_it_accepts_a_facility_with_only_a_city():
    place = new_facility(kecamatan=None, city="DKI Jakarta")

    assert Facility.objects.filter(pk=place.pk, kecamatan__isnull=True, city="DKI Jakarta").exists()


@pytest.mark.parametrize("type_", ["puskesmas", "klinik"])
def test_it_refuses_a_hospital_class_on_a_facility_that_is_not_a_hospital(type_):
    refused(lambda: new_facility(type=type_, hospital_class="B"))


@pytest.mark.parametrize("type_", ["rsud", "rs_swasta"])
def test_it_accepts_a_hospital_class_on_a_hospital(type_):
    assert new_facility(type=type_, hospital_class="B").hospital_class == "B"


def test_it_refuses_a_hospital_class_outside_a_to_d():
    refused(lambda: new_facility(type="rsud", hospital_class="E"))


@pytest.mark.parametrize("type_", ["rumahsakit", "RSUD", "", "apotek"])
def test_it_refuses_an_invalid_type(type_):
    refused(lambda: new_facility(type=type_))


def test_it_refuses_a_duplicate_kemenkes_code():
    new_facility(name="RS Kode Satu", kemenkes_code="3275012")

    refused(lambda: new_facility(name="RS Kode Dua", kemenkes_code="3275012"))


def test_it_accepts_two_facilities_without_a_kemenkes_code():
    new_facility(name="RS Tanpa Kode Satu", kemenkes_code="")
    new_facility(name="RS Tanpa Kode Dua", kemenkes_code="")

    assert Facility.objects.filter(name__startswith="RS Tanpa Kode", kemenkes_code="").count() == 2


def test_it_refuses_the_same_name_twice_in_the_same_place():
    refused(lambda: new_facility(name="RS Anna"))


def test_it_refuses_a_facility_without_a_name_or_address():
    refused(lambda: new_facility(name=""))
    refused(lambda: new_facility(address=""))


def test_it_refuses_an_agreement_ending_before_it_starts():
    place = facility(agreement=False)

    refused(lambda: Agreement.objects.create(
        facility=place, pks_number="PKS/MUNDUR/1", start_date=END, end_date=START,
    ))


def test_it_accepts_an_agreement_of_a_single_day():
    place = facility(agreement=False)

    one_day = Agreement.objects.create(facility=place, pks_number="PKS/SEHARI/1", start_date=START, end_date=START)

    assert one_day.covers(START)


def test_it_refuses_a_duplicate_pks_number():
    first = facility(agreement=False)
    second = facility(agreement=False)
    Agreement.objects.create(facility=first, pks_number="PKS/SAMA/1", start_date=START, end_date=END)

    refused(lambda: Agreement.objects.create(facility=second, pks_number="PKS/SAMA/1", start_date=START, end_date=END))


def test_it_refuses_a_shipped_pks_number_for_another_facility():
    place = facility(agreement=False)

    refused(lambda: Agreement.objects.create(
        facility=place, pks_number="DEMO-PKS-2018-001", start_date=START, end_date=END,
    ))


def test_it_refuses_an_agreement_without_a_pks_number():
    place = facility(agreement=False)

    refused(lambda: Agreement.objects.create(facility=place, pks_number="", start_date=START, end_date=END))


def test_it_refuses_a_demo_agreement_marked_confirmed():
    place = facility(agreement=False)

    refused(lambda: Agreement.objects.create(
        facility=place, pks_number="PKS/DEMO/1", start_date=START, end_date=END, is_demo=True,
        confirmed_at=timezone.now(),
    ))


def test_it_refuses_confirming_a_shipped_demo_agreement_by_a_bulk_update():
    shipped = Agreement.objects.get(pks_number="DEMO-PKS-2018-001")

    refused(lambda: Agreement.objects.filter(pk=shipped.pk).update(confirmed_at=timezone.now()))

    shipped.refresh_from_db()
    assert (shipped.is_demo, shipped.confirmed_at) == (True, None)


def test_it_accepts_a_confirmed_agreement_that_is_no_longer_demo():
    place = facility(agreement=False)

    confirmed = Agreement.objects.create(
        facility=place, pks_number="PKS/OK/1", start_date=START, end_date=END, is_demo=False,
        confirmed_at=timezone.now(), confirmed_by=superuser(),
    )

    assert confirmed.pk
