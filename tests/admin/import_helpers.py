"""The household import pages, as kelurahan staff use them: upload a file,
read the import's page, confirm. Tasks run in-process (the embedded default);
a test that is not transactional runs them through
``django_capture_on_commit_callbacks(execute=True)``, as a commit would."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.models import HouseholdImport, Region, StaffArea
from tests.factories import CITY, UserFactory
from tests.registrations.import_format.helpers import (  # noqa: F401 - re-exported
    csv_bytes,
    household,
    household_csv,
    lines_of,
    rows_of,
    xlsx_bytes,
)

ADD_URL = "/admin/registrations/householdimport/add/"
LIST_URL = "/admin/registrations/householdimport/"
TEMPLATE_URL = "/admin/registrations/householdimport/template.xlsx"


@pytest.fixture
def import_storage(tmp_path, monkeypatch):
    """Import files and reports in a folder of the test's own."""
    storage = FileSystemStorage(location=str(tmp_path / "private"), base_url=None)
    for name in ("file", "report"):
        monkeypatch.setattr(HouseholdImport._meta.get_field(name), "storage", storage)
    return storage


def add_url() -> str:
    url = reverse("admin:registrations_householdimport_add")
    assert url == ADD_URL
    return url


def page_url(record) -> str:
    return reverse("admin:registrations_householdimport_change", args=[record.pk])


def step_url(record, step: str) -> str:
    return reverse(f"admin:registrations_householdimport_{step}", args=[record.pk])


def report_url(record, fmt: str) -> str:
    return reverse("admin:registrations_householdimport_report", args=[record.pk, fmt])


def status_url(record) -> str:
    return reverse("admin:registrations_householdimport_status", args=[record.pk])


def upload(client, capture, content: bytes, *, filename: str = "rw02.csv", **fields):
    """Post the upload form; the check runs as the commit would start it."""
    with capture(execute=True):
        return client.post(add_url(), {"file": SimpleUploadedFile(filename, content), **fields})


def uploaded(client, capture, content: bytes, **options) -> HouseholdImport:
    response = upload(client, capture, content, **options)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = HouseholdImport.objects.latest("pk")
    assert response["Location"] == page_url(record)
    return record


def confirmed(client, capture, record) -> HouseholdImport:
    with capture(execute=True):
        response = client.post(step_url(record, "confirm"))
    assert response.status_code == 302 and response["Location"] == page_url(record)
    record.refresh_from_db()
    return record


def city_user(username: str, group: str):
    """A city-wide staff user of ``group`` (the auditor, say)."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=CITY))
    return user
