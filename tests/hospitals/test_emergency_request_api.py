"""POST /api/v1/emergency-requests/: a verified household's queued card is
raised to emergency priority in place (never a second card), the hospital's
letter is kept with the request, and a raised card is printed first."""

import hashlib

import pytest

from cards import services as card_services
from cards.models import Card
from hospitals.models import EmergencyRequest
from tests.api.helpers import files_under
from tests.cards.queue_helpers import batch_card_ids, claimed, operator, queue, receive
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    hospital_key,
    keyed,
    pdf_bytes,
    png_bytes,
    revoke,
    upload,
    verified_household,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(api):
    staff, key = hospital_key()
    keyed(api, key)
    api.staff = staff
    return api


def send(client, nik, letter=None, reason="rawat_inap", **fields):
    body = {"nik": nik, "reason": reason, "letter": letter or upload(pdf_bytes()), **fields}
    return client.post(EMERGENCY_URL, body, format="multipart")


def test_it_raises_the_queued_card_to_emergency(desk, private_dir):
    _household, head, card = verified_household()
    assert (card.status, card.priority) == ("queued", "regular")

    response = send(desk, head.nik, reason="gawat_darurat")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "status", "priority"}
    assert (body["status"], body["priority"]) == ("queued", "emergency")
    assert EmergencyRequest.objects.filter(pk=body["id"]).exists()


def test_it_raises_the_same_card_row_without_a_second_card(desk, private_dir):
    household, head, card = verified_household()

    send(desk, head.nik, reason="gawat_darurat")

    assert Card.objects.filter(household=household).count() == 1
    raised = Card.objects.get(household=household)
    assert (raised.pk, raised.number) == (card.pk, card.number)
    assert (raised.status, raised.priority, raised.reason) == ("queued", "emergency", "gawat_darurat")
    assert raised.raised_at is not None


def test_it_keeps_the_request_with_its_letter(desk, private_dir):
    household, head, card = verified_household()
    letter = pdf_bytes("Surat keterangan rawat inap: pasien dirawat di ruang Melati")

    body = send(desk, head.nik, upload(letter), notes="Pasien di ruang Melati").json()

    request = EmergencyRequest.objects.get(pk=body["id"])
    assert request.facility == desk.staff.facility
    assert request.requested_by == desk.staff.user
    assert request.token is not None and request.token.staff == desk.staff
    assert (request.nik, request.reason, request.notes) == (head.nik, "rawat_inap", "Pasien di ruang Melati")
    assert (request.household_id, request.card_id) == (household.pk, card.pk)
    assert request.letter_content_type == "application/pdf"
    assert request.letter_size == len(letter)
    assert request.letter_sha256 == hashlib.sha256(letter).hexdigest()
    stored = files_under(private_dir)
    assert len(stored) == 1
    assert stored[0].read_bytes() == letter
    assert (private_dir / request.letter.name) == stored[0]
    assert stored[0].suffix == ".pdf"


def test_it_keeps_a_png_letter_as_a_png(desk, private_dir):
    _household, head, _card = verified_household()
    letter = png_bytes()

    body = send(desk, head.nik, upload(letter, "surat.png", "image/png")).json()

    request = EmergencyRequest.objects.get(pk=body["id"])
    assert request.letter_content_type == "image/png"
    assert [p.read_bytes() for p in files_under(private_dir)] == [letter]


def test_it_adds_a_second_request_with_another_letter_but_no_second_card(desk, private_dir):
    household, head, card = verified_household(size=3)
    child = household.members.exclude(relationship="kepala_keluarga").first()

    first = send(desk, head.nik, upload(pdf_bytes("Surat pertama"))).json()
    second_response = send(desk, head.nik, upload(pdf_bytes("Surat kedua")), reason="sakit")
    third_response = send(desk, child.nik, upload(pdf_bytes("Surat anak")))

    assert second_response.status_code == 201, second_response.content
    assert third_response.status_code == 201, third_response.content
    second, third = second_response.json(), third_response.json()
    assert len({first["id"], second["id"], third["id"]}) == 3
    assert EmergencyRequest.objects.filter(household=household).count() == 3
    assert Card.objects.filter(household=household).count() == 1
    assert set(EmergencyRequest.objects.values_list("card_id", flat=True)) == {card.pk}
    assert len(files_under(private_dir)) == 3


