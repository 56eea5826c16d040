"""The dry run reads the whole file and writes nothing but the report: the
page's check keeps the import's record and its report, the command's
``--dry-run`` not even that."""

import pytest
from django.core.management import call_command

from registrations.models import HouseholdImport, Registration, RegistrationEvent, RegistrationMember
from tests.registrations.imports.helpers import household, household_csv, import_file, kranji_staff

pytestmark = pytest.mark.django_db


def _nothing_written():
    return not (Registration.objects.exists() or RegistrationMember.objects.exists()
                or RegistrationEvent.objects.exists() or Registration.history.exists())


def test_the_check_forecasts_and_writes_no_registration():
    record = import_file(household_csv(household(size=3), household(size=2)), by=kranji_staff(), confirm=False)

    assert record.status == HouseholdImport.Status.CHECKED
    assert (record.households_imported, record.people_imported, record.rows_read) == (2, 5, 5)
    assert _nothing_written()


def test_the_command_s_dry_run_keeps_nothing_but_the_report(tmp_path):
    bad = household(size=2)
    bad["members"][1]["nik"] = "1234"
    path, report = tmp_path / "rw.csv", tmp_path / "laporan.csv"
    path.write_bytes(household_csv(household(size=3), bad))
    out = tmp_path / "out.txt"

    call_command("import_households", str(path), user=kranji_staff().username, dry_run=True, report=str(report),
                 stdout=open(out, "w"))

    assert _nothing_written() and not HouseholdImport.objects.exists()
    assert "households would be imported: 1" in out.read_text()
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "baris,no_kk,nik,kolom,pesan" and len(lines) == 1 + 2
