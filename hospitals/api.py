"""``GET /api/v1/hospitals/`` (api-contract.md): partner facilities in force today."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kartusehat.api import PublicAPIView
from registrations.validation import has_control_chars

from .selectors import FACILITY_TYPES, partner_facilities


class HospitalFilters(serializers.Serializer):
    """The query string, checked: a bad filter is a 400 that says what to fix."""

    kecamatan = serializers.RegexField(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$", required=False)
    type = serializers.ChoiceField(FACILITY_TYPES, required=False)
    inpatient = serializers.BooleanField(required=False, allow_null=True, default=None)
    emergency_24h = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True, trim_whitespace=True)

    def validate_kecamatan(self, value):
        if not value.startswith(settings.CITY_REGION_CODE + "."):
            raise serializers.ValidationError(
                _("Use a kecamatan code of %(city)s, e.g. %(code)s.01.")
                % {"city": settings.KARTUSEHAT_CITY["name"], "code": settings.CITY_REGION_CODE}
            )
        return value

    def validate_q(self, value):
        if has_control_chars(value):
            raise serializers.ValidationError(_("This field contains characters that are not allowed."))
        return value


class HospitalOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.ChoiceField(FACILITY_TYPES)
    address = serializers.CharField()
    kecamatan = serializers.CharField(allow_null=True)
    city = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)
    inpatient = serializers.BooleanField()
    emergency_24h = serializers.BooleanField()
    agreement_valid_until = serializers.DateField(allow_null=True)


def hospital_filters(query) -> dict:
    """Validated filters from a query string; raises ValidationError (400)."""
    filters = HospitalFilters(data={key: query.get(key) for key in query if key in HospitalFilters().fields})
    filters.is_valid(raise_exception=True)
    return {key: value for key, value in filters.validated_data.items() if value not in (None, "")}


class HospitalListView(PublicAPIView):
    @extend_schema(
        operation_id="hospitals_list",
        summary="Partner facilities whose agreement is in force today",
        parameters=[
            OpenApiParameter("kecamatan", str, description="Kecamatan code, e.g. 32.75.04"),
            OpenApiParameter("type", str, enum=list(FACILITY_TYPES)),
            OpenApiParameter("inpatient", bool),
            OpenApiParameter("emergency_24h", bool),
            OpenApiParameter("q", str, description="Part of the name"),
        ],
        responses={200: HospitalOut(many=True)},
        tags=["hospitals"],
    )
    def get(self, request):
        filters = hospital_filters(request.query_params)
        return Response(partner_facilities(on=timezone.localdate(), **filters))
