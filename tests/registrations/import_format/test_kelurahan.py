"""The kelurahan of a household: a Kemendagri code or a kelurahan name of the
city (any case), only inside the uploader's area; the area's only kelurahan
when the file names none."""

import pytest

from tests.factories import BINTARA, KRANJI, MARGAJAYA
from tests.registrations.import_format.helpers import csv_bytes, household, lines_of, problems_of, read, rows_of

pytestmark = pytest.mark.django_db

BEKASI_BARAT = [BINTARA, KRANJI, "32.75.02.1003", "32.75.02.1004", "32.75.02.1005"]


@pytest.mark.parametrize("cell", ["Kranji", "KRANJI", "kranji", " Kranji ", KRANJI, "3275021002"])
def test_it_reads_a_kelurahan_by_code_or_by_name(cell):
    data = household(KRANJI, size=2)
    rows = rows_of(data)
    rows[0]["kelurahan"] = cell

    result = read(csv_bytes(lines_of(rows)), allowed=BEKASI_BARAT)

    assert [h.registration.kelurahan.code for h in result.accepted] == [KRANJI]


def test_it_reads_a_name_of_two_words_whatever_its_spacing():
    data = household("32.75.03.1001", size=1)  # Kaliabang Tengah
    rows = rows_of(data)
    rows[0]["kelurahan"] = "KALIABANG  TENGAH"

    result = read(csv_bytes(lines_of(rows)), allowed=["32.75.03.1001"])

    assert [h.data["kelurahan_code"] for h in result.accepted] == ["32.75.03.1001"]


def test_it_refuses_a_kelurahan_outside_the_uploader_s_area():
    inside, outside = household(KRANJI, size=1), household(MARGAJAYA, size=2)
    rows = rows_of(outside)
    rows[0]["kelurahan"] = "Margajaya"

    result = read(csv_bytes(lines_of(rows_of(inside) + rows)), allowed=BEKASI_BARAT)

    assert [h.data for h in result.accepted] == [inside]
    assert problems_of(result, 3) == {"kelurahan": f"Kelurahan Margajaya ({MARGAJAYA}) is outside your area."}
    assert problems_of(result, 4) == {"": "The household was not imported because of row 3."}


def test_it_refuses_another_kelurahan_when_the_area_is_one_kelurahan():
    data = household(BINTARA, size=1)

    result = read(csv_bytes(lines_of(rows_of(data))), allowed=[KRANJI])

    assert problems_of(result, 2) == {"kelurahan": f"Kelurahan Bintara ({BINTARA}) is outside your area."}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Kranjii", "Kranjii is not the name or the code of a kelurahan of Kota Bekasi."),
        ("32.75.02.9999", "32.75.02.9999 is not a kelurahan of Kota Bekasi."),
        ("31.71.01.1001", "31.71.01.1001 is not a kelurahan of Kota Bekasi."),
    ],
)
def test_it_refuses_a_kelurahan_the_city_does_not_have_with_one_message(cell, message):
    rows = rows_of(household(KRANJI, size=1))
    rows[0]["kelurahan"] = cell

    result = read(csv_bytes(lines_of(rows)), allowed=BEKASI_BARAT)

    assert problems_of(result, 2) == {"kelurahan": message}


def test_it_uses_the_area_s_kelurahan_for_a_household_that_names_none():
    data = household(KRANJI, size=2)
    rows = rows_of(data)
    rows[0]["kelurahan"] = ""

    result = read(csv_bytes(lines_of(rows)), allowed=[KRANJI])

    assert [h.data for h in result.accepted] == [data]


def test_it_uses_the_default_kelurahan_given_for_an_area_of_several():
    data = household(BINTARA, size=1)
    rows = rows_of(data)
    rows[0]["kelurahan"] = ""

    result = read(csv_bytes(lines_of(rows)), allowed=BEKASI_BARAT, default_kelurahan_code=BINTARA)

    assert [h.data for h in result.accepted] == [data]


def test_it_asks_for_the_kelurahan_when_the_area_has_several_and_no_default():
    rows = rows_of(household(KRANJI, size=1))
    rows[0]["kelurahan"] = ""

    result = read(csv_bytes(lines_of(rows)), allowed=BEKASI_BARAT)

    assert problems_of(result, 2) == {"kelurahan": "Choose your kelurahan."}

