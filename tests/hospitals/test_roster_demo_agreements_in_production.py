"""In production (HOSPITALS_DEMO_AGREEMENTS_IN_FORCE off) the starting
roster's demo agreements count for nothing until the health office confirms
them: the facility is not published, its users are refused, and a demo
renewal does not extend "valid until". Outside production they count."""

import pytest
from django.conf import settings as django_settings

from hospitals import services
from hospitals.models import Agreement
from tests.factories import superuser
from tests.hospitals.helpers import (
    HOSPITALS_URL,
    days,
    facility,
    hospital_key,
    hospital_user,
    keyed,
    unregistered_nik,
    verify,
)
from tests.web.helpers import element, text

pytestmark = pytest.mark.django_db

PAGE_URL = "/rumah-sakit/"


@pytest.fixture
def production(settings):
    settings.HOSPITALS_DEMO_AGREEMENTS_IN_FORCE = False
    return settings


def demo_facility(name: str):
    """A facility whose only agreement (in force by its dates) is demo data."""
    place = facility(name)
    Agreement.objects.filter(facility=place).update(is_demo=True)
    return place


def listed_ids(api) -> set[int]:
    response = api.get(HOSPITALS_URL)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()}


def test_demo_agreements_count_in_tests_as_outside_production():
    assert django_settings.PRODUCTION is False
    assert django_settings.HOSPITALS_DEMO_AGREEMENTS_IN_FORCE is True


def test_it_publishes_none_of_the_shipped_demo_roster_in_production(api, client, production):
    assert Agreement.objects.filter(is_demo=False).count() == 0  # the shipped roster is all demo

    assert listed_ids(api) == set()
    response = client.get(PAGE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li class="facility">' not in html
    assert "RS Hermina Bekasi" not in html
    assert text(element(html, "empty"))


def test_it_publishes_the_shipped_roster_outside_production(api, client):
    assert len(listed_ids(api)) == 27
    assert client.get(PAGE_URL).content.decode().count('<li class="facility">') == 27


def test_it_refuses_a_hospital_user_of_a_demo_only_facility_in_production(api, production):
    _staff, key = hospital_key(hospital_user(demo_facility("RS Demo Saja")))

    response = verify(keyed(api, key), {"nik": unregistered_nik()})

    assert response.status_code == 403
    assert "RS Demo Saja" in response.json()["detail"]


def test_it_lets_the_same_user_in_outside_production(api):
    _staff, key = hospital_key(hospital_user(demo_facility("RS Demo Saja")))

    response = verify(keyed(api, key), {"nik": unregistered_nik()})

    assert response.status_code == 200
    assert response.json()["reason_code"] == "not_registered"


def test_it_publishes_and_opens_the_facility_once_its_agreement_is_confirmed(api, production):
    place = demo_facility("RS Demo Dikonfirmasi")
    _staff, key = hospital_key(hospital_user(place))
    assert place.pk not in listed_ids(api)
    assert verify(keyed(api, key), {"nik": unregistered_nik()}).status_code == 403

    services.agreement_confirm(agreement_id=place.agreements.get().pk, by=superuser())

    assert place.pk in listed_ids(api)
    response = verify(keyed(api, key), {"nik": unregistered_nik()})
    assert response.status_code == 200, response.content


def test_it_ignores_a_demo_renewal_in_valid_until_in_production(api, production):
    place = facility("RS Perpanjangan Demo", start=days(-100), end=days(30))
    Agreement.objects.create(facility=place, pks_number="DEMO-PKS-RENEWAL", start_date=days(31), end_date=days(400),
                             is_demo=True)

    item = next(i for i in api.get(HOSPITALS_URL).json() if i["id"] == place.pk)

    assert item["agreement_valid_until"] == days(30).isoformat()


def test_it_counts_a_demo_renewal_in_valid_until_outside_production(api):
    place = facility("RS Perpanjangan Demo", start=days(-100), end=days(30))
    Agreement.objects.create(facility=place, pks_number="DEMO-PKS-RENEWAL", start_date=days(31), end_date=days(400),
                             is_demo=True)

    item = next(i for i in api.get(HOSPITALS_URL).json() if i["id"] == place.pk)

    assert item["agreement_valid_until"] == days(400).isoformat()
