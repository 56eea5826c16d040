"""Distribution in the admin: the print office sends dispatches; a kelurahan
sees and works on its own dispatches and cards only (receipt, handover,
manifests, pickup, deadlines, returns), every write through the services."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from cards import services
from cards.models import Card, CardEvent, Dispatch, Handover
from registrations.models import AccessLog
from tests.cards.distribution_helpers import head_of, kelurahan_user, print_office_user, printed_cards, ready, sent
from tests.factories import KRANJI, MARGAJAYA, superuser, verified

pytestmark = pytest.mark.django_db

DISPATCHES = "/admin/cards/dispatch/"
PICKUP = "/admin/cards/pickupcard/"


@pytest.fixture
def kranji(client):
    client.force_login(kelurahan_user(KRANJI, username="staf.kranji"))
    return client


@pytest.fixture
def print_office(client):
    client.force_login(print_office_user())
    return client


def _listed(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {obj.pk for obj in response.context["cl"].result_list}


def _denied(object_type: str, object_id) -> bool:
    return AccessLog.objects.filter(action="denied", object_type=object_type, object_id=str(object_id)).exists()


# --- The print office sends -----------------------------------------------------


def test_it_lets_the_print_office_send_one_kelurahans_printed_cards(print_office):
    kranji_cards = printed_cards(2, KRANJI)
    (margajaya_card,) = printed_cards(1, MARGAJAYA)

    response = print_office.post(f"{DISPATCHES}add/", {"kelurahan": KRANJI, "pickup_place": "", "pickup_deadline": ""})

    assert response.status_code == 302, response.content[:2000]
    dispatch = Dispatch.objects.get()
    assert (dispatch.kelurahan.code, dispatch.cards_count, dispatch.pickup_place) == (KRANJI, 2,
        "Kantor Kelurahan Kranji")
    assert set(dispatch.cards.values_list("pk", flat=True)) == {c.pk for c in kranji_cards}
    assert Card.objects.get(pk=margajaya_card.pk).status == Card.Status.PRINTED


def test_it_lets_the_print_office_send_every_kelurahans_cards_at_once(print_office):
    printed_cards(2, KRANJI)
    printed_cards(1, MARGAJAYA)

    response = print_office.post(f"{DISPATCHES}add/", {"kelurahan": "*", "pickup_place": "", "pickup_deadline": ""})

    assert response.status_code == 302, response.content[:2000]
    assert dict(Dispatch.objects.values_list("kelurahan__code", "cards_count")) == {KRANJI: 2, MARGAJAYA: 1}
    assert not Card.objects.filter(status=Card.Status.PRINTED).exists()


def test_it_shows_the_refusal_of_a_past_deadline_on_the_add_page(print_office):
    (card,) = printed_cards(1, KRANJI)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = print_office.post(f"{DISPATCHES}add/", {"kelurahan": KRANJI, "pickup_deadline": yesterday.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors["pickup_deadline"]
    assert not Dispatch.objects.exists()
    assert Card.objects.get(pk=card.pk).status == Card.Status.PRINTED


def test_it_does_not_let_kelurahan_staff_add_a_dispatch(kranji):
    printed_cards(1, KRANJI)

    response = kranji.post(f"{DISPATCHES}add/", {"kelurahan": KRANJI})

    assert response.status_code == 403
    assert not Dispatch.objects.exists()


# --- A kelurahan sees its own ----------------------------------------------------


def test_it_lists_only_the_kelurahans_own_dispatches(kranji):
    own, _cards = sent(1, KRANJI)
    other, _other_cards = sent(1, MARGAJAYA)

    listed = _listed(kranji.get(DISPATCHES))

    assert listed == {own.pk}
    assert other.pk not in listed


@pytest.mark.parametrize("page", ["receive/", "handover/"])
def test_it_answers_404_to_a_post_on_another_kelurahans_dispatch_and_logs_it(kranji, page):
    other, (card,) = sent(1, MARGAJAYA)

    response = kranji.post(f"{DISPATCHES}{other.pk}/{page}", {
        "missing": [str(card.pk)], "rw": card.household.rw, "coordinator_name": "Bapak Sutrisno",
        "pickup_place": "Pos RW 1",
    })

    assert response.status_code == 404
    assert _denied("dispatch", other.pk)
    other.refresh_from_db()
    assert other.status == Dispatch.Status.SENT
    assert Card.objects.get(pk=card.pk).status == Card.Status.DISPATCHED
    assert not Handover.objects.exists()


@pytest.mark.parametrize("page", ["receive/", "handover/", "manifest.csv", "manifest.pdf"])
def test_it_answers_404_to_another_kelurahans_dispatch_pages_and_logs_it(kranji, page):
    other, _cards = sent(1, MARGAJAYA)

    response = kranji.get(f"{DISPATCHES}{other.pk}/{page}")

    assert response.status_code == 404
    assert _denied("dispatch", other.pk)
    assert not AccessLog.objects.filter(action="export").exists()


def test_it_does_not_show_another_kelurahans_dispatch_page(kranji):
    other, (card,) = sent(1, MARGAJAYA)

    response = kranji.get(f"{DISPATCHES}{other.pk}/change/", follow=True)

    assert card.number not in response.content.decode()
    assert _denied("dispatch", other.pk)
    assert not AccessLog.objects.filter(action="view", object_type="dispatch").exists()


# --- Receipt, handover, manifests ------------------------------------------------


def test_it_confirms_receipt_with_one_card_reported_missing(kranji):
    dispatch, (arrived, lost) = sent(2, KRANJI)

    page = kranji.get(f"{DISPATCHES}{dispatch.pk}/receive/")
    assert page.status_code == 200
    assert lost.number in page.content.decode()
    response = kranji.post(f"{DISPATCHES}{dispatch.pk}/receive/", {"missing": [str(lost.pk)]})

    assert response.status_code == 302, response.content[:2000]
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.missing_count) == (Dispatch.Status.RECEIVED, 1)
    assert Card.objects.get(pk=arrived.pk).status == Card.Status.READY
    assert Card.objects.get(pk=lost.pk).status == Card.Status.REVOKED
    assert Card.objects.get(replaces=lost).status == Card.Status.QUEUED


def test_it_confirms_receipt_of_everything_when_nothing_is_ticked(kranji):
    dispatch, cards = sent(2, KRANJI)

    page = kranji.get(f"{DISPATCHES}{dispatch.pk}/receive/")
    # What a browser sends when no box is ticked: the CSRF token only.
    response = kranji.post(f"{DISPATCHES}{dispatch.pk}/receive/",
        {"csrfmiddlewaretoken": str(page.context["csrf_token"])})

    assert response.status_code == 302
    assert {Card.objects.get(pk=c.pk).status for c in cards} == {Card.Status.READY}


def test_it_hands_an_rws_cards_to_its_coordinator(kranji):
    dispatch, (card,) = ready(1, KRANJI)
    rw = card.household.rw

    response = kranji.post(f"{DISPATCHES}{dispatch.pk}/handover/", {
        "rw": str(int(rw)), "coordinator_name": "Bapak Sutrisno", "coordinator_phone": "081234567890",
        "pickup_place": "Rumah Pak RW, Jl. Kenari 4",
    })

    assert response.status_code == 302, response.content[:2000]
    handover = Handover.objects.get()
    assert (handover.dispatch_id, handover.rw) == (dispatch.pk, rw)
    card.refresh_from_db()
    assert (card.handover_id, card.pickup_place) == (handover.pk, "Rumah Pak RW, Jl. Kenari 4")


def test_it_shows_a_handover_refusal_on_the_form(kranji):
    dispatch, _cards = sent(1, KRANJI)  # not received yet

    response = kranji.post(f"{DISPATCHES}{dispatch.pk}/handover/", {
        "rw": "001", "coordinator_name": "Bapak Sutrisno", "pickup_place": "Rumah Pak RW",
    })

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Handover.objects.exists()


def test_it_downloads_the_manifest_as_csv_with_numbers_names_rt_and_rw(kranji):
    dispatch, cards = sent(3, KRANJI)

    response = kranji.get(f"{DISPATCHES}{dispatch.pk}/manifest.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["card_number", "head_of_household", "rt", "rw"]
    expected = {(c.number, head_of(c).full_name.lstrip("=+-@"), c.household.rt, c.household.rw) for c in cards}
    assert {(r[0], r[1].lstrip("'=+-@"), r[2], r[3]) for r in rows[1:]} == expected
    entry = AccessLog.objects.get(action="export")
    assert (entry.object_type, entry.object_id) == ("manifest", str(dispatch.pk))


def test_it_downloads_the_manifest_as_pdf(kranji):
    dispatch, _cards = sent(2, KRANJI)

    response = kranji.get(f"{DISPATCHES}{dispatch.pk}/manifest.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="export", object_type="manifest", object_id=str(dispatch.pk)).count() == 1


def test_it_downloads_a_handovers_manifest_with_only_its_cards(kranji):
    dispatch, cards = ready(2, KRANJI)
    card = cards[0]
    handover = services.dispatch_hand_over(dispatch_id=dispatch.pk, rw=card.household.rw, by=kelurahan_user(KRANJI),
                                           coordinator_name="Ibu Wartini", pickup_place="Balai Warga RW")
    in_rw = set(handover.cards.values_list("number", flat=True))

    response = kranji.get(f"{DISPATCHES}{dispatch.pk}/handover/{handover.pk}/manifest.csv")

    assert response.status_code == 200
    numbers = {row[0] for row in list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]}
    assert numbers == in_rw and card.number in numbers


# --- Cards at the kelurahan --------------------------------------------------------


def test_it_lists_only_the_areas_cards_and_filters_the_late_ones(kranji):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _dispatch, (late, in_time) = ready(2, KRANJI)
    Card.objects.filter(pk=late.pk).update(pickup_deadline=yesterday)
    _elsewhere, (other,) = ready(1, MARGAJAYA)
    Card.objects.filter(pk=other.pk).update(pickup_deadline=yesterday)
    queued = Card.objects.get(household=verified(KRANJI).household)  # not printed yet: not the kelurahan's business

    assert _listed(kranji.get(PICKUP)) == {late.pk, in_time.pk}
    assert _listed(kranji.get(PICKUP, {"overdue": "1"})) == {late.pk}
    assert queued.status == Card.Status.QUEUED


def test_it_records_a_pickup_by_the_head_from_the_admin(kranji):
    _dispatch, (card,) = ready(1, KRANJI)

    response = kranji.post(f"{PICKUP}{card.pk}/collect/", {"collector": "head"})

    assert response.status_code == 302, response.content[:2000]
    card.refresh_from_db()
    assert (card.status, card.collected_by_kind, card.collected_name) == (
        Card.Status.COLLECTED, "head", head_of(card).full_name)
    assert card.collection_recorded_by.username == "staf.kranji"


def test_it_answers_404_for_another_kelurahans_card_and_logs_the_attempt(kranji):
    _dispatch, (card,) = ready(1, MARGAJAYA)

    response = kranji.post(f"{PICKUP}{card.pk}/collect/", {"collector": "head"})

    assert response.status_code == 404
    assert _denied("card", card.pk)
    assert Card.objects.get(pk=card.pk).status == Card.Status.READY


def test_it_extends_the_deadline_of_the_selected_cards(kranji):
    _dispatch, cards = ready(2, KRANJI)
    until = timezone.localdate() + dt.timedelta(days=90)

    response = kranji.post(PICKUP, {
        "action": "extend_selected", "_selected_action": [str(c.pk) for c in cards], "apply": "1",
        "until": until.isoformat(),
    })

    assert response.status_code == 302, response.content[:2000]
    assert {Card.objects.get(pk=c.pk).pickup_deadline for c in cards} == {until}
    assert CardEvent.objects.filter(kind="extended").count() == 2


def test_it_asks_for_the_new_date_before_extending(kranji):
    _dispatch, (card,) = ready(1, KRANJI)

    response = kranji.post(PICKUP, {"action": "extend_selected", "_selected_action": [str(card.pk)]})

    assert response.status_code == 200
    assert "until" in response.context["form"].fields
    assert Card.objects.get(pk=card.pk).pickup_deadline == card.pickup_deadline


def test_it_returns_the_selected_cards_but_not_another_areas(kranji):
    _dispatch, (card,) = ready(1, KRANJI)
    _elsewhere, (other,) = ready(1, MARGAJAYA)

    response = kranji.post(PICKUP, {
        "action": "return_selected", "_selected_action": [str(card.pk), str(other.pk)], "apply": "1",
        "reason": "Tidak diambil sampai batas waktu",
    })

    assert response.status_code == 302, response.content[:2000]
    card.refresh_from_db()
    assert (card.status, card.dispatch_id, card.pickup_deadline) == (Card.Status.PRINTED, None, None)
    assert Card.objects.get(pk=other.pk).status == Card.Status.READY
    assert _denied("card", other.pk)


def test_it_lists_no_card_that_is_still_or_again_at_the_print_office(kranji):
    # Printed and not sent, or returned: the print office's, not the kelurahan's.
    _dispatch, (returned, waiting) = ready(2, KRANJI)
    services.card_return(card_id=returned.pk, reason="Tidak diambil sampai batas waktu", by=superuser())
    printed = printed_cards(1, KRANJI)[0]

    assert _listed(kranji.get(PICKUP)) == {waiting.pk}
    assert Card.objects.get(pk=printed.pk).status == Card.Status.PRINTED


def test_it_refuses_to_send_every_kelurahan_when_nothing_waits(print_office):
    response = print_office.post(f"{DISPATCHES}add/", {"kelurahan": "*"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Dispatch.objects.exists()
