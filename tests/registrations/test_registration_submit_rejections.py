"""Every rule of the contract refuses with a message on the right field and
writes nothing."""

import copy

import pytest
from django.utils import translation

from kartusehat.refusals import Invalid
from registrations import services
from registrations.models import Household, Registration, RegistrationEvent, RegistrationMember
from tests.factories import registration_data, submit, verified

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Registration.objects.count(), RegistrationMember.objects.count(),
        RegistrationEvent.objects.count(), Household.objects.count(),
    )


def _refused(data) -> dict:
    before = _counts()
    with pytest.raises(Invalid) as caught:
        services.registration_submit(data=data, channel="online")
    assert _counts() == before, "a refused registration must leave no rows"
    return caught.value.errors


def _member_error(errors, index, field):
    members = errors["members"]
    assert isinstance(members, list) and isinstance(members[index], dict), errors
    return " ".join(members[index][field])


def test_it_refuses_an_invalid_kk_number():
    errors = _refused(registration_data(kk_number="1234"))
    assert "16" in errors["kk_number"][0]


def test_it_refuses_a_kk_issued_outside_the_city():
    data = registration_data()
    data["kk_number"] = "317101" + data["kk_number"][6:]  # Jakarta Pusat, Gambir
    errors = _refused(data)
    assert "Kota Bekasi" in errors["kk_number"][0]


def test_it_refuses_a_kelurahan_outside_the_city():
    errors = _refused(registration_data(kelurahan_code="31.71.01.1001"))
    assert "kelurahan_code" in errors


def test_it_refuses_an_unknown_kelurahan_code():
    errors = _refused(registration_data(kelurahan_code="32.75.02.9999"))
    assert "32.75.02.9999" in errors["kelurahan_code"][0]


def test_it_refuses_an_invalid_nik_on_that_member():
    data = registration_data(size=3)
    data["members"][2]["nik"] = data["members"][2]["nik"][:12] + "0000"
    errors = _refused(data)
    assert errors["members"][0] == {} and errors["members"][1] == {}
    assert "0000" in _member_error(errors, 2, "nik")


def test_it_refuses_a_nik_that_disagrees_with_the_birth_date():
    data = registration_data(size=2)
    data["members"][1]["birth_date"] = "1975-01-01"
    errors = _refused(data)
    assert "01-01-1975" in _member_error(errors, 1, "nik")


def test_it_refuses_a_nik_that_disagrees_with_the_sex():
    data = registration_data(size=2)
    member = data["members"][1]
    member["sex"] = "P" if member["sex"] == "L" else "L"
    errors = _refused(data)
    assert "nik" in errors["members"][1]
    assert "sex" not in errors["members"][1]


def test_it_refuses_a_household_without_a_head():
    data = registration_data(size=2)
    data["members"][0]["relationship"] = "anak"
    errors = _refused(data)
    assert "kepala keluarga" in " ".join(errors["non_field_errors"])


def test_it_refuses_a_household_with_two_heads():
    data = registration_data(size=3)
    data["members"][2]["relationship"] = "kepala_keluarga"
    errors = _refused(data)
    assert "2" in " ".join(errors["non_field_errors"])


def test_it_refuses_a_nik_listed_twice():
    data = registration_data(size=3)
    data["members"][2] = copy.deepcopy(data["members"][1])
    errors = _refused(data)
    assert errors["non_field_errors"]
    assert _member_error(errors, 2, "nik")


def test_it_refuses_a_nik_already_in_an_active_household():
    household = verified().household
    taken = household.active_members().first()
    data = registration_data(size=2)
    data["members"][1].update(
        nik=taken.nik, birth_date=taken.birth_date.isoformat(), sex=taken.sex, full_name=taken.full_name
    )
    errors = _refused(data)
    assert "kelurahan" in _member_error(errors, 1, "nik")


def test_it_refuses_a_nik_already_in_a_pending_registration():
    pending = submit()
    taken = pending.members.get(position=0)
    data = registration_data(size=2)
    data["members"][1].update(
        nik=taken.nik, birth_date=taken.birth_date.isoformat(), sex=taken.sex, full_name=taken.full_name
    )
    errors = _refused(data)
    assert "kelurahan" in _member_error(errors, 1, "nik")


def test_it_refuses_a_kk_with_a_pending_registration():
    pending = submit()
    errors = _refused(registration_data(kk_number=pending.kk_number))
    assert errors["kk_number"]


def test_it_refuses_a_kk_of_an_active_household():
    household = verified().household
    errors = _refused(registration_data(kk_number=household.kk_number))
    assert errors["kk_number"]


@pytest.mark.parametrize("consent", [False, None, "", "no"])
def test_it_refuses_without_consent(consent):
    errors = _refused(registration_data(consent=consent))
    assert errors["consent"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("phone", "0212345678"),  # a landline
        ("phone", "12345"),
        ("rt", "0"),
        ("rw", "1234"),
        ("address", "   "),
        ("email", "not-an-email"),
    ],
)
def test_it_refuses_bad_household_fields(field, value):
    errors = _refused(registration_data(**{field: value}))
    assert list(errors) == [field]


@pytest.mark.parametrize(
    "field, value",
    [
        ("full_name", ""),
        ("full_name", "Budi 123"),
        ("birth_date", "kemarin"),
        ("birth_date", "2999-01-01"),
        ("sex", "X"),
        ("relationship", "tetangga"),
    ],
)
def test_it_refuses_bad_member_fields(field, value):
    data = registration_data(size=2)
    data["members"][1][field] = value
    errors = _refused(data)
    assert field in errors["members"][1]


@pytest.mark.parametrize("members", [None, [], "Budi", [1, 2], [{}] * 21])
def test_it_refuses_a_malformed_member_list(members):
    errors = _refused(registration_data(members=members))
    assert "members" in errors or "non_field_errors" in errors


def test_it_refuses_input_that_is_not_an_object():
    before = _counts()
    with pytest.raises(Invalid) as caught:
        services.registration_submit(data=["not", "an", "object"], channel="online")
    assert caught.value.errors["non_field_errors"]
    assert _counts() == before


def test_it_says_which_rule_failed_in_english_under_en():
    data = registration_data(size=2)
    data["members"][1]["nik"] = data["members"][1]["nik"][:12] + "0000"
    with translation.override("en"):
        errors = _refused(data)
    assert _member_error(errors, 1, "nik") == "The last 4 digits of the NIK (serial number) cannot be 0000."


@pytest.mark.parametrize(
    "field, value",
    [
        ("address", "Jl. Kranji\x00 No. 5"),
        ("address", "Jl. Mawar \ud800 No. 1"),  # a lone surrogate, possible in JSON
        ("kelurahan_code", "32.75.02.1002\x00"),
        ("kelurahan_code", "32.75.02.1002 OR 1=1"),
        ("email", "a" * 300 + "@example.com"),
        ("email", "warga\x00@example.com"),
        ("phone", "0812\x003456789"),
        ("kk_number", "3275021203180004\x00"),
    ],
)
def test_it_refuses_control_characters_and_oversized_values_on_their_field(field, value):
    errors = _refused(registration_data(**{field: value}))

    assert list(errors) == [field]


def test_it_refuses_a_nul_character_in_a_members_name():
    data = registration_data(size=2)
    data["members"][1]["full_name"] = "Siti\x00 Aminah"

    errors = _refused(data)

    assert "full_name" in errors["members"][1]
