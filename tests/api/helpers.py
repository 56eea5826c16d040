"""Shared helpers for the public API tests: URLs, row counts, real files."""

from __future__ import annotations

import io
import json
import random

from registrations.models import Registration, RegistrationDocument, RegistrationEvent, RegistrationMember

REGISTRATIONS_URL = "/api/v1/registrations/"
REGIONS_URL = "/api/v1/regions/"
HOSPITALS_URL = "/api/v1/hospitals/"
SERVICE_STATUS_URL = "/api/v1/service-status/"
SCHEMA_URL = "/api/schema/"
DOCS_URL = "/api/docs/"


def status_url(reference: str) -> str:
    return f"{REGISTRATIONS_URL}{reference}/"


def row_counts() -> dict[str, int]:
    return {
        "registrations": Registration.objects.count(),
        "members": RegistrationMember.objects.count(),
        "events": RegistrationEvent.objects.count(),
        "documents": RegistrationDocument.objects.count(),
    }


NOTHING = {"registrations": 0, "members": 0, "events": 0, "documents": 0}


def post_json(client, body, **extra):
    """POST ``body`` (any JSON value) encoded as JSON."""
    return client.post(REGISTRATIONS_URL, json.dumps(body), content_type="application/json", **extra)


def post_raw(client, text: str | bytes, **extra):
    """POST ``text`` as it is, declared as JSON."""
    return client.post(REGISTRATIONS_URL, text, content_type="application/json", **extra)


def post_multipart(client, data: dict, files: dict, **extra):
    """Multipart as a browser sends it: ``members`` as JSON text beside the files."""
    form = {key: (json.dumps(value) if key == "members" else value) for key, value in data.items()}
    form = {key: ("true" if value is True else value) for key, value in form.items()}
    form.update(files)
    return client.post(REGISTRATIONS_URL, form, format="multipart", **extra)


def files_under(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())


# --- Real files ---------------------------------------------------------------


def png_bytes(size: int = 48, *, seed: int = 1) -> bytes:
    """A real PNG of random pixels (noise compresses badly, so it has body to cut)."""
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (size, size), bytes(rng.randrange(256) for _ in range(size * size * 3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size: int = 48, *, seed: int = 2) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (size, size), bytes(rng.randrange(256) for _ in range(size * size * 3)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A minimal but complete one-page PDF (ends with %%EOF)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# --- Refusals -----------------------------------------------------------------


def refused(response, before: dict | None = None) -> dict:
    """Assert a 400 that wrote nothing; return the error body."""
    assert response.status_code == 400, (response.status_code, response.content)
    assert row_counts() == (before or NOTHING), "a refused registration must leave no rows"
    body = response.json()
    assert isinstance(body, dict) and body, body
    return body


def messages(errors: dict, field: str) -> str:
    """The messages of one top-level field, checked to be non-empty strings."""
    assert field in errors, errors
    value = errors[field]
    assert isinstance(value, list) and value and all(isinstance(m, str) and m for m in value), errors
    return " ".join(value)


def member_messages(errors: dict, index: int, field: str, *, only: bool = True) -> str:
    """Messages on ``members[index].field``; with ``only``, every other member has none."""
    members = errors.get("members")
    assert isinstance(members, list) and index < len(members), errors
    assert all(isinstance(m, dict) for m in members), errors
    if only:
        assert all(m == {} for i, m in enumerate(members) if i != index), errors
        assert list(members[index]) == [field], errors
    return messages(members[index], field)


def list_rule_messages(errors: dict) -> str:
    """Messages of a rule about the member list: under ``non_field_errors`` or
    as a list of strings under ``members`` (the contract allows both)."""
    found = []
    if "non_field_errors" in errors:
        found.append(messages(errors, "non_field_errors"))
    members = errors.get("members")
    if isinstance(members, list) and members and all(isinstance(m, str) for m in members):
        found.append(" ".join(members))
    assert found, errors
    return " ".join(found)
