"""GET /api/schema/: the OpenAPI 3 schema is public JSON, names every public
path of the contract with the contract's enums, and validates cleanly."""

import json

import pytest
from django.core.management import call_command

from tests.api.helpers import SCHEMA_URL

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = {
    "/api/v1/registrations/": "post",
    "/api/v1/registrations/{reference}/": "get",
    "/api/v1/regions/": "get",
    "/api/v1/hospitals/": "get",
    "/api/v1/service-status/": "get",
    "/api/v1/complaints/": "post",
}
SEX = ["L", "P"]
RELATIONSHIP = [
    "kepala_keluarga", "suami", "istri", "anak", "menantu", "cucu", "orang_tua", "mertua", "famili_lain", "lainnya",
]
REGISTRATION_STATUS = ["submitted", "verified", "rejected"]
CARD_STATUS = ["queued", "printed", "dispatched", "ready_for_pickup", "collected", "revoked"]


@pytest.fixture
def schema(api):
    response = api.get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(("application/json", "application/vnd.oai.openapi+json"))
    return json.loads(response.content)


def _resolve(schema, node):
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        node = schema["components"]["schemas"][name]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _component(schema, name):
    return schema["components"]["schemas"][name]


def _member_request(schema):
    operation = schema["paths"]["/api/v1/registrations/"]["post"]
    body = _resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"])
    return _resolve(schema, body["properties"]["members"]["items"])


def test_it_is_public_json_openapi_3(client):
    response = client.get(SCHEMA_URL, {"format": "json"})

    assert response.status_code == 200
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_it_includes_every_public_path_of_the_contract(schema):
    for path, method in PUBLIC_PATHS.items():
        assert path in schema["paths"], sorted(schema["paths"])
        assert method in schema["paths"][path], (path, sorted(schema["paths"][path]))


def test_it_gives_the_contracts_sex_and_relationship_enums(schema):
    member = _member_request(schema)

    assert _resolve(schema, member["properties"]["sex"])["enum"] == SEX
    assert _resolve(schema, member["properties"]["relationship"])["enum"] == RELATIONSHIP


def test_it_gives_the_contracts_status_enums(schema):
    operation = schema["paths"]["/api/v1/registrations/{reference}/"]["get"]
    out = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])

    assert set(out["properties"]) == {
        "reference", "status", "submitted_at", "status_history", "card", "rejection_reason",
    }
    assert _resolve(schema, out["properties"]["status"])["enum"] == REGISTRATION_STATUS
    card = _resolve(schema, out["properties"]["card"])
    assert _resolve(schema, card["properties"]["status"])["enum"] == CARD_STATUS
    history_item = _resolve(schema, out["properties"]["status_history"]["items"])
    assert set(history_item["properties"]) == {"status", "at"}


def test_it_documents_the_nik_query_parameter_and_the_404_and_429(schema):
    operation = schema["paths"]["/api/v1/registrations/{reference}/"]["get"]

    nik = [p for p in operation["parameters"] if p["name"] == "nik"]
    assert nik and nik[0]["in"] == "query" and nik[0]["required"] is True
    assert {"200", "404", "429"} <= set(operation["responses"])


def test_it_documents_json_and_multipart_for_a_registration(schema):
    content = schema["paths"]["/api/v1/registrations/"]["post"]["requestBody"]["content"]

    assert {"application/json", "multipart/form-data"} <= set(content)
    multipart = _resolve(schema, content["multipart/form-data"]["schema"])
    assert {"kk_scan", "ektp_scan", "members", "consent"} <= set(multipart["properties"])
    assert {"201", "400"} <= set(schema["paths"]["/api/v1/registrations/"]["post"]["responses"])


def test_it_documents_the_hospital_filters(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/hospitals/"]["get"]["parameters"]}

    assert {"kecamatan", "type", "inpatient", "emergency_24h", "q"} <= set(parameters)
    facility_types = _resolve(schema, parameters["type"]["schema"])["enum"]
    # The empty value is "all types", as the public page's form sends it.
    assert sorted(facility_types) == sorted(["rsud", "rs_swasta", "puskesmas", "klinik", ""])


@pytest.fixture
def fresh_warnings():
    """drf-spectacular prints each warning once per process and keeps a
    process-wide tally that --fail-on-warn reads: start this run from zero."""
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    yield
    GENERATOR_STATS.reset()


def _generate(tmp_path, capsys, *options) -> str:
    capsys.readouterr()
    call_command("spectacular", "--validate", *options, "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 0
    return capsys.readouterr().err


def test_it_validates_against_the_openapi_specification(tmp_path, capsys, fresh_warnings):
    # Errors (not warnings) would make the schema unusable for clients' generators.
    stderr = _generate(tmp_path, capsys)

    assert "Error" not in stderr.replace("Errors:   0", "")


def test_it_validates_without_warnings(tmp_path, capsys, fresh_warnings):
    _generate(tmp_path, capsys, "--fail-on-warn")


def test_it_gives_each_component_its_own_name(tmp_path, capsys, fresh_warnings):
    stderr = _generate(tmp_path, capsys)

    assert "identical names" not in stderr


def test_it_names_every_enum_without_a_collision(tmp_path, capsys, fresh_warnings):
    stderr = _generate(tmp_path, capsys)

    assert "enum naming encountered" not in stderr


HOSPITAL_PATHS = {"/api/v1/verify/": "post", "/api/v1/emergency-requests/": "post"}


def test_it_includes_the_hospital_paths_with_their_answers(schema):
    for path, method in HOSPITAL_PATHS.items():
        operation = schema["paths"][path][method]
        assert {"400", "401", "403", "429"} <= set(operation["responses"]), path
    verify = schema["paths"]["/api/v1/verify/"]["post"]
    out = _resolve(schema, verify["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"eligible", "reason", "card", "member", "household"} <= set(out["properties"])
    created = schema["paths"]["/api/v1/emergency-requests/"]["post"]["responses"]["201"]
    assert set(_resolve(schema, created["content"]["application/json"]["schema"])["properties"]) == {"id", "status",
        "priority"}


def test_it_documents_the_emergency_request_as_multipart_with_the_contracts_reasons(schema):
    content = schema["paths"]["/api/v1/emergency-requests/"]["post"]["requestBody"]["content"]
    body = _resolve(schema, content["multipart/form-data"]["schema"])

    assert {"nik", "reason", "letter", "notes"} <= set(body["properties"])
    assert body["properties"]["letter"]["format"] == "binary"
    assert _resolve(schema, body["properties"]["reason"])["enum"] == ["rawat_inap", "gawat_darurat", "sakit"]


def test_it_documents_the_hospital_key(schema):
    scheme = schema["components"]["securitySchemes"]["hospitalKey"]

    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert {"hospitalKey": []} in schema["paths"]["/api/v1/verify/"]["post"]["security"]
