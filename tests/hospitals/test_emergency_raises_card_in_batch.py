"""An emergency request for a card already in a print batch raises it too:
it stays in its batch, and if that batch fails it goes back to the queue as
the emergency it is, first in the next batch."""

import pytest

from cards import services as card_services
from cards.models import Card, CardEvent
from tests.cards.queue_helpers import batch_card_ids, claimed, queue, receive
from tests.hospitals.helpers import EMERGENCY_URL, hospital_key, keyed, pdf_bytes, upload, verified_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_batch():
    """(household, head, card, batch): a verified household's card claimed into a batch."""
    receive(10, emergency_reserve=0)
    household, head, card = verified_household()
    batch = claimed(1)
    assert batch_card_ids(batch) == [card.pk]
    card.refresh_from_db()
    assert (card.status, card.priority) == ("printing", "regular")
    return household, head, card, batch


def send(api, nik, reason="rawat_inap"):
    _staff, key = hospital_key()
    return keyed(api, key).post(EMERGENCY_URL, {"nik": nik, "reason": reason, "letter": upload(pdf_bytes())},
                                format="multipart")


def test_it_raises_a_card_in_a_batch_and_leaves_it_there(api, private_dir, in_batch):
    household, head, card, batch = in_batch

    response = send(api, head.nik, reason="gawat_darurat")

    assert response.status_code == 201, response.content
    assert response.json()["priority"] == "emergency"
    after = Card.objects.get(pk=card.pk)
    assert (after.status, after.batch_id) == ("printing", batch.pk)
    assert (after.priority, after.reason) == ("emergency", "gawat_darurat")
    assert after.raised_at is not None
    assert Card.objects.filter(household=household).count() == 1
    assert CardEvent.objects.filter(card=card, kind=CardEvent.Kind.RAISED).count() == 1


def test_it_puts_the_raised_card_first_in_the_next_batch_after_a_failure(api, private_dir, in_batch):
    _household, head, card, batch = in_batch
    # Regular cards that waited longer than the patient's.
    older = queue(3)
    assert send(api, head.nik).status_code == 201

    card_services.batch_fail(batch_id=batch.pk, error="Printer macet")

    back = Card.objects.get(pk=card.pk)
    assert (back.status, back.batch_id, back.priority) == ("queued", None, "emergency")
    next_batch = claimed(1)
    assert batch_card_ids(next_batch) == [card.pk]
    assert all(Card.objects.get(pk=c.pk).status == "queued" for c in older)


def test_it_prints_the_raised_card_with_its_batch(api, private_dir, in_batch):
    _household, head, card, batch = in_batch
    send(api, head.nik)

    card_services.batch_complete(batch_id=batch.pk, pdf_name="batches/uji.pdf")

    printed = Card.objects.get(pk=card.pk)
    assert (printed.status, printed.batch_id, printed.priority) == ("printed", batch.pk, "emergency")
