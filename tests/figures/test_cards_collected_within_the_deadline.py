"""Cards collected on or before their pickup deadline's day (city time) and after it,
per kelurahan, equal a recount from the raw cards; a kelurahan sees its own only; the
dashboard's table shows the share on time and downloads as CSV."""

import csv
import datetime as dt
import io
from collections import defaultdict

import pytest
from django.utils import timezone

from cards import services as card_services
from cards.models import Card
from figures import selectors, services
from figures.models import KelurahanFigures
from tests.cards.distribution_helpers import ready
from tests.factories import CITY, KRANJI, MARGAJAYA, staff_user, superuser
from tests.figures.dashboard_helpers import signed_in
from tests.figures.helpers import region_id

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 3, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def collected(card: Card, when: dt.datetime) -> None:
    card_services.card_collect(card_id=card.pk, by=superuser(), collector="head")
    Card.objects.filter(pk=card.pk).update(collected_at=when, pickup_deadline=DEADLINE)


def a_city() -> None:
    _dispatch, kranji = ready(5, KRANJI)
    _dispatch, margajaya = ready(2, MARGAJAYA)
    collected(kranji[0], at(DEADLINE, 23, 30))  # the deadline's last hour, city time: on time
    collected(kranji[1], at(DEADLINE - dt.timedelta(days=3), 9))
    collected(kranji[2], at(DEADLINE + dt.timedelta(days=1), 0, 30))  # just past it: late
    # Collected late, then lost and revoked: it was still collected late.
    collected(kranji[3], at(DEADLINE + dt.timedelta(days=8), 10))
    card_services.card_reprint(card_id=kranji[3].pk, kind=Card.Kind.LOST, by=superuser())
    # kranji[4] is still waiting: not collected, counted nowhere.
    collected(margajaya[0], at(DEADLINE + dt.timedelta(days=2), 11))
    collected(margajaya[1], at(DEADLINE + dt.timedelta(days=4), 11))


def recount() -> dict[int, dict[str, int]]:
    rows: dict[int, dict[str, int]] = defaultdict(lambda: {"on_time": 0, "late": 0})
    for card in Card.objects.select_related("household"):
        if card.collected_at is None:
            continue
        on_time = timezone.localdate(card.collected_at) <= card.pickup_deadline
        rows[card.household.kelurahan_id]["on_time" if on_time else "late"] += 1
    return dict(rows)


def test_it_counts_cards_collected_by_and_after_the_deadline_as_a_recount_does():
    a_city()

    services.figures_recompute()

    rolled = {row.kelurahan_id: {"on_time": row.collected_on_time, "late": row.collected_late}
              for row in KelurahanFigures.objects.all() if row.collected_on_time or row.collected_late}
    assert rolled == recount()
    assert rolled == {region_id(KRANJI): {"on_time": 2, "late": 2}, region_id(MARGAJAYA): {"on_time": 0, "late": 2}}


def test_it_shows_a_kelurahan_its_own_cards_only():
    a_city()
    services.figures_recompute()

    kranji = selectors.cards_collected_on_time(selectors.figures_area(staff_user(KRANJI)))
    city = selectors.cards_collected_on_time(selectors.figures_area(superuser()))

    assert kranji["area"] == {"code": KRANJI, "name": kranji["area"]["name"], "on_time": 2, "late": 2,
                              "on_time_pct": 50.0}
    assert [row["code"] for row in kranji["kelurahan"]] == [KRANJI]
    assert city["area"]["on_time"] == 2 and city["area"]["late"] == 4 and city["area"]["on_time_pct"] == 33.3
    margajaya = next(row for row in city["kelurahan"] if row["code"] == MARGAJAYA)
    assert margajaya["on_time_pct"] == 0.0
    untouched = [row for row in city["kelurahan"] if row["code"] not in (KRANJI, MARGAJAYA)]
    assert untouched and all(row["on_time_pct"] is None for row in untouched)


def test_it_puts_the_share_on_time_on_the_dashboard_and_in_its_download():
    a_city()
    services.figures_recompute()
    client = signed_in(staff_user(KRANJI, username="kel.kranji"))

    page = client.get("/admin/figures/dashboard/")
    download = client.get("/admin/figures/dashboard/cards-on-time.csv")

    assert page.status_code == 200
    assert b'data-table="cards-on-time"' in page.content
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][1:] == [KRANJI, "2", "2", "50.0"]
    assert len(rows) == 2


def test_it_leaves_the_cards_api_as_the_contract_has_it():
    a_city()
    services.figures_recompute()
    client = signed_in(staff_user(CITY, username="kota.bekasi"))

    body = client.get("/api/v1/stats/cards/").json()

    assert set(body) == {"as_of", "by_status", "emergency_queued", "overdue_pickup", "printed_per_week"}
