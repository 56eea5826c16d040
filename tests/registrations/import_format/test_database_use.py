"""Reading a file writes nothing and asks the database nothing per row: the
city's kelurahan once per file, and clean_registration's own kelurahan lookup
once per household."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations.models import Registration, RegistrationMember
from tests.factories import BINTARA, KRANJI
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, read, rows_of

pytestmark = pytest.mark.django_db


def test_it_writes_nothing_and_queries_once_per_file_plus_the_form_s_lookup_per_household():
    households = [household(code, size=4) for code in (KRANJI, BINTARA, KRANJI, BINTARA, KRANJI)]
    content = csv_bytes(lines_of([row for data in households for row in rows_of(data)]))

    with CaptureQueriesContext(connection) as queries:
        result = read(content, allowed=[KRANJI, BINTARA])

    assert result.summary.households_accepted == 5 and result.summary.rows_read == 20
    sql = [query["sql"] for query in queries.captured_queries]
    assert all(statement.lstrip().upper().startswith("SELECT") for statement in sql), sql
    # 20 rows: one query for the city's kelurahan, one per household in clean_registration
    assert len(sql) == 1 + 5
    assert (Registration.objects.count(), RegistrationMember.objects.count()) == (0, 0)
