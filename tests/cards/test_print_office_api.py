"""GET /api/v1/stock/, POST and GET /api/v1/print-batches/ with an operator's token."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cards.models import Batch
from cards.roles import PRINT_OFFICE
from tests.factories import UserFactory, blanko, verified

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def operator():
    user = UserFactory(username="operator.cetak")
    user.groups.add(Group.objects.get(name=PRINT_OFFICE))
    return client_for(user)


def test_it_shows_the_stock_to_an_operator(operator):
    blanko(800, emergency_reserve=300, reference="LOT-API")

    body = operator.get("/api/v1/stock/").json()

    assert body["on_hand"] == 800
    assert body["reserved_for_emergency"] == 300
    assert body["available_for_regular"] == 500
    assert body["mode"] == "normal"
    assert [lot["reference"] for lot in body["lots"]] == ["LOT-API"]


def test_it_refuses_the_stock_to_anonymous_and_non_operators():
    assert APIClient().get("/api/v1/stock/").status_code in (401, 403)
    assert client_for(UserFactory(username="someone")).get("/api/v1/stock/").status_code == 403


def test_it_creates_a_batch_that_a_worker_renders(operator, django_capture_on_commit_callbacks, monkeypatch):
    from kartusehat.celery import app

    # In-process, as in the embedded default, even where a broker is configured
    # (test_batch_workers_integration covers real workers).
    monkeypatch.setattr(app.conf, "task_always_eager", True)
    blanko(50, emergency_reserve=10)
    verified()
    verified()

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post("/api/v1/print-batches/", {"size": 5}, format="json")

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    batch = Batch.objects.get(pk=response.json()["id"])
    detail = operator.get(f"/api/v1/print-batches/{batch.pk}/").json()
    assert detail == {"id": batch.pk, "status": "done", "cards": 2, "progress": 100, "pdf_url": detail["pdf_url"]}
    assert detail["pdf_url"].endswith(f"/api/v1/print-batches/{batch.pk}/pdf/")
    pdf = operator.get(detail["pdf_url"])
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("body", [{}, {"size": 0}, {"size": "many"}, {"size": 10_001}, ["size"]])
def test_it_refuses_a_bad_size_with_a_400(operator, body):
    response = operator.post("/api/v1/print-batches/", body, format="json")

    assert response.status_code == 400
    assert not Batch.objects.exists()


def test_it_answers_404_for_an_unknown_batch(operator):
    assert operator.get("/api/v1/print-batches/999/").status_code == 404
