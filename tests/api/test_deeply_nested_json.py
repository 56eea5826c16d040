import pytest

from tests.api.helpers import NOTHING, REGISTRATIONS_URL, row_counts

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("url", [REGISTRATIONS_URL, "/api/v1/complaints/"])
def test_it_refuses_json_nested_too_deeply_with_a_400(api, url):
    response = api.post(url, data='{"name": ' + DEEP + "}", content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert row_counts() == NOTHING


def test_it_refuses_deep_json_in_multipart_members(api):
    response = api.post(REGISTRATIONS_URL, {"members": DEEP, "kk_number": "1"}, format="multipart")

    assert response.status_code == 400
    assert "members" in response.json()
    assert row_counts() == NOTHING
