"""Kelurahan and kecamatan staff open the admin on their area's work: each
count equals a recount of the raw rows of their area and links to the list
that shows exactly those rows."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cards.models import Card, Dispatch
from registrations.models import HouseholdImport, Region, Registration
from tests.admin.home_helpers import count, home_page, listed
from tests.cards.distribution_helpers import ready, sent
from tests.factories import BEKASI_BARAT, BINTARA, CITY, KRANJI, MARGAJAYA, staff_user, submit, superuser

pytestmark = pytest.mark.django_db


def world():
    """Work in Kranji, in Bintara (same kecamatan) and in Margajaya (elsewhere)."""
    today = timezone.localdate()
    _dispatch, kranji_cards = ready(3, KRANJI)
    Card.objects.filter(pk=kranji_cards[0].pk).update(pickup_deadline=today - dt.timedelta(days=1))
    ready(2, MARGAJAYA)
    _late, _cards = sent(1, KRANJI)
    Dispatch.objects.filter(pk=_late.pk).update(created_at=timezone.now() - dt.timedelta(days=9))
    sent(1, BINTARA)
    sent(1, MARGAJAYA)
    waiting = [submit(KRANJI) for _ in range(3)]
    Registration.objects.filter(pk=waiting[0].pk).update(submitted_at=timezone.now() - dt.timedelta(days=5))
    Registration.objects.filter(pk=waiting[1].pk).update(urgent_requested_at=timezone.now(), urgent_note="RSUD")
    submit(BINTARA)
    for _ in range(2):
        submit(MARGAJAYA)
    Registration.objects.filter(kelurahan__code=MARGAJAYA).update(urgent_requested_at=timezone.now())
    for codes, status in [([KRANJI], "checked"), ([KRANJI], "done"), ([MARGAJAYA], "checked"),
                          ([KRANJI, BINTARA], "checked")]:
        HouseholdImport.objects.create(filename="rw05.csv", size=10, sha256="0" * 64, allowed_kelurahan=codes,
                                       status=status, uploaded_by=superuser())


def recount(codes: list[str]) -> dict:
    ids = list(Region.objects.filter(code__in=codes).values_list("pk", flat=True))
    waiting = Registration.objects.filter(status="submitted", kelurahan_id__in=ids)
    imports = [i for i in HouseholdImport.objects.filter(status="checked")
               if all(code in codes for code in i.allowed_kelurahan)]
    ready_cards = Card.objects.filter(status="ready_for_pickup", household__kelurahan_id__in=ids)
    return {
        "waiting": set(waiting.values_list("pk", flat=True)),
        "urgent": set(waiting.filter(urgent_requested_at__isnull=False).values_list("pk", flat=True)),
        "imports": {i.pk for i in imports},
        "ready": set(ready_cards.values_list("pk", flat=True)),
        "overdue": set(ready_cards.filter(pickup_deadline__lt=timezone.localdate()).values_list("pk", flat=True)),
        "dispatches": set(Dispatch.objects.filter(status="sent", kelurahan_id__in=ids).values_list("pk", flat=True)),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("area", [KRANJI, BEKASI_BARAT, CITY])
def test_it_shows_the_areas_counts_each_linking_to_the_same_rows(area):
    world()
    codes = list(Region.objects.filter(code__startswith=area, level="kelurahan").values_list("code", flat=True))
    client = signed_in(staff_user(area))
    expected = recount(codes)

    page = home_page(client)

    assert page.sections[:3] == ["coverage", "registrations", "kelurahan-cards"]
    for key, rows in expected.items():
        assert count(page, key) == len(rows), key
        assert listed(client, page.figures[key][1]) == rows, key


# The kelurahan's work (the coverage above it: tests/admin/test_home_coverage.py).
WORK = ("waiting", "urgent", "imports", "ready", "overdue", "dispatches")


def test_it_counts_the_kelurahan_numbers_exactly():
    world()

    page = home_page(signed_in(staff_user(KRANJI)))

    counts = {key: count(page, key) for key in WORK}
    assert counts == {"waiting": 3, "urgent": 1, "imports": 1, "ready": 3, "overdue": 1, "dispatches": 1}


def test_it_says_how_long_the_oldest_registration_waits_and_lists_oldest_first():
    world()
    client = signed_in(staff_user(KRANJI))

    page = home_page(client)
    response = client.get(page.figures["waiting"][1])

    assert "5" in page.notes["waiting"].split()
    shown = [obj.pk for obj in response.context["cl"].result_list]
    submitted = list(Registration.objects.filter(pk__in=shown).order_by("submitted_at").values_list("pk", flat=True))
    assert shown == submitted


def test_it_never_counts_another_areas_rows():
    world()
    client = signed_in(staff_user(MARGAJAYA))

    page = home_page(client)

    assert {key: count(page, key) for key in WORK} == {
        "waiting": 2, "urgent": 2, "imports": 1, "ready": 2, "overdue": 0, "dispatches": 1}


def test_it_shows_nothing_to_staff_without_an_area():
    world()

    page = home_page(signed_in(staff_user(None)))

    assert {key: count(page, key) for key in page.figures} == {
        "waiting": 0, "urgent": 0, "imports": 0, "ready": 0, "overdue": 0, "dispatches": 0}


def test_it_keeps_the_list_of_apps_below():
    response = signed_in(staff_user(KRANJI)).get("/admin/")
    html = response.content.decode()

    assert html.index('id="work-registrations"') < html.index('class="app-registrations')
