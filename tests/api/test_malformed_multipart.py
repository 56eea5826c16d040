"""A multipart body that cannot be read is a 400 in the contract's JSON shape
on the API (never Django's HTML "Bad Request"), and a plain message on the
pages; an API path that does not exist is a JSON 404."""

import pytest

pytestmark = pytest.mark.django_db

BROKEN = [
    ("multipart/form-data", b"no boundary at all"),
    ("multipart/form-data; boundary=", b"an empty boundary"),
    ("multipart/form-data; boundary=\xff", b"a boundary that is not ASCII"),
]
ENDPOINTS = ["/api/v1/registrations/", "/api/v1/complaints/", "/api/v1/emergency-requests/"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("content_type,body", BROKEN)
def test_it_answers_a_broken_multipart_body_on_the_api_with_the_contracts_json(client, path, content_type, body):
    response = client.generic("POST", path, body, content_type=content_type)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert list(errors) == ["non_field_errors"]
    assert "multipart/form-data" in errors["non_field_errors"][0]


def test_it_answers_a_broken_multipart_body_in_the_callers_language(client):
    content_type, body = BROKEN[0]

    indonesian = client.generic("POST", ENDPOINTS[0], body, content_type=content_type).json()
    english = client.generic("POST", ENDPOINTS[0], body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en").json()

    assert english["non_field_errors"][0].startswith("The multipart/form-data body could not be read")
    assert indonesian != english


@pytest.mark.parametrize("content_type,body", BROKEN)
def test_it_answers_a_broken_multipart_form_page_with_a_plain_400(client, content_type, body):
    response = client.generic("POST", "/daftar/", body, content_type=content_type)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/registrations/KS-A/B/", "/api/v2/"])
def test_it_answers_an_unknown_api_path_with_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]


def test_it_keeps_the_sites_own_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
