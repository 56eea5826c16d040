"""GET /api/v1/registrations/{reference}/?nik=: every miss is a 404 with the
same bytes, so a caller cannot tell which part was wrong."""

import json

import pytest

from tests.api.helpers import post_json, status_url
from tests.factories import registration_data

pytestmark = pytest.mark.django_db

UNKNOWN_REFERENCE = "KS-0000-0000-0000"


@pytest.fixture
def household(api):
    data = registration_data(size=2)
    response = post_json(api, data)
    assert response.status_code == 201, response.content
    return response.json()["reference"], data


def _misses(reference, data):
    other = registration_data(size=1)["members"][0]["nik"]  # valid, but of nobody in this household
    member = data["members"][0]["nik"]
    return {
        "unknown reference": (status_url(UNKNOWN_REFERENCE), {"nik": member}),
        "garbage reference": (status_url("not-a-reference"), {"nik": member}),
        "NIK not a member": (status_url(reference), {"nik": other}),
        "KK number as NIK": (status_url(reference), {"nik": data["kk_number"]}),
        "NIK missing": (status_url(reference), {}),
        "NIK empty": (status_url(reference), {"nik": ""}),
        "NIK too short": (status_url(reference), {"nik": member[:15]}),
        "NIK with letters": (status_url(reference), {"nik": member[:15] + "X"}),
        "NIK twice as long": (status_url(reference), {"nik": member * 2}),
        "NIK SQL-ish": (status_url(reference), {"nik": "' OR '1'='1"}),
    }


def test_it_answers_every_miss_with_the_same_404_body(api, household):
    reference, data = household
    bodies = {}

    for name, (url, query) in _misses(reference, data).items():
        response = api.get(url, query)
        assert response.status_code == 404, (name, response.status_code, response.content)
        bodies[name] = (response.content, response["Content-Type"])

    assert len(set(bodies.values())) == 1, bodies
    content, content_type = next(iter(bodies.values()))
    assert content_type == "application/json"
    assert list(json.loads(content)) == ["detail"]


def test_it_answers_the_same_404_in_english_for_every_miss(api, household):
    reference, data = household

    misses = _misses(reference, data).values()

    bodies = {api.get(url, query, HTTP_ACCEPT_LANGUAGE="en").content for url, query in misses}

    assert bodies == {b'{"detail":"No registration matches this reference and NIK."}'}


def test_it_answers_the_404_in_bahasa_indonesia_by_default(api, household):
    reference, _data = household

    indonesian = api.get(status_url(reference), {"nik": "1"}).json()["detail"]
    english = api.get(status_url(reference), {"nik": "1"}, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]

    assert indonesian != english


def test_it_answers_a_nik_with_a_nul_character_like_any_other_miss(api, household):
    reference, data = household

    miss = api.get(status_url(reference), {"nik": "1"})
    with_nul = api.get(status_url(reference), {"nik": data["members"][0]["nik"] + "\x00"})

    assert (with_nul.status_code, with_nul.content) == (404, miss.content)
