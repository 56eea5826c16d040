"""A file that names a kelurahan outside the uploader's area: its households
are refused on the kelurahan column (the report says so), the rest of the
file is imported, and nothing lands in the other kelurahan."""

import pytest
from django.utils import translation

from registrations.models import HouseholdImport, Registration
from tests.admin.import_helpers import (
    confirmed,
    csv_bytes,
    household,
    import_storage,  # noqa: F401 - fixture
    lines_of,
    page_url,
    rows_of,
    uploaded,
)
from tests.factories import KRANJI, MARGAJAYA, staff_user
from tests.web.helpers import element, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


def test_it_refuses_the_households_of_a_kelurahan_outside_the_area(client, django_capture_on_commit_callbacks):
    client.force_login(staff_user(KRANJI))
    own, foreign = household(KRANJI, size=2), household(MARGAJAYA, size=2)
    content = csv_bytes(lines_of(rows_of(own) + rows_of(foreign)))  # the file names each one's kelurahan

    record = uploaded(client, django_capture_on_commit_callbacks, content)

    assert record.status == HouseholdImport.Status.CHECKED
    assert (record.households_imported, record.households_refused) == (1, 1)
    with translation.override("id"):
        report = text(element(client.get(page_url(record)).content.decode(), "import-report"))
    assert "4 3275" in report and "kelurahan Kelurahan Margajaya (32.75.04.1002) di luar wilayah kerja Anda" in report
    record = confirmed(client, django_capture_on_commit_callbacks, record)
    assert list(Registration.objects.values_list("kk_number", flat=True)) == [own["kk_number"]]
    assert not Registration.objects.filter(kelurahan__code=MARGAJAYA).exists()