def test_it_counts_the_same_letter_sent_twice_as_one_request(desk, private_dir):
    household, head, _card = verified_household()
    letter = pdf_bytes("Surat yang sama")

    first = send(desk, head.nik, upload(letter))
    again = send(desk, head.nik, upload(letter))

    assert first.status_code == 201, first.content
    assert again.status_code == 201, again.content
    assert again.json()["id"] == first.json()["id"]
    assert EmergencyRequest.objects.count() == 1
    assert len(files_under(private_dir)) == 1
    assert Card.objects.filter(household=household).count() == 1


def test_it_answers_printed_for_a_card_already_printed_and_leaves_it_alone(desk, private_dir):
    household, head, card = verified_household()
    receive(10, emergency_reserve=0)
    batch = claimed(10)
    assert batch_card_ids(batch) == [card.pk]
    card_services.batch_complete(batch_id=batch.pk, pdf_name="batches/uji.pdf")
    before = Card.objects.get(pk=card.pk)
    assert (before.status, before.priority) == ("printed", "regular")

    response = send(desk, head.nik)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "printed"
    after = Card.objects.get(pk=card.pk)
    assert (after.status, after.priority, after.reason, after.raised_at, after.printed_at, after.batch_id) == (
        before.status, before.priority, before.reason, before.raised_at, before.printed_at, before.batch_id,
    )
    assert Card.objects.filter(household=household).count() == 1
    assert EmergencyRequest.objects.get().card_id == card.pk


def test_it_has_the_raised_card_taken_first_even_in_registration_only_mode(desk, private_dir):
    receive(100, emergency_reserve=10)
    waiting = queue(5)
    _household, head, card = verified_household()
    card_services.mode_force(mode="registration_only", message="Hanya kartu darurat yang dicetak minggu ini.",
                             by=operator())

    assert send(desk, head.nik).status_code == 201
    batch = claimed(3)

    assert batch_card_ids(batch) == [card.pk]
    assert batch.emergency_only
    assert Card.objects.get(pk=card.pk).status == "printing"
    assert Card.objects.filter(pk__in=[c.pk for c in waiting], status="queued", batch__isnull=True).count() == 5


def test_it_has_the_raised_card_taken_before_older_regular_cards(desk, private_dir):
    receive(100, emergency_reserve=0)
    older = queue(3)
    _household, head, card = verified_household()

    send(desk, head.nik)
    batch = claimed(1)

    assert batch_card_ids(batch) == [card.pk]
    assert not Card.objects.filter(pk__in=[c.pk for c in older], batch__isnull=False).exists()


def test_it_queues_a_new_emergency_card_after_a_revoked_one(desk, private_dir):
    household, head, old = verified_household()
    revoke(old)

    response = send(desk, head.nik, reason="sakit")

    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["priority"]) == ("queued", "emergency")
    new = Card.objects.get(household=household, status="queued")
    assert new.pk != old.pk and new.number != old.number
    assert (new.priority, new.reason) == ("emergency", "sakit")
    assert Card.objects.filter(household=household).count() == 2
    assert EmergencyRequest.objects.get().card_id == new.pk


def test_it_accepts_a_nik_typed_with_spaces_and_stores_it_as_digits(desk, private_dir):
    _household, head, _card = verified_household()
    spaced = f"{head.nik[:6]} {head.nik[6:12]} {head.nik[12:]}"

    response = send(desk, spaced)

    assert response.status_code == 201, response.content
    assert EmergencyRequest.objects.get().nik == head.nik
