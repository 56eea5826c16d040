"""Reading the audit is recorded too (AccessLog): the coverage checks show
where a person went for care. Listing, searching (the NIK kept masked) and
opening a row of the coverage checks or of the emergency requests each
leave an entry; the result column reads as words, not codes."""

import pytest
from django.contrib import admin
from django.utils import translation
from django.utils.html import escape

from hospitals.admin.audit import RESULT_LABELS
from hospitals.api import REASON_CODES
from hospitals.models import EmergencyRequest, VerificationLog
from registrations.models import AccessLog
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    health_office_user,
    hospital_key,
    keyed,
    pdf_bytes,
    upload,
    verified_household,
    verify,
)

pytestmark = pytest.mark.django_db

CHECKS = "/admin/hospitals/verificationlog/"
REQUESTS = "/admin/hospitals/emergencyrequest/"


@pytest.fixture
def office(client):
    user = health_office_user()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def checked(api):
    """(head, log) of one eligible check by NIK."""
    _staff, key = hospital_key()
    _household, head, _card = verified_household()
    assert verify(keyed(api, key), {"nik": head.nik}).status_code == 200
    return head, VerificationLog.objects.get()


@pytest.fixture
def requested(api, private_dir):
    """(head, request) of one emergency request."""
    _staff, key = hospital_key()
    _household, head, _card = verified_household()
    response = keyed(api, key).post(EMERGENCY_URL, {"nik": head.nik, "reason": "sakit", "letter": upload(pdf_bytes())},
                                    format="multipart")
    assert response.status_code == 201, response.content
    return head, EmergencyRequest.objects.get()


def new_entries(call):
    before = set(AccessLog.objects.values_list("pk", flat=True))
    response = call()
    return response, list(AccessLog.objects.exclude(pk__in=before))


# --- Coverage checks ------------------------------------------------------------


def test_it_records_the_listing_of_the_checks(office, checked):
    response, entries = new_entries(lambda: office.get(CHECKS))

    assert response.status_code == 200
    assert [(e.user, e.action, e.object_type) for e in entries] == [(office.user, "list", "coverage_check")]


def test_it_records_a_search_of_the_checks_without_the_nik(office, checked):
    head, log = checked

    response, entries = new_entries(lambda: office.get(CHECKS, {"q": head.nik}))

    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [log.pk]
    assert [(e.user, e.action, e.object_type) for e in entries] == [(office.user, "search", "coverage_check")]
    detail = entries[0].detail
    assert detail
    assert head.nik not in detail
    assert head.nik[4:12] not in detail


def test_it_records_the_opening_of_a_check(office, checked):
    _head, log = checked

    response, entries = new_entries(lambda: office.get(f"{CHECKS}{log.pk}/change/"))

    assert response.status_code == 200
    assert [(e.user, e.action, e.object_type, e.object_id) for e in entries] == [
        (office.user, "view", "coverage_check", str(log.pk)),
    ]


def test_it_records_nothing_for_a_page_it_refuses(client, checked):
    from tests.factories import KRANJI, staff_user

    client.force_login(staff_user(KRANJI))

    response, entries = new_entries(lambda: client.get(CHECKS))

    assert response.status_code == 403
    assert [e for e in entries if e.object_type == "coverage_check" and e.action in ("list", "search")] == []


# --- Emergency requests ---------------------------------------------------------


def test_it_records_the_listing_of_the_emergency_requests(office, requested):
    response, entries = new_entries(lambda: office.get(REQUESTS))

    assert response.status_code == 200
    assert [(e.user, e.action, e.object_type) for e in entries] == [(office.user, "list", "emergency_request")]


def test_it_records_a_search_of_the_emergency_requests_without_the_nik(office, requested):
    head, _request = requested

    response, entries = new_entries(lambda: office.get(REQUESTS, {"q": head.nik}))

    assert response.status_code == 200
    assert [(e.action, e.object_type) for e in entries] == [("search", "emergency_request")]
    assert head.nik not in entries[0].detail


def test_it_records_the_opening_of_an_emergency_request(office, requested):
    _head, request = requested

    response, entries = new_entries(lambda: office.get(f"{REQUESTS}{request.pk}/change/"))

    assert response.status_code == 200
    assert [(e.user, e.action, e.object_type, e.object_id) for e in entries] == [
        (office.user, "view", "emergency_request", str(request.pk)),
    ]


# --- The result column --------------------------------------------------------------


def result_cells(html: str) -> list[str]:
    return [cell.split(">", 1)[1].split("</td>", 1)[0] for cell in html.split('<td class="field-result_shown"')[1:]]


def test_it_labels_every_result_the_audit_can_hold():
    refusals = {"invalid_input", "forbidden", "rate_limited", "key_revoked", "user_suspended",
                "emergency_queued", "emergency_repeated"}

    assert set(REASON_CODES) | refusals <= set(RESULT_LABELS)
    assert all(str(label) and str(label) != code for code, label in RESULT_LABELS.items())


def test_it_shows_a_label_not_the_code_in_the_result_column(office, api):
    _staff, key = hospital_key()
    assert verify(keyed(api, key), {"nik": "3275013205800003"}).status_code == 400
    log = VerificationLog.objects.get()
    assert log.result == "invalid_input"
    model_admin = admin.site._registry[VerificationLog]
    assert "result_shown" in model_admin.list_display and "result" not in model_admin.list_display

    response = office.get(CHECKS)

    assert response.status_code == 200
    with translation.override(getattr(response.wsgi_request, "LANGUAGE_CODE", None) or "id"):
        label = str(RESULT_LABELS["invalid_input"])
        assert model_admin.result_shown(log) == RESULT_LABELS["invalid_input"]
    cells = result_cells(response.content.decode())
    assert cells == [escape(label)]
    assert "invalid_input" not in cells[0]
