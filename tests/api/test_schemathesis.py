"""The served OpenAPI schema and the API agree: schemathesis generates
requests from /api/schema/ for every operation (valid ones and ones the
schema forbids) and checks that none gives a 5xx, every answer's status,
content type, headers and body are documented, and anything the schema
forbids is refused. Bounded: a fixed seed and a few examples per operation,
so CI runs it in a couple of minutes."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks as sc
from schemathesis.specs.openapi import checks as oc

from kartusehat.wsgi import application
from tests.factories import KRANJI, staff_user
from tests.hospitals.helpers import hospital_key, print_office_token

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

CHECKS = [
    sc.not_a_server_error,
    oc.status_code_conformance,
    oc.content_type_conformance,
    oc.response_headers_conformance,
    oc.response_schema_conformance,
    oc.negative_data_rejection,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Called as a WSGI app, Django closes "old" database connections at the
    start and end of every request, which would close the test's own
    connection (and its transaction) on PostgreSQL; the test client
    disconnects the same signal handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials():
    """A hospital key for the hospital paths, an operator's token for the print office's,
    a kelurahan clerk's token for the figures."""
    _staff, key = hospital_key()
    return {"hospital": key, "operator": print_office_token(),
            "staff": Token.objects.create(user=staff_user(KRANJI, username="kel.schemathesis")).key}


def _headers(case, credentials) -> dict:
    path = case.operation.path
    if path in ("/api/v1/verify/", "/api/v1/emergency-requests/"):
        return {"Authorization": f"Token {credentials['hospital']}"}
    if path.startswith(("/api/v1/stock/", "/api/v1/print-batches/")):
        return {"Authorization": f"Token {credentials['operator']}"}
    if path.startswith("/api/v1/stats/"):
        return {"Authorization": f"Token {credentials['staff']}"}
    return {}


@schema.parametrize()
# SCHEMATHESIS_EXAMPLES=1000 for a deeper run by hand; CI keeps the bounded default.
@settings(max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15")), derandomize=True, deadline=None,
          database=None, suppress_health_check=list(HealthCheck))
def test_it_answers_as_the_schema_says(case, credentials):
    case.call_and_validate(headers=_headers(case, credentials), checks=CHECKS)


@schema.parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_it_documents_the_answers_to_a_stranger(case):
    """No key at all: the protected operations answer 401 (or 403), as documented."""
    case.call_and_validate(checks=[sc.not_a_server_error, oc.status_code_conformance,
                                   oc.content_type_conformance, oc.response_schema_conformance])
