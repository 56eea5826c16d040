"""Hospital endpoints of api-contract.md: the public partner list
(``GET /api/v1/hospitals/``), and for hospital users (a hospital key or a
desk login) coverage checks and emergency requests. Thin: the rules are in
``selectors`` and ``services``."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cards.models import Card
from cards.selectors import CARD_STATUSES
from kartusehat.api import ErrorOut, PublicAPIView
from kartusehat.net import client_ip
from kartusehat.parsers import SafeJSONParser
from registrations.models import Relationship

from . import services
from .authentication import HospitalTokenAuthentication
from .models import ApiToken, VerificationLog
from .selectors import FACILITY_TYPES, partner_facilities
from .validation import NOTES_MAX, hospital_filters


class HospitalOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.ChoiceField(FACILITY_TYPES)
    hospital_class = serializers.CharField(allow_null=True, help_text="A-D for hospitals, null otherwise.")
    address = serializers.CharField()
    kecamatan = serializers.CharField(allow_null=True, help_text="Name of the kecamatan in the city; null outside it.")
    kecamatan_code = serializers.CharField(allow_null=True, help_text="Its Kemendagri code, as in ?kecamatan=.")
    city = serializers.CharField(help_text="The city, or the city/regency of a facility outside it.")
    phone = serializers.CharField(allow_blank=True)
    inpatient = serializers.BooleanField()
    emergency_24h = serializers.BooleanField()
    poned = serializers.BooleanField(help_text="Obstetric and newborn emergency care (PONED/PONEK).")
    agreement_valid_until = serializers.DateField(
        allow_null=True, help_text="Last day of the agreement in force (renewals already signed included).",
    )


EMPTY_OR_BOOLEAN = {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": [""]}]}


class HospitalListView(PublicAPIView):
    @extend_schema(
        operation_id="hospitals_list",
        summary="Partner facilities whose agreement is in force today",
        parameters=[
            OpenApiParameter("kecamatan", str, description="Kecamatan code, e.g. 32.75.04"),
            # An empty filter is no filter (the public page's form sends ?type= for "All").
            OpenApiParameter("type", str, enum=[*FACILITY_TYPES, ""]),
            OpenApiParameter("inpatient", EMPTY_OR_BOOLEAN, description="true or false; empty for either"),
            OpenApiParameter("emergency_24h", EMPTY_OR_BOOLEAN, description="true or false; empty for either"),
            OpenApiParameter("q", str, description="Part of the name"),
        ],
        responses={200: HospitalOut(many=True), 400: OpenApiResponse(description='{"type": ["..."]}')},
        tags=["hospitals"],
    )
    def get(self, request):
        filters = hospital_filters(request.query_params)
        return Response(partner_facilities(on=timezone.localdate(), **filters))


# --- Hospital users: coverage checks and emergency requests -------------------


class HospitalAPIView(APIView):
    """A hospital key (``Token ksrs_…``) or a hospital user's login. Other
    tokens authenticate too, and are then refused with 403 by the services.
    Refusals (400, 403, 429) are answered by ``kartusehat.api.exception_handler``.

    ``audit_purpose``: what a refused key tried to do, for its audit row.
    """

    authentication_classes = [HospitalTokenAuthentication, TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    audit_purpose = VerificationLog.Purpose.VERIFY

    @staticmethod
    def hospital_token(request) -> ApiToken | None:
        return request.auth if isinstance(request.auth, ApiToken) else None


class VerifyIn(serializers.Serializer):
    """Exactly one of the three; an empty or null field counts as not sent, so a
    form that posts all three with two left empty is answered as it means."""

    card_number = serializers.CharField(required=False, allow_blank=True, allow_null=True,
        help_text="14 digits on the card; spaces and dashes are ignored.")
    qr = serializers.CharField(required=False, allow_blank=True, allow_null=True,
        help_text="The text of the QR code on the back of the card (KS1.…).")
    nik = serializers.CharField(required=False, allow_blank=True, allow_null=True,
        help_text="The patient's NIK (e-KTP), 16 digits.")


class VerifyCardOut(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(CARD_STATUSES)


class VerifyMemberOut(serializers.Serializer):
    full_name = serializers.CharField()
    nik = serializers.CharField(help_text="Masked: first and last 4 digits.")
    relationship = serializers.ChoiceField(Relationship.choices)


class VerifyHouseholdOut(serializers.Serializer):
    kk_number = serializers.CharField(help_text="Masked: first and last 4 digits.")
    kelurahan = serializers.CharField()
    kecamatan = serializers.CharField()


REASON_CODES = (
    "eligible", "not_registered", "registration_pending", "registration_rejected", "household_inactive",
    "outside_city", "card_revoked", "card_unknown", "qr_forged",
)


class VerifyOut(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why, for the desk to read (Bahasa Indonesia, or English with "
        "Accept-Language: en).")
    reason_code = serializers.ChoiceField(REASON_CODES, help_text="Why, for programs.")
    card = VerifyCardOut(allow_null=True)
    member = VerifyMemberOut(allow_null=True, help_text="The person looked up by NIK; null for a card or QR.")
    household = VerifyHouseholdOut(allow_null=True)
    members = VerifyMemberOut(many=True, required=False, help_text="Card or QR lookups: who the card covers.")


class VerifyView(HospitalAPIView):
    @extend_schema(
        operation_id="verify",
        summary="Is this patient covered? By card number, scanned QR or NIK",
        request=VerifyIn,
        responses={
            200: VerifyOut,
            400: OpenApiResponse(description='{"nik": ["..."]} or {"non_field_errors": ["Send exactly one ..."]}'),
            401: ErrorOut, 403: ErrorOut, 429: ErrorOut,
        },
        examples=[
            OpenApiExample("By NIK", value={"nik": "3275011505800003"}, request_only=True),
            OpenApiExample("By scanned QR", value={"qr": "KS1.32750000000125.7QK2M4XJ3DPA5ZRT"}, request_only=True),
            OpenApiExample(
                "Covered", response_only=True, status_codes=["200"],
                value={
                    "eligible": True, "reason": "Terdaftar: anggota keluarga terverifikasi Kartu Sehat Kota Bekasi.",
                    "reason_code": "eligible", "card": {"number": "32750000000125", "status": "printed"},
                    "member": {"full_name": "Budi Santoso", "nik": "3275••••••••0003",
                        "relationship": "kepala_keluarga"},
                    "household": {"kk_number": "3275••••••••0004", "kelurahan": "Kranji", "kecamatan": "Bekasi Barat"},
                },
            ),
        ],
        tags=["hospitals"],
    )
    def post(self, request):
        try:
            data = request.data
        except (ParseError, UnsupportedMediaType):
            data = None  # still a check: it is answered and recorded like any other
        return Response(services.coverage_check(
            user=request.user, token=self.hospital_token(request), data=data,
            channel=VerificationLog.Channel.API, ip=client_ip(request),
        ))


class EmergencyRequestIn(serializers.Serializer):
    nik = serializers.CharField(help_text="The patient's NIK, 16 digits.")
    reason = serializers.ChoiceField(Card.Reason.choices)
    letter = serializers.FileField(
        help_text="The hospital's letter (surat keterangan): PDF, JPEG or PNG, at most 5 MB.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX)


class EmergencyRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(CARD_STATUSES, help_text="Where the patient's card is now.")
    priority = serializers.ChoiceField(Card.Priority.choices)


class EmergencyRequestView(HospitalAPIView):
    parser_classes = [MultiPartParser, FormParser, SafeJSONParser]
    audit_purpose = VerificationLog.Purpose.EMERGENCY

    @extend_schema(
        operation_id="emergency_requests_create",
        summary="Print a patient's card first (hospitalised or emergency), with the hospital's letter",
        request={"multipart/form-data": EmergencyRequestIn},
        responses={
            201: EmergencyRequestOut,
            400: OpenApiResponse(description='{"letter": ["..."]}, {"nik": ["..."]}, ...'),
            401: ErrorOut, 403: ErrorOut, 429: ErrorOut,
        },
        examples=[OpenApiExample("Queued first", value={"id": 17, "status": "queued", "priority": "emergency"},
                                 response_only=True, status_codes=["201"])],
        tags=["hospitals"],
    )
    def post(self, request):
        try:
            data, files = request.data, request.FILES
        except (ParseError, UnsupportedMediaType):
            data, files = None, None  # answered with a 400 and recorded like any other request
        if hasattr(data, "getlist"):
            data = {key: data.get(key) for key in data}
        emergency = services.emergency_request_submit(
            user=request.user, token=self.hospital_token(request), data=data, files=files, ip=client_ip(request),
        )
        return Response(services.emergency_request_status(emergency), status=status.HTTP_201_CREATED)
