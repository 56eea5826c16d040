"""Cards waiting past their pickup deadline: exactly those are listed and
counted per kelurahan for its staff (by mail, without names or numbers);
a deadline can be extended, and an uncollected card returned and sent again."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from cards import selectors, services, tasks
from cards.models import Card, CardEvent, Dispatch
from kartusehat.refusals import Invalid
from tests.cards.distribution_helpers import head_of, kelurahan_user, printed_cards
from tests.factories import BINTARA, KRANJI, MARGAJAYA, staff_user, superuser

pytestmark = pytest.mark.django_db


def _in(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _dispatched(count: int, kelurahan: str, deadline_in: int, *, receive: bool = True) -> list[Card]:
    cards = printed_cards(count, kelurahan)
    dispatch = services.dispatch_create(kelurahan_code=kelurahan, by=superuser(), pickup_deadline=_in(deadline_in))
    if receive:
        services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())
    return [Card.objects.get(pk=card.pk) for card in cards]


@pytest.fixture
def cards():
    """Checked on day +11: which cards are past their deadline then."""
    kranji_late = _dispatched(3, KRANJI, 10)                    # due day +10
    collected = kranji_late.pop()
    services.card_collect(card_id=collected.pk, by=superuser(), collector=Card.Collector.HEAD)
    due_that_day = _dispatched(1, KRANJI, 11)                   # due day +11: still in time
    margajaya_late = _dispatched(1, MARGAJAYA, 10)
    returned = _dispatched(1, KRANJI, 10)[0]
    on_its_way = _dispatched(1, KRANJI, 10, receive=False)[0]
    # Even with a deadline on record, a card not yet at the kelurahan is not late.
    Card.objects.filter(pk=on_its_way.pk).update(pickup_deadline=_in(5))
    services.card_return(card_id=returned.pk, reason="Tidak diambil", by=superuser())
    return {
        "kranji_late": kranji_late, "margajaya_late": margajaya_late, "collected": collected,
        "due_that_day": due_that_day[0], "returned": returned, "on_its_way": on_its_way,
    }


def _late_ids(on) -> set[int]:
    return set(selectors.cards_overdue(on=on).values_list("pk", flat=True))


def _overdue(report: dict) -> dict:
    return {code: counts["overdue"] for code, counts in report.items() if counts["overdue"]}


def test_it_lists_exactly_the_waiting_cards_past_their_deadline(cards):
    expected = {c.pk for c in cards["kranji_late"] + cards["margajaya_late"]}

    assert _late_ids(_in(11)) == expected
    assert _late_ids(_in(10)) == set()  # due today is not late
    assert _late_ids(_in(12)) == expected | {cards["due_that_day"].pk}
    statuses = dict(Card.objects.filter(pk__in=[cards[k].pk for k in ("collected", "returned", "on_its_way")])
                    .values_list("pk", "status"))
    assert statuses == {cards["collected"].pk: "collected", cards["returned"].pk: "printed",
                        cards["on_its_way"].pk: "dispatched"}


def test_it_counts_the_late_cards_per_kelurahan(cards):
    report = services.pickup_overdue_report(today=_in(11))
    assert _overdue(report) == {KRANJI: 2, MARGAJAYA: 1}
    # The dispatch still on its way, sent more than a week before day +11, is unconfirmed.
    assert {code: c["unconfirmed"] for code, c in report.items()} == {KRANJI: 1, MARGAJAYA: 0}
    assert _overdue(services.pickup_overdue_report(today=_in(10))) == {}


def test_it_mails_each_kelurahans_staff_the_count_without_names_or_numbers(cards):
    kranji = staff_user(KRANJI, username="kranji", email="kranji@example.org")
    staff_user(KRANJI, username="kranji.nomail")
    margajaya = staff_user(MARGAJAYA, username="margajaya", email="margajaya@example.org")
    staff_user(BINTARA, username="bintara", email="bintara@example.org")  # nothing late there
    mail.outbox.clear()

    services.pickup_overdue_report(today=_in(11))

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipient) == {(kranji.email,), (margajaya.email,)}
    # Kranji: 2 late cards, and 1 dispatch unconfirmed after 7 days; Margajaya: 1 late card.
    assert sorted(re.findall(r"\b\d+\b", by_recipient[(kranji.email,)].body)) == sorted(
        ["2", "1", str(services.DISPATCH_CONFIRM_DAYS)]
    )
    assert re.findall(r"\b\d+\b", by_recipient[(margajaya.email,)].body) == ["1"]
    assert "Kranji" in by_recipient[(kranji.email,)].subject + by_recipient[(kranji.email,)].body
    every_card = Card.objects.all()
    secrets = [c.number for c in every_card] + [c.household.kk_number for c in every_card]
    for card in every_card:
        head = head_of(card)
        secrets += [head.full_name, head.nik]
    for message in mail.outbox:
        text = message.subject + message.body
        assert not [secret for secret in secrets if secret in text], text


def test_it_takes_a_card_off_the_list_when_its_deadline_is_extended(cards):
    late = cards["kranji_late"][0]

    extended = services.card_extend_deadline(card_id=late.pk, until=_in(30), by=kelurahan_user(KRANJI))

    assert extended.pickup_deadline == _in(30)
    assert extended.status == Card.Status.READY
    assert late.pk not in _late_ids(_in(11))
    assert cards["kranji_late"][1].pk in _late_ids(_in(11))
    assert _overdue(services.pickup_overdue_report(today=_in(11))) == {KRANJI: 1, MARGAJAYA: 1}
    assert CardEvent.objects.filter(card=late, kind="extended").count() == 1


@pytest.mark.parametrize("days_before", [0, 1])
def test_it_refuses_to_extend_to_the_same_or_an_earlier_date(cards, days_before):
    late = cards["kranji_late"][0]

    with pytest.raises(Invalid) as refused:
        services.card_extend_deadline(card_id=late.pk, until=late.pickup_deadline - dt.timedelta(days=days_before),
                                      by=kelurahan_user(KRANJI))

    assert refused.value.errors["until"]
    assert Card.objects.get(pk=late.pk).pickup_deadline == _in(10)
    assert not CardEvent.objects.filter(card=late, kind="extended").exists()


def test_it_refuses_to_extend_to_a_date_already_past():
    (card,) = _dispatched(1, KRANJI, 10)
    Card.objects.filter(pk=card.pk).update(pickup_deadline=_in(-10))  # ten days late

    with pytest.raises(Invalid) as refused:
        services.card_extend_deadline(card_id=card.pk, until=_in(-1), by=kelurahan_user(KRANJI))

    assert refused.value.errors["until"]
    assert Card.objects.get(pk=card.pk).pickup_deadline == _in(-10)


def test_it_returns_a_card_to_printed_and_sends_it_again_in_a_new_dispatch(cards):
    late = cards["kranji_late"][0]
    first_dispatch = late.dispatch_id

    returned = services.card_return(card_id=late.pk, reason="Tidak diambil sampai batas waktu",
        by=kelurahan_user(KRANJI))

    assert returned.status == Card.Status.PRINTED
    assert (returned.dispatch_id, returned.handover_id, returned.pickup_deadline, returned.ready_at) == (None, None,
        None, None)
    assert late.pk not in _late_ids(_in(11))
    assert CardEvent.objects.filter(card=late, kind="returned").count() == 1

    again = services.dispatch_create(kelurahan_code=KRANJI, by=superuser())

    assert again.pk != first_dispatch
    # With the card returned in the fixture, both go out again; nothing else.
    assert set(Card.objects.filter(dispatch=again).values_list("pk", flat=True)) == {late.pk, cards["returned"].pk}
    assert Card.objects.get(pk=late.pk).status == Card.Status.DISPATCHED
    assert CardEvent.objects.filter(card=late, kind="dispatched").count() == 2


def test_it_runs_the_daily_task_for_today():
    late, _in_time = _dispatched(2, KRANJI, 10)
    Card.objects.filter(pk=late.pk).update(pickup_deadline=_in(-1))

    assert tasks.pickup_overdue.delay().get() == {KRANJI: {"overdue": 1, "unconfirmed": 0}}
    assert Dispatch.objects.count() == 1


def test_it_schedules_the_overdue_report_in_celery_beat():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "cards.tasks.pickup_overdue" in tasks_scheduled
