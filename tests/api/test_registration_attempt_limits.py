"""What a registration from the public costs (registrations/limits.py):

- a refusal by the rules (a typo) costs nothing, however many;
- only accepted registrations count against ``registrations_per_address``;
- "already registered" names one number per answer, and such answers are
  limited per address and per network (/24, /48); past either limit every
  submission from there waits (429 with Retry-After, the way forward in the
  message), whatever it would have been answered.
"""

import json

import pytest

from registrations.models import Registration
from tests.api.helpers import REGISTRATIONS_URL, member_messages, messages, refused, row_counts
from tests.factories import BINTARA, KRANJI, registration_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _rates(settings, **rates):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, **rates}


def _post(api, data, address, **extra):
    return api.post(REGISTRATIONS_URL, json.dumps(data), content_type="application/json", REMOTE_ADDR=address,
        **extra)


def _typo(data):
    data = dict(data, members=[dict(m) for m in data["members"]])
    data["members"][0]["nik"] = data["members"][0]["nik"][:15]
    return data


def _registered(api) -> dict:
    """A household with a pending registration, sent from an address of its own."""
    data = registration_data(KRANJI, size=3)
    assert _post(api, data, "192.0.2.250").status_code == 201
    return data


def _same_kk(data) -> dict:
    return registration_data(KRANJI, size=2, kk_number=data["kk_number"])


def _assert_waits(response):
    assert response.status_code == 429, (response.status_code, response.content)
    assert int(response["Retry-After"]) > 0
    return response.json()["detail"]


def test_it_never_counts_a_refusal_by_the_rules(api, settings):
    _rates(settings, registrations_per_address="2/hour", taken_answers_per_address="1/hour")

    for _ in range(25):
        assert _post(api, _typo(registration_data()), "203.0.113.7").status_code == 400
        assert _post(api, dict(registration_data(), consent=False), "203.0.113.7").status_code == 400

    assert _post(api, registration_data(), "203.0.113.7").status_code == 201
    assert _post(api, registration_data(), "203.0.113.7").status_code == 201
    _assert_waits(_post(api, registration_data(), "203.0.113.7"))
    assert _post(api, _typo(registration_data()), "203.0.113.7").status_code == 400  # still told what to fix


def test_it_does_not_count_accepted_registrations_as_taken_answers(api, settings):
    _rates(settings, registrations_per_address="100/hour", taken_answers_per_address="1/hour",
        taken_answers_per_network="1/hour")

    for _ in range(5):
        assert _post(api, registration_data(), "203.0.113.8").status_code == 201


def test_it_names_only_the_kk_when_the_kk_and_its_members_are_taken(api):
    first = _registered(api)
    before = row_counts()

    errors = refused(_post(api, dict(first, address="Jl. Lain No. 1"), "203.0.113.9"), before)

    assert list(errors) == ["kk_number"]


def test_it_names_one_nik_when_several_members_are_taken(api):
    first = _registered(api)
    data = registration_data(BINTARA, size=4)
    data["members"][1:] = [dict(member, relationship="anak") for member in first["members"]]
    before = row_counts()

    errors = refused(_post(api, data, "203.0.113.10"), before)

    member_messages(errors, 1, "nik")  # the first taken one, and no other member


def test_it_limits_taken_answers_per_address(api, settings):
    _rates(settings, taken_answers_per_address="2/hour", taken_answers_per_network="100/hour")
    first = _registered(api)
    for _ in range(2):
        assert "kelurahan" in messages(refused(_post(api, _same_kk(first), "203.0.113.11"), row_counts()),
            "kk_number")
    before = row_counts()

    # A household that would be accepted waits too: otherwise "wait" would
    # itself mean "already registered".
    message = _assert_waits(_post(api, registration_data(), "203.0.113.11", **EN))

    assert "already registered" in message and "kelurahan" in message
    assert settings.KARTUSEHAT_CITY["hotline"] in message
    assert row_counts() == before
    assert _post(api, registration_data(), "203.0.113.12").status_code == 201


def test_it_answers_the_taken_limit_in_bahasa_indonesia_by_default(api, settings):
    _rates(settings, taken_answers_per_address="1/hour")
    first = _registered(api)
    _post(api, _same_kk(first), "203.0.113.13")

    message = _assert_waits(_post(api, _same_kk(first), "203.0.113.13"))

    assert "sudah terdaftar" in message and "kelurahan" in message


@pytest.mark.parametrize(
    ("probers", "neighbour", "outsider"),
    [
        (["203.0.113.1", "203.0.113.2", "203.0.113.3"], "203.0.113.200", "203.0.114.1"),
        (["2001:db8:7:1::1", "2001:db8:7:2::1", "2001:db8:7:3::1"], "2001:db8:7:ff::9", "2001:db8:8::1"),
        (["::ffff:203.0.113.1", "::ffff:203.0.113.2", "203.0.113.3"], "::ffff:203.0.113.200", "203.0.114.1"),
    ],
)
def test_it_limits_taken_answers_per_network(api, settings, probers, neighbour, outsider):
    _rates(settings, taken_answers_per_address="100/hour", taken_answers_per_network="3/hour")
    first = _registered(api)
    for address in probers:
        assert _post(api, _same_kk(first), address).status_code == 400

    _assert_waits(_post(api, _same_kk(first), neighbour))
    assert _post(api, registration_data(), outsider).status_code == 201


def test_it_counts_taken_answers_from_the_api_and_the_web_form_together(api, client, settings):
    from tests.web.helpers import form_data

    _rates(settings, taken_answers_per_address="2/hour")
    first = _registered(api)
    assert client.post("/daftar/", form_data(_same_kk(first)), REMOTE_ADDR="203.0.113.14").status_code == 400
    assert _post(api, _same_kk(first), "203.0.113.14").status_code == 400

    page = client.post("/daftar/", form_data(registration_data()), REMOTE_ADDR="203.0.113.14")

    assert page.status_code == 429 and page["Retry-After"]
    text = page.content.decode()
    assert "sudah terdaftar" in text and "kelurahan" in text and settings.KARTUSEHAT_CITY["hotline"] in text
    assert Registration.objects.count() == 1


def test_it_never_counts_a_typo_on_the_web_form(client, settings):
    from tests.web.helpers import form_data

    _rates(settings, registrations_per_address="1/hour", taken_answers_per_address="1/hour")

    for _ in range(10):
        assert client.post("/daftar/", form_data(_typo(registration_data())), REMOTE_ADDR="203.0.113.15"
            ).status_code == 400

    assert client.post("/daftar/", form_data(registration_data()), REMOTE_ADDR="203.0.113.15").status_code == 302


def test_it_does_not_limit_staff_and_commands(settings):
    from registrations import services

    _rates(settings, registrations_per_address="1/hour", taken_answers_per_address="1/hour")

    for _ in range(3):
        services.registration_submit(data=registration_data(), channel=Registration.Channel.KELURAHAN)

    assert Registration.objects.count() == 3

