"""The figures endpoints of api-contract.md ("Figures"): coverage and cards,
for the signed-in staff user's area, at most ``FIGURES_RECOMPUTE_SECONDS`` old."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, renderers, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kartusehat.api import SIGNED_IN_ONLY

from . import selectors

FIGURES_PERMISSION = "figures.view_figures"


class FiguresReader(permissions.BasePermission):
    """Staff whose role reads figures (a session or a token); 401 without credentials."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return bool(user.is_active and user.has_perm(FIGURES_PERMISSION))


def area_of(request) -> selectors.Area:
    area = selectors.figures_area(request.user)
    if area is None:  # no area of work: scoping fails closed
        raise PermissionDenied(_("Your account has no area of work yet."))
    return area


class CoverageRow(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    households_total = serializers.IntegerField(allow_null=True)
    households_verified = serializers.IntegerField()
    households_pending = serializers.IntegerField()
    people_covered = serializers.IntegerField()
    coverage_pct = serializers.FloatField(allow_null=True)


class CoverageOut(serializers.Serializer):
    as_of = serializers.DateTimeField()
    target_pct = serializers.FloatField()
    area = CoverageRow()
    children = CoverageRow(many=True)


class CardsByStatus(serializers.Serializer):
    queued = serializers.IntegerField()
    printed = serializers.IntegerField()
    dispatched = serializers.IntegerField()
    ready_for_pickup = serializers.IntegerField()
    collected = serializers.IntegerField()
    revoked = serializers.IntegerField()


class PrintedWeek(serializers.Serializer):
    week = serializers.DateField()
    cards = serializers.IntegerField()


class CardsOut(serializers.Serializer):
    as_of = serializers.DateTimeField()
    by_status = CardsByStatus()
    emergency_queued = serializers.IntegerField()
    overdue_pickup = serializers.IntegerField()
    printed_per_week = PrintedWeek(many=True)


CSV_COLUMNS = ["code", "name", "households_total", "households_verified", "households_pending", "people_covered",
               "coverage_pct"]


class CoverageCSVRenderer(renderers.BaseRenderer):
    """The coverage rows as CSV: the area first, then its children."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in [data["area"], *data["children"]]:
            writer.writerow(["" if row[name] is None else row[name] for name in CSV_COLUMNS])
        return out.getvalue().encode("utf-8")


FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], required=False,
                          description="`csv` for the same rows as CSV (the area first, then its children).")


class CoverageView(APIView):
    permission_classes = [FiguresReader]
    renderer_classes = [renderers.JSONRenderer, CoverageCSVRenderer]

    def perform_content_negotiation(self, request, force=False):
        # DRF answers an unknown ?format= with a bare 404; say what to write instead.
        if not force and request.query_params.get("format", "json") not in ("json", "csv"):
            raise ValidationError({"format": [_("Write json or csv.")]})
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        # Only the rows are CSV: a refusal (or OPTIONS) is JSON, whatever format was asked for.
        if request.method != "GET" or response.status_code != 200:
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="stats_coverage", summary="Coverage of the user's area and the areas inside it",
        parameters=[FORMAT],
        responses={(200, "application/json"): CoverageOut,
                   (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The same rows as CSV"),
                   400: OpenApiResponse(description='{"format": ["..."]}: neither json nor csv'),
                   **SIGNED_IN_ONLY},
        tags=["figures"],
    )
    def get(self, request):
        body = CoverageOut(selectors.coverage(area_of(request))).data
        response = Response(body)
        if getattr(request.accepted_renderer, "format", "") == "csv":
            response["Content-Disposition"] = 'attachment; filename="coverage.csv"'
        return response


class CardsView(APIView):
    permission_classes = [FiguresReader]

    @extend_schema(operation_id="stats_cards", summary="Cards of the user's area by stage, and printed per week",
                   responses={200: CardsOut, **SIGNED_IN_ONLY}, tags=["figures"])
    def get(self, request):
        return Response(CardsOut(selectors.cards(area_of(request))).data)
