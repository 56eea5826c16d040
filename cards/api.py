"""``GET /api/v1/service-status/`` (api-contract.md)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import NORMAL, REGISTRATION_ONLY, service_status


class ServiceStatusOut(serializers.Serializer):
    mode = serializers.ChoiceField([NORMAL, REGISTRATION_ONLY])
    message = serializers.CharField()
    blanko_available = serializers.IntegerField(allow_null=True)


class ServiceStatusView(APIView):
    @extend_schema(
        operation_id="service_status",
        summary="Whether regular cards are being printed",
        responses={200: ServiceStatusOut},
        examples=[
            OpenApiExample(
                "Blanko held back for emergencies",
                value={"mode": "registration_only", "message": "Pendaftaran tetap dibuka; hanya kartu darurat yang dicetak.", "blanko_available": 0},
                response_only=True,
            )
        ],
        tags=["service"],
    )
    def get(self, request):
        return Response(ServiceStatusOut(service_status()).data)
