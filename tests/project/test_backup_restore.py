"""Backups (README, "Production: backups"): deploy/backup.sh dumps the
database with pg_dump, deploy/restore.sh restores the dump into a fresh
database, and the data is there. Real PostgreSQL binaries and server."""

from __future__ import annotations

import os
import stat
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from complaints.services import complaint_submit
from tests.factories import KRANJI, verified

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def url_of(database: str) -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'] or 'postgres', safe='')}{password}@{db['HOST'] or '127.0.0.1'}:" \
           f"{db['PORT'] or 5432}/{database}"


def run(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env={**os.environ, **env}, check=False)


@pytest.fixture
def fresh_database():
    """A new, empty database on the same server, dropped afterwards whatever happens."""
    name = f"kartusehat_restore_{uuid.uuid4().hex[:12]}"
    admin = url_of("postgres")
    created = run("psql", "--no-psqlrc", "--dbname", admin, "-c", f'CREATE DATABASE "{name}"')
    assert created.returncode == 0, created.stderr
    try:
        yield name
    finally:
        dropped = run("psql", "--no-psqlrc", "--dbname", admin, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        assert dropped.returncode == 0, dropped.stderr


def query(database: str, sql: str) -> str:
    result = run("psql", "--no-psqlrc", "--dbname", url_of(database), "-tAc", sql)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_restores_a_backup_into_a_fresh_database_and_finds_the_data(tmp_path, fresh_database):
    registration = verified(KRANJI)
    complaint = complaint_submit(data={"name": "Warga Uji", "phone": "081234567890", "category": "lainnya",
                                       "message": "Uji cadangan."})
    source = connection.settings_dict["NAME"]

    backup = run(str(DEPLOY / "backup.sh"), DATABASE_URL=url_of(source), BACKUP_DIR=str(tmp_path / "backups"))
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == tmp_path / "backups" and dump.name.startswith("kartusehat-") and dump.suffix == ".dump"
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # every NIK of the programme is in it

    restore = run(str(DEPLOY / "restore.sh"), str(dump), url_of(fresh_database))
    assert restore.returncode == 0, restore.stderr

    assert query(fresh_database, "SELECT status FROM registrations_registration WHERE reference = "
                                 f"'{registration.reference}'") == "verified"
    assert query(fresh_database, "SELECT kk_number FROM registrations_household WHERE id = "
                                 f"{registration.household_id}") == registration.household.kk_number
    assert query(fresh_database,
                 f"SELECT count(*) FROM complaints_complaint WHERE ticket = '{complaint.ticket}'") == "1"
    assert query(fresh_database, "SELECT count(*) FROM registrations_region") == query(
        source, "SELECT count(*) FROM registrations_region")
    assert f"households {query(source, 'SELECT count(*) FROM registrations_household')}" in restore.stdout


def test_it_refuses_to_restore_over_a_database_that_holds_the_portal(tmp_path):
    source = connection.settings_dict["NAME"]
    backup = run(str(DEPLOY / "backup.sh"), DATABASE_URL=url_of(source), BACKUP_DIR=str(tmp_path))
    assert backup.returncode == 0, backup.stderr

    restore = run(str(DEPLOY / "restore.sh"), backup.stdout.strip(), url_of(source))

    assert restore.returncode != 0
    assert "refused" in restore.stderr


def test_it_keeps_no_file_of_a_failed_dump(tmp_path):
    backup = run(str(DEPLOY / "backup.sh"), DATABASE_URL=url_of("kartusehat_no_such_database"),
                 BACKUP_DIR=str(tmp_path))

    assert backup.returncode != 0
    assert not list(tmp_path.iterdir())  # neither a dump nor a partial one
