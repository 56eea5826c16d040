"""Hand-picked cases: the contract examples, edge dates and the messages."""

import datetime as dt

import pytest

from kartusehat import identity
from tests.identity.identity_strategies import CSV_KECAMATAN, TODAY


def rejection(parse, raw, **kwargs):
    kwargs.setdefault("today", TODAY)
    with pytest.raises(identity.InvalidNumber) as excinfo:
        parse(raw, **kwargs)
    return excinfo.value


# --- the contract examples --------------------------------------------------


def test_it_decodes_the_contract_man():
    info = identity.parse_nik(
        "3275011505800003", birth_date=dt.date(1980, 5, 15), sex="L", today=TODAY
    )

    assert info == identity.NikInfo(
        nik="3275011505800003",
        region_code="32.75.01",
        birth_date=dt.date(1980, 5, 15),
        sex="L",
        serial="0003",
    )
    assert CSV_KECAMATAN["32.75.01"] == "yes"  # Bekasi Timur


def test_it_decodes_the_contract_man_without_typed_fields():
    info = identity.parse_nik("3275011505800003", today=TODAY)

    assert (info.region_code, info.birth_date, info.sex) == (
        "32.75.01",
        dt.date(1980, 5, 15),
        "L",
    )


def test_it_decodes_the_contract_woman():
    info = identity.parse_nik(
        "3275015708830002", birth_date=dt.date(1983, 8, 17), sex="P", today=TODAY
    )

    assert info.region_code == "32.75.01"
    assert info.birth_date == dt.date(1983, 8, 17)
    assert info.sex == "P"
    assert info.serial == "0002"


def test_it_decodes_the_contract_kk():
    info = identity.parse_kk("3275021203180004", today=TODAY)

    assert info == identity.KkInfo(
        kk_number="3275021203180004",
        region_code="32.75.02",
        issue_date=dt.date(2018, 3, 12),
        serial="0004",
    )


def test_it_normalizes_the_contract_typed_nik():
    assert identity.normalize("3275.0115-0580 0003") == "3275011505800003"
    info = identity.parse_nik("3275.0115-0580 0003", today=TODAY)

    assert info.nik == "3275011505800003"
    assert info.birth_date == dt.date(1980, 5, 15)


def test_it_masks_the_contract_nik():
    assert identity.mask("3275011505800003") == "3275••••••••0003"
    assert identity.mask("3275.0115-0580 0003") == "3275••••••••0003"


def test_it_encodes_the_contract_examples():
    assert identity.encode_nik("327501", dt.date(1980, 5, 15), "L", 3) == "3275011505800003"
    assert identity.encode_nik("327501", dt.date(1983, 8, 17), "P", "0002") == "3275015708830002"
    assert identity.encode_kk("327502", dt.date(2018, 3, 12), 4) == "3275021203180004"


# --- regions ----------------------------------------------------------------


def test_it_accepts_a_historic_papua_code():
    assert CSV_KECAMATAN["91.01.01"] == "no"  # Merauke, before the 2022 split

    info = identity.parse_nik("9101011505800003", today=TODAY)

    assert info.region_code == "91.01.01"


def test_it_accepts_a_historic_papua_code_on_a_kk():
    assert identity.parse_kk("9101011203180004", today=TODAY).region_code == "91.01.01"


def test_it_rejects_a_kecamatan_that_kota_bekasi_does_not_have():
    err = rejection(identity.parse_nik, "3275131505800003")

    assert err.code == "nik.region"
    assert "327513" in str(err)


def test_it_rejects_a_regency_code_padded_with_00():
    assert rejection(identity.parse_nik, "3275001505800003").code == "nik.region"


# --- dates ------------------------------------------------------------------


def test_it_decodes_a_woman_born_on_the_31st():
    info = identity.parse_nik("3275017105800003", birth_date=dt.date(1980, 5, 31), sex="P", today=TODAY)

    assert info.birth_date == dt.date(1980, 5, 31)
    assert info.sex == "P"


def test_it_rejects_a_woman_born_on_31_april():
    err = rejection(identity.parse_nik, "3275017104800003")

    assert err.code == "nik.date_invalid"
    assert "710480" in str(err)


