"""Reading a file writes nothing and asks the database nothing per row or per
household: the city's kelurahan once per file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations.models import Registration, RegistrationMember
from tests.factories import BINTARA, KRANJI
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, read, rows_of

pytestmark = pytest.mark.django_db


def test_it_writes_nothing_and_queries_once_per_file():
    households = [household(code, size=4) for code in (KRANJI, BINTARA, KRANJI, BINTARA, KRANJI)]
    content = csv_bytes(lines_of([row for data in households for row in rows_of(data)]))

    with CaptureQueriesContext(connection) as queries:
        result = read(content, allowed=[KRANJI, BINTARA])

    assert result.summary.households_accepted == 5 and result.summary.rows_read == 20
    sql = [query["sql"] for query in queries.captured_queries]
    assert all(statement.lstrip().upper().startswith("SELECT") for statement in sql), sql
    # 20 rows, 5 households: one query for the city's kelurahan (and their kecamatan)
    assert len(sql) == 1
    assert (Registration.objects.count(), RegistrationMember.objects.count()) == (0, 0)
