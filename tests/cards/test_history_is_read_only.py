"""The print office's history pages are for reading too: a POST to an old
version of a card or of the service mode would revert it past the services
(the queue's order, the stock ledger); it is refused and changes nothing."""

import pytest
from django.urls import reverse

from cards import services
from cards.models import ServiceMode
from tests.cards.queue_helpers import operator, queue, raise_to_emergency
from tests.factories import superuser

pytestmark = pytest.mark.django_db


def test_it_refuses_to_revert_a_card_to_its_regular_priority(client):
    (card,) = queue(1)
    raise_to_emergency(card)
    card.refresh_from_db()
    first = card.history.earliest()
    assert first.priority == "regular"
    client.force_login(superuser())

    response = client.post(reverse("admin:cards_card_simple_history", args=[card.pk, first.history_id]), {})

    assert response.status_code == 405
    card.refresh_from_db()
    assert card.priority == "emergency"


def test_it_refuses_to_revert_the_service_mode(client):
    services.mode_force(mode="registration_only", message="Blanko habis, hanya kartu darurat.", by=operator())
    services.mode_force(mode="", message="", by=operator())
    forced = ServiceMode.objects.get(pk=1).history.filter(forced="registration_only").first()
    client.force_login(superuser())

    response = client.post(reverse("admin:cards_servicemode_simple_history", args=[1, forced.history_id]),
                           {"forced": "registration_only", "message": "Blanko habis, hanya kartu darurat."})

    assert response.status_code == 405
    assert ServiceMode.objects.get(pk=1).forced == ""
