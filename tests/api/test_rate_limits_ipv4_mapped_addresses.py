"""A dual-stack socket or proxy reports IPv4 clients as ::ffff:a.b.c.d. Each
is its own IPv4 client for every limit (registrations, complaints, status
lookups) and in the audit; not one ::/64 that all IPv4 clients share."""

import json

import pytest
from django.test import RequestFactory

from kartusehat.net import client_ip
from tests.api.helpers import REGISTRATIONS_URL, status_url
from tests.complaints.helpers import API_URL as COMPLAINTS_URL
from tests.complaints.helpers import complaint_data
from tests.factories import registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_per_hour(settings):
    settings.KARTUSEHAT_RATES = {
        **settings.KARTUSEHAT_RATES,
        "registrations_per_address": "1/hour",
        "complaints_per_address": "1/hour",
        "status_failures_per_address": "1/hour",
        "status_failures_per_reference": "100/hour",
    }


def _register(api, address):
    return api.post(REGISTRATIONS_URL, json.dumps(registration_data()), content_type="application/json",
        REMOTE_ADDR=address)


def _complain(api, address):
    return api.post(COMPLAINTS_URL, complaint_data(), format="json", REMOTE_ADDR=address)


def _look_up(api, address, n):
    return api.get(status_url(f"KS-0000-0000-{n:04d}"), {"nik": "3275011505800003"}, REMOTE_ADDR=address)


@pytest.mark.parametrize(("send", "allowed"), [(_register, 201), (_complain, 201), (_look_up, 404)])
def test_it_counts_two_mapped_ipv4_clients_apart(api, one_per_hour, send, allowed):
    call = (lambda address, n: send(api, address, n)) if send is _look_up else (lambda address, n: send(api, address))

    assert call("::ffff:203.0.113.5", 1).status_code == allowed
    assert call("::ffff:198.51.100.7", 2).status_code == allowed
    assert call("::ffff:203.0.113.5", 3).status_code == 429


@pytest.mark.parametrize(("send", "allowed"), [(_register, 201), (_complain, 201), (_look_up, 404)])
def test_it_counts_a_mapped_address_as_the_ipv4_address_it_carries(api, one_per_hour, send, allowed):
    call = (lambda address, n: send(api, address, n)) if send is _look_up else (lambda address, n: send(api, address))

    assert call("203.0.113.5", 1).status_code == allowed
    assert call("::ffff:203.0.113.5", 2).status_code == 429


def test_it_reports_a_mapped_client_as_ipv4_to_the_audit_and_the_login_lockout(settings):
    settings.NUM_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:10.0.0.2", HTTP_X_FORWARDED_FOR="::ffff:203.0.113.5")

    assert client_ip(request) == "203.0.113.5"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="::FFFF:CB00:7105")) == "203.0.113.5"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="2001:db8::1")) == "2001:db8::1"
