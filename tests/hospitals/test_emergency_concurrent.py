"""Two hospitals send emergency requests for the same household at the same
moment, over real HTTP against a live server on PostgreSQL: both are
accepted, the household still has exactly one card, raised to emergency, and
both requests are kept with their letters."""

import http.client
import json
import threading
import uuid
from urllib.parse import urlparse

import pytest

from cards.models import Card
from hospitals.models import EmergencyRequest
from tests.api.helpers import files_under
from tests.hospitals.helpers import EMERGENCY_URL, facility, hospital_key, hospital_user, pdf_bytes, verified_household

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = f"----kartusehat{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content_type, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def race(live_server, requests: list[tuple[str, bytes, str]]) -> list[tuple[int, dict]]:
    """POST every (key, body, content type) at once, one thread and connection each."""
    url = urlparse(live_server.url)
    start = threading.Barrier(len(requests), timeout=30)
    results: list = [None] * len(requests)

    def run(index, key, body, content_type):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            connection.connect()  # connected before the barrier, so the requests really leave together
            start.wait()
            connection.request("POST", EMERGENCY_URL, body, {
                "Content-Type": content_type, "Authorization": f"Token {key}", "Accept-Language": "en",
            })
            response = connection.getresponse()
            text = response.read().decode()
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = {"unparsed": text}
            results[index] = (response.status, parsed)
        except Exception as exc:  # noqa: BLE001 - recorded, and fails the assertions below
            results[index] = (None, {"exception": repr(exc)})
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert all(r is not None for r in results), results
    return results


def test_it_accepts_both_hospitals_and_keeps_one_emergency_card(live_server, private_dir):
    household, head, card = verified_household()
    child = household.members.exclude(relationship="kepala_keluarga").first()
    _a, key_a = hospital_key(hospital_user(facility("RS Uji Serentak A")))
    _b, key_b = hospital_key(hospital_user(facility("RS Uji Serentak B")))
    letter_a, letter_b = pdf_bytes("Surat RS A"), pdf_bytes("Surat RS B")
    body_a = multipart({"nik": head.nik, "reason": "rawat_inap"}, {"letter": ("a.pdf", "application/pdf", letter_a)})
    body_b = multipart({"nik": (child or head).nik, "reason": "gawat_darurat"},
                       {"letter": ("b.pdf", "application/pdf", letter_b)})

    results = race(live_server, [(key_a, *body_a), (key_b, *body_b)])

    assert [status for status, _ in results] == [201, 201], results
    assert all(body["priority"] == "emergency" and body["status"] == "queued" for _, body in results), results
    assert len({body["id"] for _, body in results}) == 2
    cards = Card.objects.filter(household=household)
    assert cards.count() == 1
    raised = cards.get()
    assert (raised.pk, raised.number, raised.status, raised.priority) == (card.pk, card.number, "queued", "emergency")
    assert raised.reason in ("rawat_inap", "gawat_darurat")
    requests = EmergencyRequest.objects.filter(household=household)
    assert requests.count() == 2
    assert set(requests.values_list("card_id", flat=True)) == {card.pk}
    assert {p.read_bytes() for p in files_under(private_dir)} == {letter_a, letter_b}


def test_it_keeps_one_request_when_the_same_letter_arrives_twice_at_once(live_server, private_dir):
    household, head, card = verified_household()
    _staff, key = hospital_key(hospital_user(facility("RS Uji Kirim Ulang")))
    letter = pdf_bytes("Surat yang terkirim dua kali")
    body = multipart({"nik": head.nik, "reason": "sakit"}, {"letter": ("surat.pdf", "application/pdf", letter)})

    results = race(live_server, [(key, *body), (key, *body)])

    assert [status for status, _ in results] == [201, 201], results
    assert results[0][1]["id"] == results[1][1]["id"]
    assert EmergencyRequest.objects.count() == 1
    assert [p.read_bytes() for p in files_under(private_dir)] == [letter]
    assert Card.objects.filter(household=household).count() == 1
