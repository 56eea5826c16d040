"""The desk's emergency form (/rs/darurat/): a request goes in with its
letter and lands on its own page; refusals are shown next to the field at
fault with nothing written; each facility sees only its own requests."""

import pytest

from cards.models import Card
from hospitals.models import EmergencyRequest
from kartusehat import identity
from tests.api.helpers import files_under
from tests.factories import KRANJI, staff_user
from tests.hospitals.helpers import (
    PASSWORD,
    days,
    facility,
    hospital_user,
    pdf_bytes,
    pending_registration,
    png_bytes,
    upload,
    verified_household,
)
from tests.web.helpers import attributes, element, text

pytestmark = pytest.mark.django_db

FORM_URL = "/rs/darurat/"
LOGIN_URL = "/rs/masuk/"


def done_url(pk) -> str:
    return f"/rs/darurat/{pk}/"


def log_in(client, staff) -> None:
    response = client.post(LOGIN_URL, {"username": staff.user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content


@pytest.fixture
def hospital():
    return facility("RS Uji Anggrek")


@pytest.fixture
def staff(hospital):
    return hospital_user(hospital)


@pytest.fixture
def desk(client, staff):
    log_in(client, staff)
    return client


@pytest.fixture
def patient():
    """(household, head, card) of a verified household whose card is queued at regular priority."""
    return verified_household()


def send(client, nik, letter=None, reason="rawat_inap", notes=""):
    return client.post(FORM_URL, {
        "nik": nik, "reason": reason, "notes": notes, "letter": letter or upload(pdf_bytes()),
    })


def assert_nothing_written(private_dir, card):
    assert EmergencyRequest.objects.count() == 0
    assert files_under(private_dir) == []
    assert Card.objects.get(pk=card.pk).priority == "regular"


def test_it_shows_the_form_to_a_hospital_user(desk):
    response = desk.get(FORM_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert attributes(page, "letter")["type"] == "file"
    assert 'enctype="multipart/form-data"' in page
    assert [attributes(page, field)["name"] for field in ("nik", "reason", "letter", "notes")] == [
        "nik", "reason", "letter", "notes",
    ]
    assert 'id="error-summary"' not in page


def test_it_sends_a_visitor_without_login_to_the_login_page(client):
    response = client.get(FORM_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_it_redirects_to_the_requests_own_page(desk, hospital, patient, private_dir):
    household, head, card = patient
    letter = pdf_bytes("Surat keterangan RS Uji Anggrek")

    response = send(desk, head.nik, upload(letter), reason="gawat_darurat", notes="IGD, ruang 3")

    assert response.status_code == 302, response.content
    request = EmergencyRequest.objects.get()
    assert response["Location"] == done_url(request.pk)
    assert (request.facility, request.reason, request.notes, request.token) == (hospital, "gawat_darurat",
        "IGD, ruang 3", None)
    assert (request.card_id, request.household_id) == (card.pk, household.pk)
    assert [p.read_bytes() for p in files_under(private_dir)] == [letter]
    raised = Card.objects.get(household=household)
    assert (raised.pk, raised.priority, raised.reason) == (card.pk, "emergency", "gawat_darurat")


def test_it_shows_the_request_on_its_page(desk, patient, private_dir):
    _household, head, card = patient
    location = send(desk, head.nik)["Location"]
    request = EmergencyRequest.objects.get()

    response = desk.get(location)

    assert response.status_code == 200
    page = response.content.decode()
    done = text(element(page, "done"))
    assert f"#{request.pk}" in done
    assert identity.mask(head.nik) in done
    assert card.number in done
    assert head.nik not in page


def test_it_accepts_a_png_letter(desk, patient, private_dir):
    _household, head, _card = patient

    response = send(desk, head.nik, upload(png_bytes(), "surat.png", "image/png"))

    assert response.status_code == 302, response.content
    assert EmergencyRequest.objects.get().letter_content_type == "image/png"


@pytest.mark.parametrize(
    "letter",
    [
        pytest.param(lambda: upload(b"Surat keterangan, bukan PDF sungguhan.\n" * 10), id="text-named-pdf"),
        pytest.param(lambda: upload(png_bytes(), "surat.pdf"), id="png-named-pdf"),
        pytest.param(lambda: upload(pdf_bytes()[:-100]), id="truncated-pdf"),
        pytest.param(lambda: upload(b""), id="empty"),
        pytest.param(lambda: upload(pdf_bytes(), "surat.docx", "application/octet-stream"), id="docx"),
    ],
)
def test_it_shows_a_bad_letter_next_to_the_letter_field(desk, patient, private_dir, letter):
    _household, head, card = patient

    response = send(desk, head.nik, letter(), notes="Catatan tetap ada")

    assert response.status_code == 400
    page = response.content.decode()
    assert text(element(page, "letter-error"))
    assert "hidden" not in attributes(page, "letter-error")
    assert "hidden" in attributes(page, "nik-error")  # the error is the letter's only
    assert "hidden" in attributes(page, "reason-error")
    assert text(element(page, "error-summary"))
    assert 'href="#letter"' in element(page, "error-summary")
    # What was typed stays; only the file must be chosen again.
    assert "Catatan tetap ada" in text(element(page, "notes"))
    assert_nothing_written(private_dir, card)


def test_it_shows_a_missing_letter_next_to_the_letter_field(desk, patient, private_dir):
    _household, head, card = patient

    response = desk.post(FORM_URL, {"nik": head.nik, "reason": "rawat_inap"})

    assert response.status_code == 400
    assert text(element(response.content, "letter-error"))
    assert_nothing_written(private_dir, card)


def test_it_shows_a_nik_of_a_pending_registration_next_to_the_nik_field(desk, private_dir):
    registration, head = pending_registration()

    response = send(desk, head.nik)

    assert response.status_code == 400
    assert registration.kelurahan.name in text(element(response.content, "nik-error"))
    assert EmergencyRequest.objects.count() == 0 and files_under(private_dir) == []
    registration.refresh_from_db()
    assert registration.urgent_requested_at is not None


def test_it_lists_the_facilitys_own_requests_with_the_nik_masked(client, desk, hospital, patient, private_dir):
    _household, head, _card = patient
    send(desk, head.nik)
    other_household, other_head, _ = verified_household()
    other_client = type(client)()
    log_in(other_client, hospital_user(facility("RS Uji Lain")))
    assert send(other_client, other_head.nik).status_code == 302

    page = desk.get(FORM_URL).content.decode()

    recent = element(page, "recent")
    rows = recent.split("<tr>")[2:]  # after the header row
    assert len(rows) == 1
    assert identity.mask(head.nik) in text(recent)
    assert head.nik not in page
    assert identity.mask(other_head.nik) not in page and other_head.nik not in page


def test_it_hides_another_facilitys_request(client, desk, patient, private_dir):
    _household, head, _card = patient
    send(desk, head.nik)
    request = EmergencyRequest.objects.get()
    other = type(client)()
    log_in(other, hospital_user(facility("RS Uji Tetangga")))

    response = other.get(done_url(request.pk))

    assert response.status_code == 404
    assert identity.mask(head.nik) not in response.content.decode()


def test_it_shows_the_forbidden_page_to_kelurahan_staff(client, patient, private_dir):
    _household, head, card = patient
    client.force_login(staff_user(KRANJI))

    page = client.get(FORM_URL)
    sent = send(client, head.nik)

    assert page.status_code == 403
    assert text(element(page.content, "forbidden"))
    assert sent.status_code == 403
    assert_nothing_written(private_dir, card)


def test_it_shows_the_forbidden_page_to_a_facility_whose_agreement_lapsed(client, patient, private_dir):
    _household, head, card = patient
    lapsed = facility("RS Uji Berakhir", start=days(-400), end=days(-1))
    log_in(client, hospital_user(lapsed))

    page = client.get(FORM_URL)
    sent = send(client, head.nik)

    assert page.status_code == 403
    assert lapsed.name in text(element(page.content, "forbidden"))
    assert sent.status_code == 403
    assert_nothing_written(private_dir, card)