@pytest.mark.parametrize(
    ("ddmmyy", "code"),
    [
        ("000580", "nik.date_invalid"),
        ("320580", "nik.date_invalid"),
        ("400580", "nik.date_invalid"),  # a woman's day 0
        ("720580", "nik.date_invalid"),  # a woman's day 32
        ("990580", "nik.date_invalid"),
        ("150080", "nik.date_invalid"),
        ("151380", "nik.date_invalid"),
    ],
)
def test_it_rejects_impossible_day_and_month_fields(ddmmyy, code):
    assert rejection(identity.parse_nik, f"327501{ddmmyy}0003").code == code


def test_it_reads_day_41_as_a_woman_born_on_the_1st():
    info = identity.parse_nik("3275014105800003", today=TODAY)

    assert (info.birth_date, info.sex) == (dt.date(1980, 5, 1), "P")


def test_it_decodes_29_february_2000():
    alone = identity.parse_nik("3275012902000003", today=TODAY)
    typed = identity.parse_nik("3275012902000003", birth_date=dt.date(2000, 2, 29), today=TODAY)
    woman = identity.parse_nik("3275016902000003", today=TODAY)

    assert alone.birth_date == dt.date(2000, 2, 29)
    assert typed.birth_date == dt.date(2000, 2, 29)
    assert (woman.birth_date, woman.sex) == (dt.date(2000, 2, 29), "P")


def test_it_rejects_29_february_of_a_non_leap_year():
    assert rejection(identity.parse_nik, "3275012902010003").code == "nik.date_invalid"
    assert (
        rejection(identity.parse_nik, "3275012902010003", birth_date=dt.date(2001, 3, 1)).code
        == "nik.date_invalid"
    )


def test_it_takes_1926_for_a_nik_alone_dated_after_today_in_26():
    # TODAY is 22 Nov 2026; 23 Nov 26 can only be 1926.
    info = identity.parse_nik("3275012311260003", today=TODAY)

    assert info.birth_date == dt.date(1926, 11, 23)


def test_it_takes_2026_for_a_nik_alone_dated_today():
    assert identity.parse_nik("3275012211260003", today=TODAY).birth_date == TODAY


def test_it_rejects_a_birth_date_typed_in_2026_after_today():
    err = rejection(identity.parse_nik, "3275012311260003", birth_date=dt.date(2026, 11, 23))

    assert err.code == "nik.date_future"
    assert "23-11-2026" in str(err)


def test_it_accepts_a_birth_date_typed_in_1926_for_the_same_nik():
    info = identity.parse_nik("3275012311260003", birth_date=dt.date(1926, 11, 23), today=TODAY)

    assert info.birth_date == dt.date(1926, 11, 23)


def test_it_rejects_a_nik_alone_whose_only_real_date_is_tomorrow():
    err = rejection(identity.parse_nik, "3275012902000003", today=dt.date(2000, 2, 28))

    assert err.code == "nik.date_future"
    assert "29-02-2000" in str(err)


def test_it_accepts_a_kk_issued_today():
    assert identity.parse_kk("3275022211260004", today=TODAY).issue_date == TODAY


def test_it_rejects_a_kk_issued_after_today():
    err = rejection(identity.parse_kk, "3275020112260004", today=TODAY)

    assert err.code == "kk.date_future"


def test_it_rejects_a_kk_with_a_womans_day():
    # 52 would be a woman's 12th in a NIK; a KK date has no +40.
    err = rejection(identity.parse_kk, "3275025203180004")

    assert err.code == "kk.date_invalid"
    assert "520318" in str(err)


# --- typed fields -----------------------------------------------------------


def test_it_rejects_a_typed_birth_date_that_disagrees():
    err = rejection(identity.parse_nik, "3275011505800003", birth_date=dt.date(1980, 5, 16))

    assert err.code == "nik.birth_date_mismatch"
    assert "15-05-1980" in str(err)
    assert "16-05-1980" in str(err)


def test_it_rejects_a_typed_sex_that_disagrees():
    man = rejection(identity.parse_nik, "3275011505800003", sex="P")
    woman = rejection(identity.parse_nik, "3275015708830002", sex="L")

    assert man.code == woman.code == "nik.sex_mismatch"
    assert "belongs to a man" in str(man) and "entered is woman" in str(man)
    assert "belongs to a woman" in str(woman) and "entered is man" in str(woman)
    assert "57" in str(woman)  # the day field that gave it away


