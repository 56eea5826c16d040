"""A file in private storage that no row names (its request was killed
between writing the file and committing the row) is deleted by the sweep;
files a row names, files still young enough to be on their way, and files
the portal did not write are left alone."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from kartusehat.storage import orphan_files_purge, random_name
from registrations import services
from registrations.models import RegistrationDocument
from tests.api.helpers import files_under, png_bytes
from tests.factories import registration_data

ROOT = Path(__file__).resolve().parents[2]
TWO_HOURS = 2 * 60 * 60


def _age(path: Path, seconds: int) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _submit_with_scan(data: dict):
    scan = SimpleUploadedFile("kk.png", png_bytes(seed=9), content_type="image/png")
    return services.registration_submit(data=data, channel="online", files={"kk_scan": scan})


@pytest.mark.django_db
def test_it_deletes_an_old_file_no_row_names_and_keeps_the_rest(private_dir):
    registration = _submit_with_scan(registration_data(size=1))
    kept = private_dir / RegistrationDocument.objects.get(registration=registration).file.name
    orphan = private_dir / storages["private"].save(random_name("registrations", ".png"), ContentFile(b"x"))
    young = private_dir / storages["private"].save(random_name("letters", ".pdf"), ContentFile(b"x"))
    stranger = private_dir / "lost+found" / "notes.txt"
    stranger.parent.mkdir()
    stranger.write_text("not ours")
    for path in (kept, orphan, stranger):
        _age(path, TWO_HOURS)

    assert orphan_files_purge() == 1

    assert files_under(private_dir) == sorted([kept, young, stranger])
    assert orphan_files_purge() == 0


def test_it_reads_the_names_of_every_private_file_field():
    from kartusehat.storage import _private_file_fields

    fields = {(model._meta.label, name) for model, name in _private_file_fields()}

    assert fields == {("registrations.RegistrationDocument", "file"), ("hospitals.EmergencyRequest", "letter"),
                      ("cards.Batch", "pdf"), ("registrations.HouseholdImport", "file"),
                      ("registrations.HouseholdImport", "report"), ("figures.MonthlyReport", "pdf")}


STALL = """
import json, sys, time, django
django.setup()
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from registrations import services

written = FileSystemStorage._save

def save_then_stall(self, name, content):
    name = written(self, name, content)
    with open(sys.argv[2], "w") as marker:
        marker.write(name)  # the scan is on disk; its row is not committed
    time.sleep(120)
    return name

FileSystemStorage._save = save_then_stall
scan = SimpleUploadedFile("kk.png", open(sys.argv[3], "rb").read(), content_type="image/png")
services.registration_submit(data=json.loads(sys.argv[1]), channel="online", files={"kk_scan": scan})
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_sweeps_the_scan_of_a_process_killed_between_file_and_row(private_dir, tmp_path):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    marker, scan = tmp_path / "written", tmp_path / "kk.png"
    scan.write_bytes(png_bytes(seed=11))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kartusehat.settings", "DATABASE_URL": url,
           "PRIVATE_MEDIA_ROOT": str(private_dir)}
    env.pop("CELERY_BROKER_URL", None)
    child = subprocess.Popen([sys.executable, "-c", STALL, json.dumps(registration_data(size=2)), str(marker),
                              str(scan)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            if marker.exists() and marker.read_text() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), child.communicate(timeout=10)[0].decode()
        os.kill(child.pid, signal.SIGKILL)  # as a gunicorn timeout or the OOM killer would
    finally:
        child.kill()
        child.wait(timeout=30)
    left = private_dir / marker.read_text()

    # The killed transaction left no row, but the file it wrote is still there.
    assert left.exists()
    assert not RegistrationDocument.objects.exists()

    assert orphan_files_purge() == 0  # still young: its request could be alive
    _age(left, TWO_HOURS)
    assert orphan_files_purge() == 1

    assert files_under(private_dir) == []


def test_it_runs_every_hour_under_celery_beat():
    from kartusehat.celery import app

    schedules = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values()
                 if entry["task"] == "kartusehat.orphan_files_purge"]

    app.loader.import_default_modules()  # what a worker does at start-up (autodiscovery)
    assert len(schedules) == 1
    assert "kartusehat.orphan_files_purge" in app.tasks
