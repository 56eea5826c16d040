import pytest

from tests.api.helpers import NOTHING, post_json, row_counts
from tests.factories import registration_data

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_it_refuses_a_name_that_is_not_text(api):
    data = registration_data(size=1)
    data["members"][0]["full_name"] = True

    response = post_json(api, data, **EN)

    assert response.status_code == 400
    assert response.json()["members"][0]["full_name"] == ["Send this field as text."]
    assert row_counts() == NOTHING


def test_it_refuses_an_address_of_symbols_only(api):
    response = post_json(api, registration_data(size=1, address="\u202e\u202e"), **EN)

    assert response.status_code == 400
    assert "address" in response.json()


@pytest.mark.parametrize("consent", [1, "1", "yes", "ya"])
def test_it_refuses_consent_that_is_not_true(api, consent):
    response = post_json(api, registration_data(size=1, consent=consent), **EN)

    assert response.status_code == 400
    assert "consent" in response.json()
    assert row_counts() == NOTHING


def test_it_refuses_a_scan_sent_inside_json(api):
    response = post_json(api, registration_data(size=1, kk_scan="iVBORw0KGgo="), **EN)

    assert response.status_code == 400
    assert "multipart" in response.json()["kk_scan"][0]
    assert row_counts() == NOTHING
