"""POST /api/v1/registrations/: rules about the member list as a whole (one
head, no NIK twice, 1 to 20 members) answer 400 under ``members`` or
``non_field_errors``, and nothing is written."""

import copy

import pytest

from tests.api.helpers import list_rule_messages, member_messages, messages, post_json, refused
from tests.factories import registration_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_it_refuses_a_household_without_a_kepala_keluarga(api):
    data = registration_data(size=3)
    data["members"][0]["relationship"] = "suami"

    errors = refused(post_json(api, data, **EN))

    assert "none is marked" in list_rule_messages(errors)


def test_it_refuses_a_household_with_two_heads(api):
    data = registration_data(size=3)
    data["members"][2]["relationship"] = "kepala_keluarga"

    errors = refused(post_json(api, data, **EN))

    assert "2 are marked" in list_rule_messages(errors)


def test_it_refuses_a_nik_listed_twice(api):
    data = registration_data(size=3)
    data["members"][2] = copy.deepcopy(data["members"][1])
    data["members"][2]["relationship"] = "anak"

    errors = refused(post_json(api, data, **EN))

    assert "member 3 is the same as that of member 2" in list_rule_messages(errors)


def test_it_refuses_a_nik_listed_twice_with_different_separators(api):
    data = registration_data(size=3)
    twin = copy.deepcopy(data["members"][1])
    nik = twin["nik"]
    twin.update(nik=f"{nik[:4]}.{nik[4:8]}.{nik[8:12]}-{nik[12:]}", relationship="anak")
    data["members"][2] = twin

    errors = refused(post_json(api, data, **EN))

    assert "the same as that of member 2" in list_rule_messages(errors)


@pytest.mark.parametrize("members", [None, 3, {"nik": "3275011505800003"}, True])
def test_it_refuses_members_that_are_not_a_list(api, members):
    errors = refused(post_json(api, registration_data(size=1, members=members), **EN))

    assert list(errors) == ["members"]
    assert "at least one member" in messages(errors, "members")


def test_it_refuses_members_sent_as_text(api):
    errors = refused(post_json(api, registration_data(size=1, members="Budi Santoso"), **EN))

    assert list(errors) == ["members"]
    assert "JSON list" in messages(errors, "members")


def test_it_refuses_a_missing_members_key(api):
    data = registration_data(size=1)
    del data["members"]

    errors = refused(post_json(api, data))

    assert list(errors) == ["members"]


def test_it_refuses_an_empty_member_list(api):
    errors = refused(post_json(api, registration_data(size=1, members=[]), **EN))

    assert list(errors) == ["members"]
    assert "at least one member" in messages(errors, "members")


def test_it_refuses_21_members(api):
    big = registration_data(size=21)
    assert len(big["members"]) == 21

    errors = refused(post_json(api, big, **EN))

    assert list(errors) == ["members"]
    assert "at most 20 members" in messages(errors, "members")


def test_it_accepts_20_members(api):
    response = post_json(api, registration_data(size=20))

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("item", ["Budi", 7, None, ["nik"]])
def test_it_refuses_a_member_that_is_not_an_object_at_its_position(api, item):
    data = registration_data(size=2)
    data["members"].insert(1, item)

    errors = refused(post_json(api, data, **EN))

    assert "must be an object" in member_messages(errors, 1, "non_field_errors")
