"""The hospital desk check page (/rs/): one field that a USB barcode scanner
types into (barcode, QR text + Enter) or staff type a NIK into; the answer
shows only masked numbers, and every check is one audit row."""

import pytest

from cards.qr import qr_payload
from hospitals.models import VerificationLog
from hospitals.selectors import partial_name
from kartusehat import identity
from tests.factories import KRANJI, staff_user
from tests.hospitals.helpers import PASSWORD, days, facility, hospital_user, revoke, verified_household
from tests.web.helpers import attributes, element, text

pytestmark = pytest.mark.django_db

CHECK_URL = "/rs/"
LOGIN_URL = "/rs/masuk/"


def log_in(client, staff) -> None:
    response = client.post(LOGIN_URL, {"username": staff.user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] == CHECK_URL


@pytest.fixture
def staff():
    return hospital_user(facility("RS Uji Loket"))


@pytest.fixture
def desk(client, staff):
    log_in(client, staff)
    return client


@pytest.fixture
def household():
    """(household, head, card) of a verified household of three."""
    return verified_household(size=3)


def check(client, query: str):
    return client.post(CHECK_URL, {"query": query})


def field_value(page) -> str:
    return attributes(page, "query").get("value", "")


# --- Logging in ----------------------------------------------------------------


def test_it_sends_a_visitor_without_login_to_the_login_page(client):
    response = client.get(CHECK_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_it_does_not_check_for_a_visitor_without_login(client, household):
    _household, head, _card = household

    response = check(client, head.nik)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert VerificationLog.objects.count() == 0


def test_it_shows_the_error_notice_for_a_wrong_password(client, staff):
    response = client.post(LOGIN_URL, {"username": staff.user.username, "password": "salah-sandi-123"})

    assert response.status_code == 200
    assert text(element(response.content, "login-error"))
    assert "_auth_user_id" not in client.session


def test_it_shows_the_check_page_once_logged_in(desk, staff):
    response = desk.get(CHECK_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert staff.facility.name in text(element(page, "facility"))
    assert field_value(page) == ""
    assert "hidden" in attributes(page, "query-error")
    assert 'id="answer"' not in page


# --- Scanning and typing ------------------------------------------------------------


def test_it_answers_a_scanned_barcode_with_the_members_masked(desk, household):
    hh, head, card = household

    response = check(desk, card.number)

    assert response.status_code == 200
    page = response.content.decode()
    assert text(element(page, "verdict"))
    assert "not-covered" not in attributes(page, "answer")["class"]
    members = text(element(page, "members"))
    for member in hh.members.all():
        assert partial_name(member.full_name) in members
        assert identity.mask(member.nik) in members
        assert member.nik not in page
    assert card.number in text(element(page, "card"))


def test_it_answers_a_scanned_qr_with_the_enter_the_scanner_sends(desk, household):
    hh, _head, card = household

    response = check(desk, qr_payload(card.number) + "\n")

    assert response.status_code == 200
    page = response.content.decode()
    assert "covered" in attributes(page, "answer")["class"].split()
    assert card.number in text(element(page, "card"))
    assert hh.members.count() == len(element(page, "members").split("<li>")) - 1


def test_it_answers_a_typed_nik_with_the_patient_masked(desk, household):
    _hh, head, _card = household

    response = check(desk, head.nik)

    assert response.status_code == 200
    page = response.content.decode()
    assert "covered" in attributes(page, "answer")["class"].split()
    member = text(element(page, "member"))
    assert head.full_name in member
    assert identity.mask(head.nik) in member


def test_it_answers_not_covered_for_a_revoked_card(desk, household):

    _hh, _head, card = household
    revoke(card)

    response = check(desk, card.number)

    assert response.status_code == 200
    assert "not-covered" in attributes(response.content, "answer")["class"].split()


def test_it_empties_the_field_after_an_answer(desk, household):
    _hh, head, card = household

    for query in (card.number, qr_payload(card.number) + "\n", head.nik):
        response = check(desk, query)
        assert response.status_code == 200
        assert field_value(response.content) == ""


@pytest.mark.parametrize("garbage", ["halo apa kabar", "12345", "https://contoh.id/kartu", "3275-0000-0000-19"])
def test_it_shows_an_error_next_to_the_field_for_garbage(desk, garbage):
    response = check(desk, garbage)

    assert response.status_code == 400
    page = response.content.decode()
    assert text(element(page, "query-error"))
    assert "hidden" not in attributes(page, "query-error")
    assert attributes(page, "query").get("aria-invalid") == "true"
    assert 'id="answer"' not in page


def test_it_reports_a_forged_qr_as_not_covered(desk, household):
    _hh, _head, card = household
    genuine = qr_payload(card.number)
    forged = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")

    response = check(desk, forged + "\n")

    assert response.status_code == 200
    page = response.content.decode()
    assert "not-covered" in attributes(page, "answer")["class"].split()
    assert text(element(page, "reason"))
    assert 'id="members"' not in page
    assert VerificationLog.objects.get().result == "qr_forged"


def test_it_keeps_the_garbage_in_the_field_to_correct_it(desk):
    response = check(desk, "3275 0000 0000 1")

    assert response.status_code == 400
    assert field_value(response.content) == "3275 0000 0000 1"


def test_it_never_shows_the_nik_in_full(desk, household):
    hh, head, card = household

    pages = [check(desk, query).content.decode() for query in (head.nik, card.number, qr_payload(card.number))]

    for page in pages:
        for member in hh.members.all():
            assert member.nik not in page
        assert hh.kk_number not in page


# --- Who may check --------------------------------------------------------------------


def test_it_shows_the_forbidden_page_to_kelurahan_staff(client, household):
    _hh, head, _card = household
    client.force_login(staff_user(KRANJI))

    page = client.get(CHECK_URL)
    answer = check(client, head.nik)

    assert page.status_code == 403
    assert text(element(page.content, "forbidden"))
    assert answer.status_code == 403
    assert text(element(answer.content, "forbidden"))
    assert 'id="answer"' not in answer.content.decode()


def test_it_shows_the_forbidden_page_to_a_facility_whose_agreement_lapsed(client, household):
    _hh, head, _card = household
    lapsed = facility("RS Uji Kedaluwarsa", start=days(-400), end=days(-1))
    log_in(client, hospital_user(lapsed))

    page = client.get(CHECK_URL)
    answer = check(client, head.nik)

    assert page.status_code == 403
    assert lapsed.name in text(element(page.content, "forbidden"))
    assert answer.status_code == 403
    assert 'id="answer"' not in answer.content.decode()
    log = VerificationLog.objects.get()
    assert (log.http_status, log.result, log.facility_id, log.channel) == (403, "forbidden", lapsed.pk, "web")


# --- The audit -----------------------------------------------------------------------


def test_it_writes_one_web_audit_row_per_check(desk, staff, household):
    _hh, head, card = household

    check(desk, card.number)
    check(desk, qr_payload(card.number) + "\n")
    check(desk, head.nik)
    check(desk, "halo apa kabar")
    desk.get(CHECK_URL)

    logs = list(VerificationLog.objects.order_by("id"))
    assert len(logs) == 4
    assert {log.channel for log in logs} == {"web"}
    assert {log.user_id for log in logs} == {staff.user_id}
    assert {log.facility_id for log in logs} == {staff.facility_id}
    assert [log.method for log in logs] == ["card_number", "qr", "nik", "invalid"]
    assert [log.http_status for log in logs] == [200, 200, 200, 400]
    assert all(head.nik not in log.query for log in logs)
