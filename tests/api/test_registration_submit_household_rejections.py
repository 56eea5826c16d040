"""POST /api/v1/registrations/: household fields (kelurahan, consent, contact)
and member enums are refused with 400 on exactly that field, writing nothing."""

import pytest

from tests.api.helpers import member_messages, messages, post_json, refused
from tests.factories import registration_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(
    "code",
    [
        "32.75.02",         # Bekasi Barat: a kecamatan, not a kelurahan
        "32.75",            # the city itself
        "31.71.01.1001",    # Gambir, Jakarta Pusat: another city's kelurahan
        "32.75.02.9999",    # the right shape, no such kelurahan
        "3275021002",       # Kranji without its dots
        "kranji",
        "32.75.02.1002'; DROP TABLE x; --",
    ],
)
def test_it_refuses_a_kelurahan_code_that_is_not_a_kota_bekasi_kelurahan(api, code):
    data = registration_data(size=2)  # numbers made for Kranji
    data["kelurahan_code"] = code

    errors = refused(post_json(api, data, **EN))

    assert list(errors) == ["kelurahan_code"]
    assert "not a kelurahan of Kota Bekasi" in messages(errors, "kelurahan_code")


@pytest.mark.parametrize("code", [None, "", "   "])
def test_it_refuses_a_missing_kelurahan_code(api, code):
    data = registration_data(size=2)  # numbers made for Kranji
    data["kelurahan_code"] = code

    errors = refused(post_json(api, data, **EN))

    assert list(errors) == ["kelurahan_code"]
    assert "Choose your kelurahan" in messages(errors, "kelurahan_code")


@pytest.mark.parametrize("consent", [False, "false", "False", "no", 0, None, "", [], {}])
def test_it_refuses_without_consent(api, consent):
    errors = refused(post_json(api, registration_data(size=2, consent=consent), **EN))

    assert list(errors) == ["consent"]
    assert "consent" in messages(errors, "consent")


def test_it_refuses_when_consent_is_missing(api):
    data = registration_data(size=2)
    del data["consent"]

    errors = refused(post_json(api, data))

    assert list(errors) == ["consent"]


@pytest.mark.parametrize(
    "phone",
    ["", "12345", "0212345678", "+1 555 123 4567", "0812", "08123456789012345", "+62 21 8765432", "phone", 81234567890],
)
def test_it_refuses_a_phone_that_is_not_an_indonesian_mobile_number(api, phone):
    errors = refused(post_json(api, registration_data(size=2, phone=phone), **EN))

    assert list(errors) == ["phone"]
    assert messages(errors, "phone") == "Enter an Indonesian mobile number, e.g. 081234567890."


@pytest.mark.parametrize("email", ["not-an-email", "warga@", "@example.com", "warga@example", "a b@example.com"])
def test_it_refuses_a_bad_email(api, email):
    errors = refused(post_json(api, registration_data(size=2, email=email), **EN))

    assert list(errors) == ["email"]
    assert "email" in messages(errors, "email")


@pytest.mark.parametrize("field", ["rt", "rw"])
@pytest.mark.parametrize("value", ["", "0", "000", "1234", "A1", "-1", "1.5", None])
def test_it_refuses_a_bad_rt_or_rw(api, field, value):
    errors = refused(post_json(api, registration_data(size=2, **{field: value}), **EN))

    assert list(errors) == [field]
    assert field.upper() in messages(errors, field)


@pytest.mark.parametrize("sex", ["X", "M", "F", "", None, "laki-laki", 1])
def test_it_refuses_a_sex_outside_the_contract_on_that_member(api, sex):
    data = registration_data(size=3)
    data["members"][2]["sex"] = sex

    errors = refused(post_json(api, data, **EN))

    assert "L (male) or P (female)" in member_messages(errors, 2, "sex")


@pytest.mark.parametrize("relationship", ["tetangga", "", None, "Kepala Keluarga", "head", 3])
def test_it_refuses_a_relationship_outside_the_contract_on_that_member(api, relationship):
    data = registration_data(size=3)
    data["members"][2]["relationship"] = relationship

    errors = refused(post_json(api, data, **EN))

    assert list(errors) == ["members"]
    assert "relationship" in member_messages(errors, 2, "relationship")


@pytest.mark.parametrize(
    "field, value",
    [("full_name", ""), ("full_name", "Budi 123"), ("birth_date", "kemarin"), ("birth_date", "2999-01-01")],
)
def test_it_refuses_a_bad_member_field_on_that_member(api, field, value):
    data = registration_data(size=2)
    data["members"][1][field] = value

    errors = refused(post_json(api, data))

    member_messages(errors, 1, field)
