"""Every step of a card writes its CardEvent, in order, with the user who acted;
staff see the whole timeline on the card pages, citizens only their part
(no print-office internals) on the status page and in the API."""

import datetime as dt
import re

import pytest
from django.utils import dateformat, timezone, translation

from cards import services
from cards.models import Card, CardEvent
from cards.selectors import CITIZEN_EVENT_KINDS
from registrations.models import Registration
from tests.cards.distribution_helpers import head_of, kelurahan_user, print_office_user, printed_cards
from tests.cards.queue_helpers import claimed, receive
from tests.factories import KRANJI, superuser, verified
from tests.web.helpers import STATUS_URL, element

pytestmark = pytest.mark.django_db

DISPATCH_PLACE = "Aula Kelurahan Kranji"
COORDINATOR = "Pak Darto"
COORDINATOR_PLACE = "Rumah Pak Darto, Jl. Melati 12"
MISPRINT = "Cetakan buram di sudut kanan"


def _print(count: int = 1) -> None:
    receive(count, emergency_reserve=0)
    batch = claimed(count)
    services.batch_complete(batch_id=batch.pk, pdf_name=f"batches/timeline-{batch.pk}.pdf")


class Path:
    """One card taken through every step, with the users who acted."""

    def __init__(self, *, misprint: bool = True, until: str = "revoked", capture=None):
        self.root, self.office, self.staff = superuser(), print_office_user(), kelurahan_user()
        self.registration = verified(KRANJI, size=2)
        self.card = Card.objects.get(household=self.registration.household)
        household = self.card.household
        services.card_raise_to_emergency(household=household, reason="rawat_inap", by=self.office)
        _print()
        if misprint:
            services.card_spoil(card_id=self.card.pk, reason=MISPRINT, by=self.root)
            _print()
        self.dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=self.office, pickup_place=DISPATCH_PLACE)
        self._after_commit(capture, lambda: services.dispatch_receive(dispatch_id=self.dispatch.pk, by=self.staff))
        if until == "ready":
            return
        self._after_commit(capture, lambda: services.dispatch_hand_over(
            dispatch_id=self.dispatch.pk, rw=household.rw, coordinator_name=COORDINATOR,
            pickup_place=COORDINATOR_PLACE, by=self.staff,
        ))
        self.card.refresh_from_db()
        self.extended_to = self.card.pickup_deadline + dt.timedelta(days=14)
        services.card_extend_deadline(card_id=self.card.pk, until=self.extended_to, by=self.staff)
        services.card_collect(card_id=self.card.pk, by=self.staff, collector=Card.Collector.HEAD)
        if until == "collected":
            return
        self.new = services.card_reprint(card_id=self.card.pk, kind=Card.Kind.LOST, by=self.staff)

    @staticmethod
    def _after_commit(capture, step):
        if capture is None:
            step()
        else:
            with capture(execute=True):
                step()

    def events(self):
        """In the order they were written."""
        return list(CardEvent.objects.filter(card=self.card).order_by("id"))


def test_it_writes_every_step_in_order_with_who_acted():
    path = Path()

    events = path.events()

    assert [(e.kind, e.by_id) for e in events] == [
        ("queued", path.root.pk),
        ("raised", path.office.pk),
        ("printing", None),     # the worker's steps: nobody acted
        ("printed", None),
        ("misprinted", path.root.pk),
        ("printing", None),
        ("printed", None),
        ("dispatched", path.office.pk),
        ("ready", path.staff.pk),
        ("handed_over", path.staff.pk),
        ("extended", path.staff.pk),
        ("collected", path.staff.pk),
        ("revoked", path.staff.pk),
    ]
    at = [e.at for e in events]
    assert at == sorted(at)  # written in order, and dated in the same order
    notes = {e.kind: e.note for e in events}
    assert notes["misprinted"] == MISPRINT
    assert notes["ready"] == DISPATCH_PLACE
    assert COORDINATOR in notes["handed_over"] and COORDINATOR_PLACE in notes["handed_over"]
    assert notes["extended"] == path.extended_to.strftime("%d-%m-%Y")
    assert notes["revoked"]
    # The replacement starts its own timeline, saying what it replaces.
    (queued,) = CardEvent.objects.filter(card=path.new)
    assert queued.kind == "queued" and path.card.number in queued.note


