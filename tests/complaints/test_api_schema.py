"""The complaint endpoint is documented in the OpenAPI schema as the contract says."""

import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def operation():
    generator = SchemaGenerator(patterns=[path("api/v1/", include("complaints.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    return schema, schema["paths"]["/api/v1/complaints/"]["post"]


def test_it_documents_the_request_with_the_five_categories(operation):
    schema, op = operation
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    body = schema["components"]["schemas"][ref]
    category = body["properties"]["category"]
    enum = category.get("enum") or schema["components"]["schemas"][category["$ref"].rsplit("/", 1)[1]]["enum"]

    assert set(body["required"]) == {"name", "phone", "category", "message"}
    assert enum == ["kartu_belum_jadi", "data_salah", "pendaftaran", "layanan_rumah_sakit", "lainnya"]


def test_it_documents_201_400_and_429_with_retry_after(operation):
    _schema, op = operation

    assert {"201", "400", "429"} <= set(op["responses"])
    assert "Retry-After" in op["responses"]["429"]["headers"]
    examples = op["requestBody"]["content"]["application/json"]["examples"]
    assert any("kartu" in str(example["value"]).lower() for example in examples.values())
