"""While a worker checks or imports a file, the import's page shows a progress
bar and loads the script that polls the progress; the progress endpoint
answers JSON with the counts the worker wrote (server state: it reads the
same whoever asks and whenever), and says when the step is over."""

import datetime as dt

import pytest
from django.utils import timezone

from registrations.models import HouseholdImport
from registrations.roles import AUDITOR
from tests.admin.import_helpers import (
    city_user,
    csv_bytes,
    household,
    import_storage,  # noqa: F401 - fixture
    lines_of,
    page_url,
    rows_of,
    status_url,
    uploaded,
)
from tests.factories import KRANJI, MARGAJAYA, staff_user
from tests.web.helpers import attributes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


@pytest.fixture
def importing(client, django_capture_on_commit_callbacks):
    """A Kranji import a worker is in the middle of (as it writes after each chunk)."""
    client.force_login(staff_user(KRANJI))
    record = uploaded(client, django_capture_on_commit_callbacks, csv_bytes(lines_of(rows_of(household()))))
    HouseholdImport.objects.filter(pk=record.pk).update(
        status=HouseholdImport.Status.IMPORTING, claim="worker-1", lease_until=timezone.now() + dt.timedelta(minutes=2),
        rows_total=1000, rows_done=400, households_imported=80, households_refused=3, households_already=2,
        people_imported=300,
    )
    return record


def test_it_answers_the_counts_as_json(client, importing):
    response = client.get(status_url(importing))

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "importing", "status_label": "Sedang diimpor", "finished": False, "progress": 40,
        "rows_done": 400, "rows_total": 1000, "households_imported": 80, "households_updated": 0,
        "households_refused": 3, "households_already": 2, "people_imported": 300,
    }


def test_it_says_when_the_step_is_over(client, importing):
    HouseholdImport.objects.filter(pk=importing.pk).update(status=HouseholdImport.Status.DONE, claim="",
                                                           rows_done=1000)

    answer = client.get(status_url(importing)).json()

    assert (answer["status"], answer["finished"], answer["progress"]) == ("done", True, 100)


def test_the_page_shows_the_progress_and_loads_the_polling_script(client, importing):
    html = client.get(page_url(importing)).content.decode()

    box = attributes(html, "import-progress")
    assert box["data-status-url"] == status_url(importing) and int(box["data-every"]) > 0
    assert attributes(html, "import-progress-bar")["value"] == "40"
    assert '<script src="/static/js/import-progress.js" defer></script>' in html
    assert "<script>" not in html  # the policy allows no inline script


def test_the_finished_page_loads_no_script(client, importing):
    HouseholdImport.objects.filter(pk=importing.pk).update(status=HouseholdImport.Status.DONE, claim="")

    html = client.get(page_url(importing)).content.decode()

    assert "import-progress.js" not in html and "import-summary" in html


def test_it_answers_the_auditor_and_nobody_of_another_area(client, importing):
    client.force_login(city_user("audit.kota", AUDITOR))
    assert client.get(status_url(importing)).status_code == 200
    client.force_login(staff_user(MARGAJAYA))
    assert client.get(status_url(importing)).status_code == 404
