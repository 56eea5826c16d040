"""Public complaint endpoint (api-contract.md): a thin view over the service,
which holds every rule."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from kartusehat import throttling
from kartusehat.api import PublicAPIView
from kartusehat.net import client_ip
from kartusehat.parsers import SafeJSONParser
from kartusehat.text import NAME_MAX

from . import services
from .models import Complaint
from .validation import MESSAGE_MAX, MESSAGE_MIN

# --- Schema only: the rules live in validation.clean_complaint ----------------


class ComplaintIn(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX, help_text="Name of the person complaining.")
    phone = serializers.CharField(help_text="Indonesian mobile number: 08…, 628… or +628…; stored as +628….")
    nik = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Optional. When given, a valid 16-digit NIK; spaces, dots and dashes are ignored.",
    )
    category = serializers.ChoiceField(Complaint.Category.choices)
    message = serializers.CharField(min_length=MESSAGE_MIN, max_length=MESSAGE_MAX)


class ComplaintCreated(serializers.Serializer):
    ticket = serializers.CharField(help_text="Ticket number, e.g. ADU-7M3Q-9XKD; quote it when following up.")


class ComplaintRateLimited(serializers.Serializer):
    detail = serializers.CharField()


EXAMPLE_REQUEST = {
    "name": "Siti Aminah",
    "phone": "081234567890",
    "nik": "3275015708830002",
    "category": "kartu_belum_jadi",
    "message": "Sudah daftar dua bulan lalu di Kelurahan Kranji, tetapi kartu belum bisa diambil.",
}


class ComplaintCreateView(PublicAPIView):
    parser_classes = [SafeJSONParser]

    @extend_schema(
        operation_id="complaints_create",
        summary="Send a complaint (aduan)",
        description=(
            "Every attempt counts toward a limit per client address "
            "(`KARTUSEHAT_RATES['complaints_per_address']`, 10 per hour by default). "
            "Messages are in Bahasa Indonesia, or English with `Accept-Language: en`."
        ),
        request={"application/json": ComplaintIn},
        responses={
            201: ComplaintCreated,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description='Errors per field, e.g. {"phone": ["..."]}; a body that is not an object gives '
                '{"non_field_errors": ["..."]}, unreadable JSON {"detail": "..."}.',
            ),
            429: OpenApiResponse(response=ComplaintRateLimited, description="Too many complaints from this address."),
        },
        parameters=[
            OpenApiParameter(
                "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429],
                description="Seconds until a complaint is accepted again.",
            ),
        ],
        examples=[
            OpenApiExample("Kartu belum jadi", value=EXAMPLE_REQUEST, request_only=True),
            OpenApiExample("Diterima", value={"ticket": "ADU-7M3Q-9XKD"}, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "Nomor ponsel tidak valid",
                value={"phone": ["Masukkan nomor ponsel Indonesia, misalnya 081234567890."]},
                response_only=True, status_codes=["400"],
            ),
            OpenApiExample(
                "Terlalu sering",
                value={"detail": "Terlalu banyak aduan dari koneksi Anda. Coba lagi dalam 42 menit."},
                response_only=True, status_codes=["429"],
            ),
        ],
        tags=["complaints"],
    )
    def post(self, request):
        # Before anything is read: every attempt counts, valid or not. A
        # refusal (429, 400) is answered by kartusehat.api.exception_handler.
        throttling.hit(services.RATE_SCOPE, client_ip(request) or "")
        complaint = services.complaint_submit(data=request.data)
        return Response({"ticket": complaint.ticket}, status=status.HTTP_201_CREATED)

