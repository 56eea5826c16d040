"""An import's pages and files, asked for an import that does not exist (or an
id no column can hold), answer as an unknown record does, never with an error
page: for reading and for a step posted."""

import pytest

from tests.factories import KRANJI, staff_user

pytestmark = pytest.mark.django_db

PAGES = ["change/", "history/", "status/", "report.csv", "report.xlsx", "report.pdf", "confirm/", "cancel/", "resume/",
         "verify-clean/"]


@pytest.mark.parametrize("import_id", ["424242", "99999999999999999999999"])
@pytest.mark.parametrize("page", PAGES)
def test_it_answers_an_unknown_import_as_unknown(client, import_id, page):
    client.force_login(staff_user(KRANJI))

    read = client.get(f"/admin/registrations/householdimport/{import_id}/{page}")
    posted = client.post(f"/admin/registrations/householdimport/{import_id}/{page}")

    assert read.status_code in (302, 404) and posted.status_code in (302, 404, 405)
