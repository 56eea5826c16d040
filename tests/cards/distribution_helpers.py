"""Shared set-up for the distribution tests: printed cards of real verified
households, dispatches, and users of the print office and of a kelurahan."""

from __future__ import annotations

from django.contrib.auth.models import Group

from cards import services
from cards.models import Card, Dispatch
from cards.roles import PRINT_OFFICE
from registrations.models import Region, StaffArea
from tests.cards.queue_helpers import claimed, receive
from tests.factories import CITY, KRANJI, UserFactory, staff_user, superuser, verified


def print_office_user(username: str = "cetak"):
    """An operator of the print office, working for the whole city."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=PRINT_OFFICE))
    StaffArea.objects.get_or_create(user=user, defaults={"region": Region.objects.get(code=CITY)})
    return user


def kelurahan_user(area_code: str = KRANJI, username: str | None = None):
    return staff_user(area_code, **({"username": username} if username else {}))


def printed_cards(count: int = 1, kelurahan_code: str = KRANJI, **overrides) -> list[Card]:
    """``count`` verified households of the kelurahan with their cards printed."""
    registrations = [verified(kelurahan_code, **overrides) for _ in range(count)]
    receive(count, emergency_reserve=0)
    batch = claimed(count)
    services.batch_complete(batch_id=batch.pk, pdf_name=f"batches/test-{batch.pk}.pdf")
    cards = list(Card.objects.filter(household__in=[r.household for r in registrations]).order_by("pk"))
    assert all(card.status == Card.Status.PRINTED for card in cards), [c.status for c in cards]
    return cards


def sent(count: int = 1, kelurahan_code: str = KRANJI, **dispatch) -> tuple[Dispatch, list[Card]]:
    """Printed cards of one kelurahan, sent in a dispatch by a superuser."""
    cards = printed_cards(count, kelurahan_code)
    created = services.dispatch_create(kelurahan_code=kelurahan_code, by=superuser(), **dispatch)
    return created, [Card.objects.get(pk=card.pk) for card in cards]


def ready(count: int = 1, kelurahan_code: str = KRANJI, **dispatch) -> tuple[Dispatch, list[Card]]:
    """Cards received by their kelurahan: ready for pickup."""
    created, cards = sent(count, kelurahan_code, **dispatch)
    services.dispatch_receive(dispatch_id=created.pk, by=superuser())
    return Dispatch.objects.get(pk=created.pk), [Card.objects.get(pk=card.pk) for card in cards]


def head_of(card: Card):
    return card.household.members.get(relationship="kepala_keluarga", end_date__isnull=True)
