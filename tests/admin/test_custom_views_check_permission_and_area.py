"""Issue #13, item 3: a staff user whose area covers the kelurahan gets a
custom admin page or file only with the permission for it. The complaint desk
and the health office work for the whole city, and were handed the dispatch
manifests (card numbers, heads' names, RT/RW) while the dispatch pages said 403.
The whole role-by-page matrix is walked in test_permission_matrix.py."""

import pytest
from django.contrib.auth.models import Group

from cards.models import Handover
from cards.roles import PRINT_OFFICE
from complaints.roles import COMPLAINT_DESK
from hospitals.roles import HEALTH_OFFICE
from registrations.models import AccessLog, Region, StaffArea
from registrations.roles import AUDITOR
from tests.cards.distribution_helpers import head_of, kelurahan_user, ready
from tests.factories import CITY, MARGAJAYA, UserFactory, superuser

pytestmark = pytest.mark.django_db


def city_user(group: str | None, username: str):
    """A staff user of ``group`` (None: no role at all) working for the whole city."""
    user = UserFactory(username=username)
    if group:
        user.groups.add(Group.objects.get(name=group))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=CITY))
    return user


@pytest.fixture
def dispatch_with_handover():
    from cards import services

    dispatch, (card,) = ready(1)
    handover = services.dispatch_hand_over(
        dispatch_id=dispatch.pk, by=superuser(), rw=card.household.rw, coordinator_name="Bapak Sutrisno",
        coordinator_phone="", pickup_place="Pos RW",
    )
    return dispatch, handover, card


def manifest_urls(dispatch, handover: Handover) -> list[str]:
    base = f"/admin/cards/dispatch/{dispatch.pk}"
    return [f"{base}/manifest.pdf", f"{base}/manifest.csv",
            f"{base}/handover/{handover.pk}/manifest.pdf", f"{base}/handover/{handover.pk}/manifest.csv"]


@pytest.mark.parametrize("group", [COMPLAINT_DESK, HEALTH_OFFICE, AUDITOR, None])
def test_it_refuses_every_manifest_to_a_city_wide_role_without_the_dispatch_permission(
    client, dispatch_with_handover, group
):
    dispatch, handover, card = dispatch_with_handover
    client.force_login(city_user(group, "kota.lain"))

    for url in manifest_urls(dispatch, handover):
        response = client.get(url)

        assert response.status_code == 403, url
        assert card.number.encode() not in response.content
        assert head_of(card).full_name.encode() not in response.content
    assert not AccessLog.objects.filter(action="export").exists()


@pytest.mark.parametrize("page", ["receive/", "handover/"])
def test_it_refuses_the_dispatch_forms_to_the_complaint_desk(client, dispatch_with_handover, page):
    dispatch, _handover, _card = dispatch_with_handover
    client.force_login(city_user(COMPLAINT_DESK, "aduan"))

    assert client.get(f"/admin/cards/dispatch/{dispatch.pk}/{page}").status_code == 403


def test_it_hands_the_manifests_to_the_print_office_and_the_kelurahan_of_the_dispatch(client, dispatch_with_handover):
    dispatch, handover, card = dispatch_with_handover

    for user in (city_user(PRINT_OFFICE, "cetak"), kelurahan_user()):
        client.force_login(user)
        for url in manifest_urls(dispatch, handover):
            response = client.get(url)

            assert response.status_code == 200, (user, url)
        csv_text = client.get(manifest_urls(dispatch, handover)[1]).content.decode("utf-8-sig")
        assert card.number in csv_text


def test_it_answers_404_to_a_kelurahan_outside_the_dispatchs_area(client, dispatch_with_handover):
    dispatch, handover, _card = dispatch_with_handover
    client.force_login(kelurahan_user(MARGAJAYA))

    for url in manifest_urls(dispatch, handover):
        assert client.get(url).status_code == 404, url
    assert AccessLog.objects.filter(action="denied", object_type="dispatch", object_id=str(dispatch.pk)).exists()


def test_it_shows_no_manifest_link_to_a_role_that_may_only_read_dispatches(client, dispatch_with_handover):
    dispatch, handover, _card = dispatch_with_handover
    client.force_login(city_user(AUDITOR, "auditor"))

    listing = client.get("/admin/cards/dispatch/")
    page = client.get(f"/admin/cards/dispatch/{dispatch.pk}/change/")

    assert listing.status_code == page.status_code == 200
    for url in manifest_urls(dispatch, handover):
        assert url not in listing.content.decode()
        assert url not in page.content.decode()
