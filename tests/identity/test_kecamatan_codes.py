"""kecamatan_codes(): every kecamatan row of the Kemendagri table, current or not."""

import re

from kartusehat import identity
from tests.identity.identity_strategies import CSV_KECAMATAN


def test_it_holds_every_kecamatan_row_current_and_historic():
    assert identity.kecamatan_codes() == frozenset(CSV_KECAMATAN)


def test_it_includes_the_historic_papua_codes():
    codes = identity.kecamatan_codes()

    assert CSV_KECAMATAN["91.01.01"] == "no"
    assert "91.01.01" in codes
    assert {c for c, current in CSV_KECAMATAN.items() if current == "no"} <= codes


def test_it_includes_every_kota_bekasi_kecamatan():
    codes = identity.kecamatan_codes()

    assert {f"32.75.{n:02d}" for n in range(1, 13)} <= codes


def test_it_leaves_out_provinces_and_regencies():
    codes = identity.kecamatan_codes()

    assert "32" not in codes
    assert "32.75" not in codes
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d\d", code) for code in codes)


def test_it_checks_regions_in_dotted_form():
    assert identity.region_code_of("327502") == "32.75.02"
    assert identity.is_known_kecamatan("32.75.02")
    assert not identity.is_known_kecamatan("327502")
    assert not identity.is_known_kecamatan("32.75.99")
