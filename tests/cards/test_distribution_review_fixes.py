"""What a kelurahan officer and the print office meet at the edges:
a card that never arrived cannot be "returned"; a deadline has a limit;
a proxy's name is a name; manifests keep what was signed for; the print
office cannot act on a page it cannot list; the kelurahan sees its
dispatch's cards and RW handovers."""

import datetime as dt

import pytest
from django.utils import timezone

from cards import services
from cards.models import Card
from kartusehat.refusals import Conflict, Invalid
from tests.cards.distribution_helpers import kelurahan_user, print_office_user, printed_cards, ready, sent
from tests.factories import KRANJI, superuser

pytestmark = pytest.mark.django_db


def test_it_refuses_to_return_a_card_that_never_arrived():
    _dispatch, (card,) = sent(1)

    with pytest.raises(Conflict):
        services.card_return(card_id=card.pk, reason="Tidak pernah sampai", by=superuser())

    assert Card.objects.get(pk=card.pk).status == Card.Status.DISPATCHED


def test_it_caps_a_deadline_extension_at_a_year():
    _dispatch, (card,) = ready(1)
    too_far = timezone.localdate() + dt.timedelta(days=services.MAX_EXTENSION_DAYS + 1)

    with pytest.raises(Invalid) as refusal:
        services.card_extend_deadline(card_id=card.pk, until=too_far, by=superuser())

    assert "until" in refusal.value.errors
    assert Card.objects.get(pk=card.pk).pickup_deadline == card.pickup_deadline


@pytest.mark.parametrize("name", ["\u200b\u200b\u200b", "123", "Budi 2"])
def test_it_refuses_a_proxy_name_that_is_no_name(name):
    _dispatch, (card,) = ready(1)

    with pytest.raises(Invalid) as refusal:
        services.card_collect(card_id=card.pk, by=superuser(), collector="proxy", proxy_name=name,
                              proxy_id_number="3275011505800003")

    assert "proxy_name" in refusal.value.errors
    assert Card.objects.get(pk=card.pk).status == Card.Status.READY


def test_it_keeps_a_returned_card_on_the_manifest_it_travelled_with(client):
    dispatch, (returned, kept) = ready(2)
    services.card_return(card_id=returned.pk, reason="Tidak diambil sampai batas", by=superuser())
    client.force_login(kelurahan_user(KRANJI))

    csv_text = client.get(f"/admin/cards/dispatch/{dispatch.pk}/manifest.csv").content.decode("utf-8-sig")

    assert returned.number in csv_text and kept.number in csv_text


def test_it_does_not_let_the_print_office_reprint_through_the_kelurahans_pages(client):
    _dispatch, (card,) = ready(1)
    client.force_login(print_office_user())

    response = client.post(f"/admin/cards/pickupcard/{card.pk}/reprint/", {"kind": "lost"})

    assert response.status_code == 403
    assert Card.objects.get(pk=card.pk).status == Card.Status.READY


def test_it_shows_the_kelurahan_its_dispatchs_cards_and_handovers(client):
    dispatch, cards = ready(2)
    rw = cards[0].household.rw
    handover = services.dispatch_hand_over(dispatch_id=dispatch.pk, rw=rw, coordinator_name="Pak Darto",
                                           pickup_place="Rumah Pak Darto, Jl. Melati 12", by=superuser())
    client.force_login(kelurahan_user(KRANJI))

    html = client.get(f"/admin/cards/dispatch/{dispatch.pk}/change/").content.decode()

    assert all(card.number in html for card in cards)
    assert f"/admin/cards/dispatch/{dispatch.pk}/handover/{handover.pk}/manifest.pdf" in html


def test_it_sends_a_confirmed_dispatchs_receive_page_back_to_the_dispatch(client):
    dispatch, _cards = ready(1)
    client.force_login(kelurahan_user(KRANJI))

    response = client.get(f"/admin/cards/dispatch/{dispatch.pk}/receive/")

    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/cards/dispatch/{dispatch.pk}/change/")


def test_it_refuses_one_pickup_place_for_every_kelurahan(client):
    printed_cards(1)
    client.force_login(print_office_user())

    response = client.post("/admin/cards/dispatch/add/", {"kelurahan": "*", "pickup_place": "Aula Kota"})

    assert response.status_code == 200
    assert response.context["form"].errors["pickup_place"]
    assert Card.objects.filter(status=Card.Status.PRINTED).count() == 1
