"""Real simultaneous HTTP submissions against a live server on PostgreSQL:
for one KK, or for one NIK, exactly one application wins; every other gets
a 400 on the right field, none a 5xx, and no duplicate row exists."""

import http.client
import json
import threading
from urllib.parse import urlparse

import pytest

from registrations.models import Registration, RegistrationMember
from tests.factories import BINTARA, KRANJI, MARGAJAYA, registration_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RACERS = 8


def _race(live_server, payloads) -> list[tuple[int, dict]]:
    """POST every payload at once (one thread and connection each)."""
    url = urlparse(live_server.url)
    start = threading.Barrier(len(payloads), timeout=30)
    results: list = [None] * len(payloads)

    def run(index, payload):
        body = json.dumps(payload).encode()
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            connection.connect()  # connected before the barrier, so the requests really leave together
            start.wait()
            connection.request(
                "POST", "/api/v1/registrations/", body,
                {"Content-Type": "application/json", "Accept-Language": "en"},
            )
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

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert all(r is not None for r in results), results
    assert not [r for r in results if r[0] is None or r[0] >= 500], results
    return results


@pytest.fixture(autouse=True)
def _taken_answers_unlimited(settings):
    # Every racer comes from one address: here the database decides, not the limits.
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "taken_answers_per_address": "1000/hour",
        "taken_answers_per_network": "1000/hour"}


def test_it_accepts_exactly_one_of_eight_simultaneous_submissions_of_one_kk(live_server):
    first = registration_data(KRANJI, size=2)
    payloads = [first] + [registration_data(KRANJI, size=2, kk_number=first["kk_number"]) for _ in range(RACERS - 1)]
    assert len({p["members"][0]["nik"] for p in payloads}) == RACERS

    results = _race(live_server, payloads)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (RACERS - 1), results
    for status, body in results:
        if status == 400:
            assert list(body) == ["kk_number"], body
            assert "being processed" in " ".join(body["kk_number"])
    assert Registration.objects.count() == 1
    assert Registration.objects.get().kk_number == first["kk_number"]
    assert RegistrationMember.objects.count() == 2


def test_it_accepts_exactly_one_of_eight_simultaneous_households_sharing_a_nik(live_server):
    shared = registration_data(KRANJI, size=2)["members"][1]
    payloads = []
    for i in range(RACERS):
        data = registration_data((KRANJI, BINTARA, MARGAJAYA)[i % 3], size=3)
        data["members"][1] = dict(shared, relationship=data["members"][1]["relationship"])
        payloads.append(data)
    assert len({p["kk_number"] for p in payloads}) == RACERS

    results = _race(live_server, payloads)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (RACERS - 1), results
    for status, body in results:
        if status == 400:
            assert list(body) == ["members"], body
            assert body["members"][0] == {} and body["members"][2] == {}, body
            assert list(body["members"][1]) == ["nik"], body
            assert "kelurahan" in " ".join(body["members"][1]["nik"])
    assert RegistrationMember.objects.filter(nik=shared["nik"]).count() == 1
    assert Registration.objects.count() == 1
    assert RegistrationMember.objects.count() == 3
