"""Public registration endpoints (api-contract.md): thin views over the
services and selectors, which hold every rule."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

# A declared back-edge (pyproject.toml, import contract): the status
# endpoint's schema names the card's statuses and steps.
from cards.selectors import CARD_STATUSES, CITIZEN_EVENT_KINDS
from kartusehat.api import PublicAPIView
from kartusehat.net import client_ip
from kartusehat.parsers import SafeJSONParser

from . import selectors, services
from .models import Registration, Relationship, Sex
from .validation import DOCUMENT_FIELDS

# --- Schema only: the rules live in validation.clean_registration ------------


@extend_schema_field({"anyOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}],
                     "nullable": True})
class OptionalEmailField(serializers.EmailField):
    """An email address or nothing (empty or null): a form sends an empty field when there is none."""


class MemberIn(serializers.Serializer):
    nik = serializers.CharField(help_text="16 digits; spaces, dots and dashes are ignored.")
    full_name = serializers.CharField(max_length=150)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(Sex.choices)
    relationship = serializers.ChoiceField(Relationship.choices)


class RegistrationJSONIn(serializers.Serializer):
    kk_number = serializers.CharField(help_text="16 digits, issued in the city.")
    kelurahan_code = serializers.CharField(help_text="e.g. 32.75.02.1002 (see /api/v1/regions/)")
    address = serializers.CharField(max_length=200)
    rt = serializers.CharField(max_length=3)
    rw = serializers.CharField(max_length=3)
    phone = serializers.CharField(help_text="08…, 628… or +628…")
    email = OptionalEmailField(required=False, allow_blank=True, allow_null=True)
    consent = serializers.BooleanField(help_text="Must be true: consent to the processing of personal data (see "
        "/privasi/).")
    members = MemberIn(many=True)


class RegistrationIn(RegistrationJSONIn):
    """Multipart: the same fields and the scans (JSON carries no files)."""

    kk_scan = serializers.FileField(required=False, help_text="Multipart only: KK scan, PDF/JPEG/PNG ≤ 5 MB.")
    ektp_scan = serializers.FileField(required=False,
        help_text="Multipart only: e-KTP scan of the head, PDF/JPEG/PNG ≤ 5 MB.")


class RegistrationCreated(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(Registration.Status.choices)


class StatusEvent(serializers.Serializer):
    status = serializers.ChoiceField(Registration.Status.choices)
    at = serializers.DateTimeField()


class CardEventOut(serializers.Serializer):
    event = serializers.ChoiceField(CITIZEN_EVENT_KINDS)
    at = serializers.DateTimeField()


class CardStatus(serializers.Serializer):
    status = serializers.ChoiceField(CARD_STATUSES)
    pickup_location = serializers.CharField(allow_null=True, help_text="While the card waits to be collected.")
    pickup_deadline = serializers.DateField(allow_null=True, help_text="The last day to collect it.")
    history = CardEventOut(many=True, help_text="The card's steps so far, oldest first.")


class RegistrationStatusOut(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(Registration.Status.choices)
    submitted_at = serializers.DateTimeField()
    status_history = StatusEvent(many=True)
    card = CardStatus(allow_null=True)
    rejection_reason = serializers.CharField(allow_null=True)


class ErrorDetail(serializers.Serializer):
    detail = serializers.CharField()


EXAMPLE_REQUEST = {
    "kk_number": "3275021203180004",
    "kelurahan_code": "32.75.02.1002",
    "address": "Jl. Kranji Raya No. 5",
    "rt": "003",
    "rw": "002",
    "phone": "081234567890",
    "email": "warga@example.com",
    "consent": True,
    "members": [
        {"nik": "3275011505800003", "full_name": "Budi Santoso", "birth_date": "1980-05-15",
         "sex": "L", "relationship": "kepala_keluarga"},
        {"nik": "3275015708830002", "full_name": "Siti Aminah", "birth_date": "1983-08-17",
         "sex": "P", "relationship": "istri"},
    ],
}


def registration_input(request) -> tuple[object, dict]:
    """The raw registration and its files, from JSON or multipart.

    In multipart, ``members`` travels as a JSON text beside the files.
    """
    if not hasattr(request.data, "getlist"):  # JSON: whatever was sent, checked by the service
        data = request.data
        # A scan cannot travel in JSON: say so instead of silently dropping it.
        files = {name: data[name] for name in DOCUMENT_FIELDS if isinstance(data,
            dict) and data.get(name) not in (None, "")}
        return data, files
    data = {key: request.data.get(key) for key in request.data if key not in DOCUMENT_FIELDS}
    members = data.get("members")
    if isinstance(members, str):
        try:
            data["members"] = json.loads(members)
        except (ValueError, RecursionError):
            pass  # left as text: the validation says members must be a JSON list
    files = {name: request.FILES.get(name) or request.data.get(name) for name in DOCUMENT_FIELDS}
    return data, {name: value for name, value in files.items() if value not in (None, "")}


class RegistrationCreateView(PublicAPIView):
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="registrations_create",
        summary="Submit a household (Kartu Keluarga) for Kartu Sehat",
        request={"application/json": RegistrationJSONIn, "multipart/form-data": RegistrationIn},
        responses={
            201: RegistrationCreated,
            400: OpenApiResponse(description='Errors per field, e.g. {"members": [{}, {"nik": ["..."]}]}. '
                "An already registered KK or NIK is named one number per answer."),
            429: OpenApiResponse(ErrorDetail, description="Too many registrations accepted, or too many answers "
                "'already registered', from this client address or its network; see Retry-After."),
        },
        examples=[
            OpenApiExample("Household of two", value=EXAMPLE_REQUEST, request_only=True),
            OpenApiExample("Accepted", value={"reference": "KS-7M3Q-9XKD-2HFA", "status": "submitted"},
                response_only=True, status_codes=["201"]),
            OpenApiExample(
                "NIK disagrees with the birth date",
                value={"members": [{},
                    {"nik": ["NIK ini mencatat tanggal lahir 17-08-1983, bukan 18-08-1983. Periksa NIK dan tanggal "
                        "lahir."]}]},
                response_only=True, status_codes=["400"],
            ),
        ],
        tags=["registrations"],
    )
    def post(self, request):
        data, files = registration_input(request)
        # A refusal (400, 429) is answered by kartusehat.api.exception_handler.
        registration = services.registration_submit(
            data=data, files=files, channel=Registration.Channel.ONLINE, address=client_ip(request) or ""
        )
        return Response(
            {"reference": registration.reference, "status": registration.status}, status=status.HTTP_201_CREATED
        )


def not_found_body() -> dict:
    # One body for every miss: it must not tell which part was wrong.
    return {"detail": _("No registration matches this reference and NIK.")}


class RegistrationStatusView(PublicAPIView):
    @extend_schema(
        operation_id="registrations_status",
        summary="Status of a registration, for a member of the household",
        parameters=[OpenApiParameter("nik", str, OpenApiParameter.QUERY, required=True,
            description="NIK of any member")],
        responses={200: RegistrationStatusOut, 404: ErrorDetail, 429: ErrorDetail},
        examples=[
            OpenApiExample(
                "Submitted",
                value={
                    "reference": "KS-7M3Q-9XKD-2HFA", "status": "submitted",
                    "submitted_at": "2026-11-22T09:15:02+07:00",
                    "status_history": [{"status": "submitted", "at": "2026-11-22T09:15:02+07:00"}],
                    "card": None, "rejection_reason": None,
                },
                response_only=True, status_codes=["200"],
            ),
        ],
        tags=["registrations"],
    )
    def get(self, request, reference):
        registration = selectors.registration_for_citizen(
            reference=reference, nik=request.query_params.get("nik"), address=client_ip(request)
        )
        if registration is None:
            return Response(not_found_body(), status=status.HTTP_404_NOT_FOUND)
        return Response(RegistrationStatusOut(selectors.registration_status(registration)).data)


class KelurahanOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class KecamatanOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kelurahan = KelurahanOut(many=True)


class RegionListView(PublicAPIView):
    @extend_schema(
        operation_id="regions_list",
        summary="The city's kecamatan with their kelurahan",
        responses={200: KecamatanOut(many=True)},
        tags=["regions"],
    )
    def get(self, request):
        return Response(selectors.city_regions())
