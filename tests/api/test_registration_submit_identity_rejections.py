"""POST /api/v1/registrations/: a NIK or KK number that is not valid of its
kind is refused with 400 on that number's field, and nothing is written."""

import datetime as dt

import pytest
from django.utils import timezone

from kartusehat import identity
from tests.api.helpers import member_messages, messages, post_json, refused
from tests.factories import registration_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _with_nik(nik, index=1, **member):
    data = registration_data(size=3)
    data["members"][index]["nik"] = nik
    data["members"][index].update(member)
    return data


@pytest.mark.parametrize("cut", [15, 17])
def test_it_refuses_a_nik_of_the_wrong_length_on_that_member(api, cut):
    data = registration_data(size=3)
    nik = data["members"][1]["nik"]
    data["members"][1]["nik"] = (nik + "1")[:cut]

    errors = refused(post_json(api, data, **EN))

    assert member_messages(errors, 1, "nik") == f"The NIK must be 16 digits; {cut} digits were entered."


def test_it_refuses_a_nik_with_letters_on_that_member(api):
    data = registration_data(size=3)
    data["members"][2]["nik"] = data["members"][2]["nik"][:10] + "AB" + data["members"][2]["nik"][12:]

    errors = refused(post_json(api, data, **EN))

    assert "only digits" in member_messages(errors, 2, "nik")


def test_it_refuses_a_nik_from_an_unknown_region_on_that_member(api):
    data = registration_data(size=3)
    data["members"][1]["nik"] = "999999" + data["members"][1]["nik"][6:]

    errors = refused(post_json(api, data, **EN))

    assert "999999" in member_messages(errors, 1, "nik")


@pytest.mark.parametrize("ddmmyy", ["351380", "310280", "000580"])  # month 13, 31 February, day 0
def test_it_refuses_a_nik_whose_date_is_impossible_on_that_member(api, ddmmyy):
    data = registration_data(size=2)
    member = data["members"][1]
    member.update(nik=member["nik"][:6] + ddmmyy + member["nik"][12:], birth_date="1980-02-28", sex="L")

    errors = refused(post_json(api, data, **EN))

    assert "not a valid birth date" in member_messages(errors, 1, "nik")


def test_it_refuses_a_nik_that_disagrees_with_the_birth_date_on_nik(api):
    nik = identity.encode_nik("327502", dt.date(1983, 8, 17), "P", 17)
    data = _with_nik(nik, birth_date="1983-08-18", sex="P")

    errors = refused(post_json(api, data, **EN))

    message = member_messages(errors, 1, "nik")
    assert "17-08-1983" in message and "18-08-1983" in message


def test_it_refuses_a_womans_nik_given_as_a_man_on_nik(api):
    # Women's NIKs carry the day of birth plus 40: 17 August -> 57.
    nik = identity.encode_nik("327502", dt.date(1983, 8, 17), "P", 18)
    assert nik[6:8] == "57"
    data = _with_nik(nik, birth_date="1983-08-17", sex="L")

    errors = refused(post_json(api, data, **EN))

    assert "belongs to a woman" in member_messages(errors, 1, "nik")


def test_it_refuses_a_mans_nik_given_as_a_woman_on_nik(api):
    nik = identity.encode_nik("327502", dt.date(1980, 5, 15), "L", 19)
    data = _with_nik(nik, birth_date="1980-05-15", sex="P")

    errors = refused(post_json(api, data, **EN))

    assert "belongs to a man" in member_messages(errors, 1, "nik")


def test_it_accepts_a_womans_nik_with_day_plus_40(api):
    nik = identity.encode_nik("327502", dt.date(1983, 8, 17), "P", 20)
    data = _with_nik(nik, birth_date="1983-08-17", sex="P")

    assert post_json(api, data).status_code == 201


@pytest.mark.parametrize(
    "kk_number, words",
    [
        ("327502120318", "16 digits; 12"),
        ("32750212031800045", "16 digits; 17"),
        ("3275O21203180004", "only digits"),
        ("9999991203180004", "999999"),
        ("3275023502180004", "not a valid issue date"),
        ("3275021203180000", "cannot be 0000"),
        ("", "Enter the KK number"),
    ],
)
def test_it_refuses_an_invalid_kk_number_on_kk_number(api, kk_number, words):
    errors = refused(post_json(api, registration_data(size=2, kk_number=kk_number), **EN))

    assert list(errors) == ["kk_number"]
    assert words in messages(errors, "kk_number")


def test_it_refuses_a_kk_issued_outside_kota_bekasi_on_kk_number(api):
    data = registration_data(size=2)
    data["kk_number"] = identity.encode_kk("317101", dt.date(2018, 3, 12), 4)  # Jakarta Pusat, Gambir

    errors = refused(post_json(api, data, **EN))

    assert list(errors) == ["kk_number"]
    message = messages(errors, "kk_number")
    assert "Kota Bekasi" in message and "32.75" in message


def test_it_refuses_a_kk_issued_in_the_future_on_kk_number(api):
    future = timezone.localdate() + dt.timedelta(days=30)
    data = registration_data(size=2)
    data["kk_number"] = identity.encode_kk("327502", future, 5)

    errors = refused(post_json(api, data, **EN))

    assert list(errors) == ["kk_number"]
    assert future.strftime("%d-%m-%Y") in messages(errors, "kk_number")
    assert "future" in messages(errors, "kk_number")
