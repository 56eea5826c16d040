"""``manage.py import_households``: the admin's code path from a shell. A
synthetic city's file with every kind of damage real files carry
(``generate_city --bad-rows``) is imported with each damaged row reported on
its column and its household left out, and every other household imported;
the command exits 0 when the file could be read and 2 when it could not."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registrations.management.commands.generate_city import BAD_KINDS
from registrations.models import HouseholdImport, Registration
from tests.factories import KRANJI
from tests.registrations.imports.helpers import kranji_staff

pytestmark = pytest.mark.django_db


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_it_reports_every_kind_of_damage_on_its_column_and_imports_the_rest(tmp_path):
    call_command("generate_city", out=str(tmp_path), households=120, seed=11, bad_rows=40, kelurahan=KRANJI,
                 stdout=StringIO())
    damaged = _rows(tmp_path / "bad-rows.csv")
    assert {row["kind"] for row in damaged} == set(BAD_KINDS)  # every kind the generator knows is in the file
    out = StringIO()

    call_command("import_households", str(tmp_path / "households.csv"), user=kranji_staff().username,
                 report=str(tmp_path / "laporan.csv"), stdout=out)

    report = {(row["baris"], row["kolom"]) for row in _rows(tmp_path / "laporan.csv")}
    for row in damaged:
        assert any(line[0] == row["baris"] and row["kolom"] in line[1].split(", ") for line in report), row
    refused_kks = {row["no_kk"].lstrip("'") for row in damaged}
    record = HouseholdImport.objects.get()
    assert record.households_imported + record.households_refused == 120
    assert record.households_refused == len({kk for kk in refused_kks})
    imported = set(Registration.objects.values_list("kk_number", flat=True))
    assert len(imported) == record.households_imported and not imported & refused_kks
    assert f"households imported: {record.households_imported}" in out.getvalue()


def test_it_exits_2_naming_a_missing_column(tmp_path):
    path = tmp_path / "rw.csv"
    path.write_text("no_kk,nik,nama_lengkap,tanggal_lahir,hubungan\n3275021203180004,3275011505800003,Budi,"
                    "15-05-1980,KEPALA KELUARGA\n", encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("import_households", str(path), kelurahan=KRANJI, stdout=StringIO())

    assert refused.value.returncode == 2
    assert "jenis_kelamin" in str(refused.value)
    assert not Registration.objects.exists()


def test_it_exits_2_for_a_file_that_is_not_a_table(tmp_path):
    path = tmp_path / "rw.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")

    with pytest.raises(CommandError) as refused:
        call_command("import_households", str(path), kelurahan=KRANJI, stdout=StringIO())

    assert refused.value.returncode == 2


def test_it_exits_2_for_a_file_that_is_not_there(tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("import_households", str(tmp_path / "missing.csv"), stdout=StringIO())

    assert refused.value.returncode == 2
