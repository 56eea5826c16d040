"""``manage.py generate_city`` writes households that the bulk import reads
as the online form would accept them, except the rows it damaged on
purpose, which the import reports on the column bad-rows.csv names."""

import csv
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from registrations.import_format import read_households
from registrations.models import Region
from registrations.validation import clean_registration

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 600


def _city_kelurahan() -> list[str]:
    return list(Region.objects.filter(
        level=Region.Level.KELURAHAN, current=True, code__startswith=settings.CITY_REGION_CODE + ".",
    ).values_list("code", flat=True))


def _generate(tmp_path, **options):
    call_command("generate_city", households=HOUSEHOLDS, seed=11, out=str(tmp_path), stdout=StringIO(), **options)
    with (tmp_path / "bad-rows.csv").open(newline="", encoding="utf-8") as fh:
        damaged = {int(row["baris"]): row for row in csv.DictReader(fh)}
    result = read_households((tmp_path / "households.csv").read_bytes(), filename="households.csv",
                             allowed_kelurahan_codes=_city_kelurahan())
    return result, damaged


def test_it_writes_households_the_online_form_accepts(tmp_path):
    result, damaged = _generate(tmp_path)

    assert damaged == {}
    assert result.refused == [] and len(result.accepted) == HOUSEHOLDS
    for household in result.accepted:  # the online form's own check, on what the import read
        assert clean_registration(household.data).members
    people = result.summary.people_accepted
    assert 3.0 <= people / HOUSEHOLDS <= 4.2  # households of about 3.5
    assert len({h.data["kelurahan_code"] for h in result.accepted}) >= 40  # spread over the city


def test_it_reports_each_damaged_row_on_its_column_and_refuses_nothing_else(tmp_path):
    result, damaged = _generate(tmp_path, bad_rows=15)
    refusals = {line.row: line for line in result.refusals}

    assert len(damaged) >= HOUSEHOLDS * 0.10
    assert len({row["kind"] for row in damaged.values()}) >= 12  # every kind of damage, or nearly
    for row, expected in damaged.items():
        assert row in refusals, expected
        assert expected["kolom"] in refusals[row].column.split(", "), (expected, refusals[row].message)
    # A refused household is one that carries a damaged row; every other one is accepted.
    for household in result.refused:
        assert set(household.rows) & set(damaged), household.refusals
    assert len(result.accepted) + len(result.refused) == HOUSEHOLDS


def test_it_writes_the_same_city_for_the_same_seed(tmp_path):
    call_command("generate_city", households=50, seed=3, out=str(tmp_path / "a"), stdout=StringIO())
    call_command("generate_city", households=50, seed=3, out=str(tmp_path / "b"), stdout=StringIO())
    call_command("generate_city", households=50, seed=4, out=str(tmp_path / "c"), stdout=StringIO())

    first = (tmp_path / "a" / "households.csv").read_bytes()
    assert first == (tmp_path / "b" / "households.csv").read_bytes()
    assert first != (tmp_path / "c" / "households.csv").read_bytes()
