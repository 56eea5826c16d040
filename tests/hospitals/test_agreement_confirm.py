"""The health office confirms the shipped demo agreements against the signed
PKS with the "confirm_selected" admin action: each stops being demo, says who
confirmed it and when, and leaves a history row. The changelists warn about
demo agreements until none is left."""

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.utils import timezone

from hospitals import services
from hospitals.models import Agreement
from tests.factories import staff_user, superuser
from tests.hospitals.helpers import facility, health_office_user

pytestmark = pytest.mark.django_db

AGREEMENT_ADMIN = "/admin/hospitals/agreement/"
FACILITY_ADMIN = "/admin/hospitals/facility/"


@pytest.fixture
def officer():
    return health_office_user()


@pytest.fixture
def office(client, officer):
    client.force_login(officer)
    return client


def confirm_selected(client, *agreements):
    return client.post(AGREEMENT_ADMIN, {
        "action": "confirm_selected", "index": "0", "_selected_action": [str(a.pk) for a in agreements],
    })


def warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.WARNING]


def test_it_confirms_the_selected_demo_agreements(office, officer):
    first, second = Agreement.objects.filter(is_demo=True).order_by("pks_number")[:2]
    before = timezone.now()

    response = confirm_selected(office, first, second)

    assert response.status_code == 302
    for agreement in (first, second):
        agreement.refresh_from_db()
        assert agreement.is_demo is False
        assert agreement.confirmed_by == officer
        assert before <= agreement.confirmed_at <= timezone.now()
    assert Agreement.objects.filter(is_demo=True).count() == 25
    done = [m for m in get_messages(response.wsgi_request) if m.level == messages.SUCCESS]
    assert len(done) == 1 and "2" in str(done[0])


def test_it_leaves_a_history_row_of_who_confirmed(office, officer):
    agreement = Agreement.objects.get(pks_number="DEMO-PKS-2018-001")
    rows_before = agreement.history.count()

    confirm_selected(office, agreement)

    assert agreement.history.count() == rows_before + 1
    latest = agreement.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.is_demo) == ("~", officer, False)
    assert latest.confirmed_by_id == officer.pk
    assert latest.history_change_reason


def test_it_leaves_the_unselected_agreements_demo(office):
    chosen = Agreement.objects.get(pks_number="DEMO-PKS-2018-005")

    confirm_selected(office, chosen)

    others = Agreement.objects.exclude(pk=chosen.pk)
    assert set(others.values_list("is_demo", flat=True)) == {True}
    assert not others.filter(confirmed_at__isnull=False).exists()


def test_it_does_not_reconfirm_an_agreement_already_confirmed(client, office):
    agreement = Agreement.objects.get(pks_number="DEMO-PKS-2018-002")
    first_officer = superuser()
    services.agreement_confirm(agreement_id=agreement.pk, by=first_officer)
    agreement.refresh_from_db()
    first_at, rows = agreement.confirmed_at, agreement.history.count()

    confirm_selected(office, agreement)

    agreement.refresh_from_db()
    assert (agreement.confirmed_by, agreement.confirmed_at) == (first_officer, first_at)
    assert agreement.history.count() == rows


def test_it_keeps_an_agreement_that_was_never_demo_unconfirmed(office):
    real = facility("RS PKS Asli").agreements.get()

    confirm_selected(office, real)

    real.refresh_from_db()
    assert (real.is_demo, real.confirmed_at, real.confirmed_by) == (False, None, None)


def test_it_keeps_kelurahan_staff_from_confirming(client):
    client.force_login(staff_user("32.75.02.1002"))
    agreement = Agreement.objects.get(pks_number="DEMO-PKS-2018-003")

    response = confirm_selected(client, agreement)

    assert response.status_code in (302, 403)
    agreement.refresh_from_db()
    assert (agreement.is_demo, agreement.confirmed_at) == (True, None)


@pytest.mark.parametrize("url", [AGREEMENT_ADMIN, FACILITY_ADMIN])
def test_it_warns_with_the_count_of_demo_agreements_left(office, url):
    response = office.get(url)

    assert response.status_code == 200
    assert len(warnings(response)) == 1
    assert "27" in warnings(response)[0]
    assert warnings(response)[0] in response.content.decode()
    assert 'class="warning"' in response.content.decode()

    confirm_selected(office, *Agreement.objects.filter(pks_number__in=["DEMO-PKS-2018-001", "DEMO-PKS-2018-002"]))
    response = office.get(url)

    assert "25" in warnings(response)[0]
    assert warnings(response)[0] in response.content.decode()


@pytest.mark.parametrize("url", [AGREEMENT_ADMIN, FACILITY_ADMIN])
def test_it_drops_the_warning_once_every_demo_agreement_is_confirmed(office, url):
    assert warnings(office.get(url))

    confirm_selected(office, *Agreement.objects.filter(is_demo=True))

    assert Agreement.objects.filter(is_demo=True).count() == 0
    response = office.get(url)
    assert response.status_code == 200
    assert warnings(response) == []
    assert 'class="warning"' not in response.content.decode()


def test_it_drops_the_warning_when_the_demo_agreements_are_ended_otherwise(office):
    Agreement.objects.update(is_demo=False)

    response = office.get(AGREEMENT_ADMIN)

    assert warnings(response) == []
