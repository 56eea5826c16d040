"""The whole synthetic city imported from its file, beside a raw COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kartusehat \\
        .venv/bin/python benchmarks/import_city.py [--households 730000] [--file households.csv]

The file is what ``manage.py generate_city`` writes (one row per person, in the
bulk-import format; written to a temporary folder unless ``--file`` names one).
The import runs through the real code path, in this process: the services a
Celery worker runs for an uploaded file (``registrations.imports``): the dry run
(``household_import_check``: read, convert, check every household against the
database, keep the report) and the import (``household_import_run``: the same,
then write registrations, members, status events and history in chunks under
the online form's advisory locks). Members per second are given for each step.

Raw COPY is the floor: the file's rows as they are, ``COPY``\\ed into a bare
table of text columns with no index, in the same database and run. The target
(README, "Performance"): the import at 25,000 members/s or more, within 5x of
raw COPY.

The script makes its own scratch database (``<name>_bench_import``, created
with the migrations, deleted at the end; never the test suite's). A script,
not a test: timings on a shared machine are not pass/fail material; it prints
the load average beside them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartusehat.settings")
_PRIVATE = tempfile.TemporaryDirectory(prefix="kartusehat-bench-")
os.environ["PRIVATE_MEDIA_ROOT"] = _PRIVATE.name

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from registrations import imports  # noqa: E402
from registrations.models import HouseholdImport, Registration, RegistrationMember  # noqa: E402


def raw_copy(path: Path) -> tuple[float, int]:
    """The file's rows COPYed as text into a bare, index-free table: seconds, rows."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_rows")
        cursor.execute(
            "CREATE TABLE bench_raw_rows (no_kk text, nik text, nama_lengkap text, tanggal_lahir text, "
            "jenis_kelamin text, hubungan text, alamat text, rt text, rw text, kelurahan text, no_hp text, "
            "email text)"
        )
        started = time.perf_counter()
        with path.open("r", encoding="utf-8") as handle:
            cursor.copy_expert("COPY bench_raw_rows FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_raw_rows")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_raw_rows")
    return seconds, rows


def run(path: Path) -> None:
    content = path.read_bytes()
    raw_seconds, raw_rows = raw_copy(path)
    record = imports.household_import_create(content=content, filename=path.name, by=None, check=False,
                                             max_bytes=None)

    started = time.perf_counter()
    record = imports.household_import_check(import_id=record.pk)
    check_seconds = time.perf_counter() - started
    assert record.status == HouseholdImport.Status.CHECKED, record.error

    imports.household_import_confirm(import_id=record.pk, by=None, send=False)
    started = time.perf_counter()
    record = imports.household_import_run(import_id=record.pk)
    import_seconds = time.perf_counter() - started
    assert record.status == HouseholdImport.Status.DONE, record.error

    people = record.people_imported
    assert people == RegistrationMember.objects.filter(registration__household_import=record).count()
    households = Registration.objects.filter(household_import=record).count()
    raw_rate, check_rate, import_rate = raw_rows / raw_seconds, people / check_seconds, people / import_seconds
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"file: {path.stat().st_size / 1e6:.0f} MB, {record.rows_read:,} rows; load average {load}")
    print(f"raw COPY of the rows      {raw_seconds:7.1f} s  {raw_rate:9,.0f} rows/s")
    print(f"dry run (check)           {check_seconds:7.1f} s  {check_rate:9,.0f} members/s")
    print(f"import                    {import_seconds:7.1f} s  {import_rate:9,.0f} members/s  "
          f"({households:,} households, {people:,} members, {record.households_refused:,} households refused)")
    print(f"import / raw COPY: {raw_rate / import_rate:.1f}x slower (target: 25,000 members/s, within 5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=730_000)
    parser.add_argument("--file", type=Path, help="A file generate_city wrote (else one is written now).")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this measures the import at city scale.")

    original = settings.DATABASES["default"]["NAME"]
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{original}_bench_import"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryDirectory() as folder:
            path = options.file
            if path is None:
                started = time.perf_counter()
                call_command("generate_city", out=folder, households=options.households, seed=2018,
                             bad_rows=0, stdout=open(os.devnull, "w"))
                path = Path(folder) / "households.csv"
                print(f"generate_city: {options.households:,} households in {time.perf_counter() - started:.0f} s")
            run(path)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
