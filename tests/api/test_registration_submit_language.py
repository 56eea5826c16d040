"""POST /api/v1/registrations/: error messages are in Bahasa Indonesia by
default and in English with Accept-Language: en."""

import pytest

from tests.api.helpers import member_messages, messages, post_json, refused
from tests.factories import registration_data

pytestmark = pytest.mark.django_db


def _without_consent_and_bad_nik():
    data = registration_data(size=2, consent=False)
    data["members"][1]["nik"] = data["members"][1]["nik"][:12] + "0000"
    return data


def test_it_answers_in_english_with_accept_language_en(api):
    errors = refused(post_json(api, _without_consent_and_bad_nik(), HTTP_ACCEPT_LANGUAGE="en"))

    assert messages(errors, "consent") == "Registration needs your consent to the processing of personal data."
    assert member_messages(errors, 1, "nik") == "The last 4 digits of the NIK (serial number) cannot be 0000."


def test_it_answers_in_bahasa_indonesia_by_default(api):
    indonesian = refused(post_json(api, _without_consent_and_bad_nik()))
    english = refused(post_json(api, _without_consent_and_bad_nik(), HTTP_ACCEPT_LANGUAGE="en"))

    assert messages(indonesian, "consent") != messages(english, "consent")
    assert "consent" not in messages(indonesian, "consent")
    assert "persetujuan" in messages(indonesian, "consent").lower()
    assert member_messages(indonesian, 1, "nik") != member_messages(english, 1, "nik")
    assert "0000" in member_messages(indonesian, 1, "nik")


def test_it_answers_in_bahasa_indonesia_to_a_language_it_does_not_speak(api):
    errors = refused(post_json(api, _without_consent_and_bad_nik(), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9"))

    assert "persetujuan" in messages(errors, "consent").lower()


def test_it_answers_in_english_to_a_regional_english_variant(api):
    errors = refused(post_json(api, _without_consent_and_bad_nik(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))

    assert messages(errors, "consent") == "Registration needs your consent to the processing of personal data."
