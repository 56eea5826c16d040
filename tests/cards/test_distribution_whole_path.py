"""One household from verification to the card in its hands, with the
citizen status API showing each step: verified -> queued -> printed ->
dispatched -> received -> ready -> collected."""

import pytest

from cards import services
from cards.models import Card
from registrations import services as registration_services
from tests.cards.distribution_helpers import kelurahan_user
from tests.cards.queue_helpers import claimed, receive
from tests.factories import KRANJI, submit, superuser

pytestmark = pytest.mark.django_db


def _status(client, registration, nik):
    response = client.get(f"/api/v1/registrations/{registration.reference}/", {"nik": nik})
    assert response.status_code == 200, response.content
    return response.json()


def test_it_shows_each_step_of_the_card_on_the_citizens_status_api(client):
    registration = submit(KRANJI)
    nik = registration.members.get(relationship="kepala_keluarga").nik
    assert _status(client, registration, nik)["card"] is None

    registration_services.registration_verify(registration_id=registration.pk, by=superuser())
    body = _status(client, registration, nik)
    assert body["status"] == "verified"
    assert body["card"]["status"] == "queued"

    receive(1, emergency_reserve=0)
    batch = claimed(1)
    assert _status(client, registration, nik)["card"]["status"] == "queued"  # in a batch: still "queued" for citizens
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/path.pdf")
    assert _status(client, registration, nik)["card"]["status"] == "printed"

    dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=superuser(), pickup_place="Aula Kelurahan Kranji")
    card = _status(client, registration, nik)["card"]
    assert (card["status"], card["pickup_location"], card["pickup_deadline"]) == ("dispatched", None, None)

    staff = kelurahan_user()
    services.dispatch_receive(dispatch_id=dispatch.pk, by=staff)
    card = _status(client, registration, nik)["card"]
    assert card["status"] == "ready_for_pickup"
    assert card["pickup_location"] == "Aula Kelurahan Kranji"
    assert card["pickup_deadline"] == dispatch.pickup_deadline.isoformat()

    registration.refresh_from_db()
    the_card = Card.objects.get(household=registration.household)
    services.card_collect(card_id=the_card.pk, by=staff, collector=Card.Collector.HEAD)
    card = _status(client, registration, nik)["card"]
    assert (card["status"], card["pickup_location"], card["pickup_deadline"]) == ("collected", None, None)
    assert [step["event"] for step in card["history"]] == ["queued", "printed", "dispatched", "ready", "collected"]