# --- messages ---------------------------------------------------------------

NIK_FAILURES = [
    ("", {}, "nik.required", "Enter the NIK"),
    ("32750115O5800003", {}, "nik.not_digits", "only digits"),
    ("327501150580003", {}, "nik.length", "15 digits"),
    ("9999991505800003", {}, "nik.region", "999999"),
    ("3275013204800003", {}, "nik.date_invalid", "320480"),
    ("3275011505800000", {}, "nik.serial", "0000"),
    ("3275011505800003", {"birth_date": dt.date(1981, 5, 15)}, "nik.birth_date_mismatch", "15-05-1981"),
    ("3275011505800003", {"sex": "P"}, "nik.sex_mismatch", "woman"),
    ("3275012311260003", {"birth_date": dt.date(2026, 11, 23)}, "nik.date_future", "future"),
]
KK_FAILURES = [
    ("", "kk.required", "Enter the KK number"),
    ("3275021203I80004", "kk.not_digits", "only digits"),
    ("32750212031800041", "kk.length", "17 digits"),
    ("3275991203180004", "kk.region", "327599"),
    ("3275023102180004", "kk.date_invalid", "310218"),
    ("3275021203180000", "kk.serial", "0000"),
]


@pytest.mark.parametrize(("raw", "kwargs", "code", "mentions"), NIK_FAILURES, ids=[f[2] for f in NIK_FAILURES])
def test_it_says_which_nik_rule_failed(raw, kwargs, code, mentions):
    err = rejection(identity.parse_nik, raw, **kwargs)

    assert err.code == code
    assert err.field_kind == "nik"
    assert err.rule == code.split(".")[1]
    assert mentions in str(err)
    assert err.translate(lambda s: s) == str(err)
    assert "%(" not in str(err)


@pytest.mark.parametrize(("raw", "code", "mentions"), KK_FAILURES, ids=[f[1] for f in KK_FAILURES])
def test_it_says_which_kk_rule_failed(raw, code, mentions):
    err = rejection(identity.parse_kk, raw)

    assert err.code == code
    assert err.field_kind == "kk"
    assert mentions in str(err)
    assert err.translate(lambda s: s) == str(err)
    assert "%(" not in str(err)


def test_it_covers_every_message_with_a_rule_failure():
    covered = {code for _, _, code, _ in NIK_FAILURES} | {code for _, code, _ in KK_FAILURES}

    assert covered | {"kk.date_future"} == set(identity.MESSAGES)


def test_it_translates_messages_and_sex_words_through_the_callers_gettext():
    catalogue = {
        identity.MESSAGES["nik.sex_mismatch"]: (
            "NIK ini milik %(nik_sex)s (tanggal lahir %(day)s), tetapi jenis kelamin "
            "yang diisi %(given_sex)s."
        ),
        "man": "laki-laki",
        "woman": "perempuan",
    }
    err = rejection(identity.parse_nik, "3275011505800003", sex="P")

    text = err.translate(lambda s: catalogue.get(s, s))

    assert text == (
        "NIK ini milik laki-laki (tanggal lahir 15), tetapi jenis kelamin yang diisi perempuan."
    )
    # The stored parameters stay as codes, for callers that build their own text.
    assert err.params["nik_sex"] == "L" and err.params["given_sex"] == "P"


def test_it_refuses_a_sex_code_that_is_neither_l_nor_p():
    # A programming error, not a citizen's typo: forms offer only L and P.
    with pytest.raises(ValueError) as caught:
        identity.parse_nik("3275011505800003", sex="X")

    assert not isinstance(caught.value, identity.InvalidNumber)


def test_it_reads_a_kk_year_before_the_earliest_kk_year_as_future():
    # 01-12-69 read as 1969 would predate the 16-digit KK: it is 2069, future.
    err = rejection(identity.parse_kk, "3275020112690004", today=TODAY)

    assert err.code == "kk.date_future"


def test_it_reads_a_two_digit_kk_year_in_the_past_century_when_plausible():
    assert identity.parse_kk("3275020112980004", today=TODAY).issue_date == dt.date(1998, 12, 1)