def _inline_rows(html: str) -> int:
    match = re.search(r'name="events-TOTAL_FORMS"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="events-TOTAL_FORMS"', html)
    assert match, "no timeline inline on the page"
    return int(match.group(1) or match.group(2))


def test_it_shows_the_timeline_on_the_card_admin_page(client):
    path = Path()
    client.force_login(path.root)

    response = client.get(f"/admin/cards/card/{path.card.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert _inline_rows(html) == len(path.events()) == 13
    for text in (MISPRINT, DISPATCH_PLACE, COORDINATOR_PLACE, path.office.username, path.staff.username):
        assert text in html, text


def test_it_shows_the_timeline_on_the_pickup_card_page(client):
    path = Path(misprint=False, until="collected")
    client.force_login(path.staff)

    response = client.get(f"/admin/cards/pickupcard/{path.card.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert _inline_rows(html) == len(path.events()) == 9
    for text in (DISPATCH_PLACE, COORDINATOR_PLACE, path.extended_to.strftime("%d-%m-%Y")):
        assert text in html, text


def _status_page(client, path):
    nik = head_of(path.card).nik
    response = client.post(STATUS_URL, {"reference": path.registration.reference, "nik": nik})
    assert response.status_code == 200
    return element(response.content, "lookup-result")


def test_it_shows_the_card_steps_with_the_place_and_deadline_on_the_status_page(client):
    path = Path(misprint=False, until="ready")
    card = Card.objects.get(pk=path.card.pk)
    assert card.status == Card.Status.READY

    result = _status_page(client, path)

    steps = element(result, "card-history")
    shown = re.findall(r'<time datetime="([^"]+)"', steps)
    citizen = [e for e in path.events() if e.kind in CITIZEN_EVENT_KINDS]
    assert [e.kind for e in citizen] == ["queued", "printed", "dispatched", "ready"]
    assert shown == [timezone.localtime(e.at).isoformat() for e in citizen]
    assert steps.count("<li>") == 4
    assert DISPATCH_PLACE in result
    with translation.override("id"):
        assert dateformat.format(card.pickup_deadline, "j F Y") in result


def test_it_shows_no_pickup_place_once_the_card_is_collected(client):
    path = Path(misprint=False, until="collected")

    result = _status_page(client, path)

    assert element(result, "card-history").count("<li>") == 7  # queued ... collected
    assert COORDINATOR_PLACE not in result and DISPATCH_PLACE not in result


def test_it_gives_citizens_only_their_part_of_the_history_in_the_api(client, django_capture_on_commit_callbacks):
    path = Path(misprint=False, until="collected", capture=django_capture_on_commit_callbacks)
    kinds = [e.kind for e in path.events()]
    assert {"raised", "printing", "notified"} <= set(kinds)  # they happened, and stay with staff
    registration = Registration.objects.get(pk=path.registration.pk)

    response = client.get(f"/api/v1/registrations/{registration.reference}/", {"nik": head_of(path.card).nik})

    assert response.status_code == 200, response.content
    history = response.json()["card"]["history"]
    assert [step["event"] for step in history] == [
        "queued", "printed", "dispatched", "ready", "handed_over", "extended", "collected",
    ]
    assert [step["at"] for step in history] == sorted(step["at"] for step in history)
    assert not {"printing", "notified", "raised", "misprinted"} & {step["event"] for step in history}


def test_it_tells_citizens_a_misprinted_card_was_printed_again():
    from cards.selectors import card_timeline_for_citizen

    cards = printed_cards(1)
    services.card_spoil(card_id=cards[0].pk, reason="Tinta luntur di bagian nama", by=superuser())

    events = [step["event"] for step in card_timeline_for_citizen(cards[0])]
    assert events == ["queued", "printed", "misprinted"]
