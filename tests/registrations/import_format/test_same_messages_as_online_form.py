"""Every rule of the online form applies to a row with the form's own message,
in the active language (Bahasa Indonesia first)."""

import pytest
from django.utils import translation

from kartusehat.refusals import Invalid
from registrations.validation import clean_registration
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, problems_of, read, rows_of

pytestmark = pytest.mark.django_db


def _form_errors(data: dict) -> dict:
    with pytest.raises(Invalid) as refused:
        clean_registration(data)
    return refused.value.errors


def _member_breaking_rules(data: dict) -> dict:
    """Member 2 with a NIK that disagrees with its birth date, and a name with digits."""
    member = data["members"][1]
    member["birth_date"] = "1975-01-01"
    member["full_name"] = "Siti 4minah"
    return data


@pytest.mark.parametrize("language", ["id", "en"])
def test_it_refuses_a_bad_member_with_the_form_s_messages(language):
    data = _member_breaking_rules(household(size=3))

    with translation.override(language):
        form = _form_errors(data)["members"][1]
        result = read(csv_bytes(lines_of(rows_of(data))))

    assert problems_of(result, 3) == {"nik": form["nik"][0], "nama_lengkap": form["full_name"][0]}


def test_it_speaks_the_active_language():
    content = csv_bytes(lines_of(rows_of(_member_breaking_rules(household(size=2)))))

    with translation.override("id"):
        indonesian = read(content)
    english = read(content)

    assert problems_of(indonesian, 3)["nik"] != problems_of(english, 3)["nik"]
    assert problems_of(english, 3)["nik"].startswith("This NIK encodes the birth date")


@pytest.mark.parametrize(
    ("field", "column", "value"),
    [
        ("address", "alamat", "..."),
        ("rt", "rt", "RT 1/2"),
        ("rw", "rw", "0"),
        ("phone", "no_hp", "021-8894455"),
        ("email", "email", "warga@"),
        ("kk_number", "no_kk", "3171011203180004"),
    ],
)
def test_it_refuses_a_bad_household_value_on_the_head_s_row_with_the_form_s_message(field, column, value):
    data = household(size=2)
    rows = rows_of(data)
    rows[0][column] = value
    if column == "no_kk":
        rows[1][column] = value
    data[field] = value

    with translation.override("id"):
        form = _form_errors(data)
        result = read(csv_bytes(lines_of(rows)))

    assert problems_of(result, 2) == {column: form[field][0]}
