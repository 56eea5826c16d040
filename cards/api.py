"""Card endpoints of api-contract.md: service status (public), stock and
print batches (token of a Dinas Kependudukan operator)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kartusehat.api import SIGNED_IN_ONLY, PublicAPIView

from . import selectors, services
from .models import Batch
from .selectors import NORMAL, REGISTRATION_ONLY, service_status


class ServiceStatusOut(serializers.Serializer):
    mode = serializers.ChoiceField([NORMAL, REGISTRATION_ONLY])
    message = serializers.CharField()
    blanko_available = serializers.IntegerField(allow_null=True)


class ServiceStatusView(PublicAPIView):
    @extend_schema(
        operation_id="service_status",
        summary="Whether regular cards are being printed",
        responses={200: ServiceStatusOut},
        examples=[
            OpenApiExample(
                "Blanko held back for emergencies",
                value={"mode": "registration_only",
                    "message": "Pendaftaran tetap dibuka; hanya kartu darurat yang dicetak.", "blanko_available": 0},
                response_only=True,
            )
        ],
        tags=["service"],
    )
    def get(self, request):
        return Response(ServiceStatusOut(service_status()).data)


class PrintOffice(permissions.BasePermission):
    """Operators of the print office (their group's permissions), by token or session."""

    perms = {"GET": "cards.view_stock", "POST": "cards.add_batch"}

    def has_permission(self, request, view):
        user = request.user
        perm = getattr(view, "required_perms", self.perms).get(request.method)
        return bool(user and user.is_authenticated and perm and user.has_perm(perm))


class LotOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    budget_year = serializers.IntegerField()
    quantity = serializers.IntegerField()
    received_on = serializers.DateField()


class ForecastOut(serializers.Serializer):
    consumption_per_week = serializers.FloatField(
        min_value=0, help_text="Blanks used (printed and spoiled) per week: the average of the last 4 full ISO weeks.")
    regular_runs_out_on = serializers.DateField(
        allow_null=True, help_text="At that rate, the day nothing is left for regular cards; null when nothing "
                                   "was used.")
    emergency_reserve_runs_out_on = serializers.DateField(
        allow_null=True, help_text="At that rate, the day the emergency reserve is used up too; null when nothing "
                                   "was used.")


class StockOut(serializers.Serializer):
    on_hand = serializers.IntegerField()
    reserved_for_emergency = serializers.IntegerField()
    reserved_for_batches = serializers.IntegerField()
    available_for_regular = serializers.IntegerField()
    consumed = serializers.IntegerField()
    spoiled = serializers.IntegerField()
    mode = serializers.ChoiceField([NORMAL, REGISTRATION_ONLY])
    forecast = ForecastOut()
    lots = LotOut(many=True)


class StockView(APIView):
    permission_classes = [PrintOffice]

    @extend_schema(operation_id="stock", summary="Blanko stock and lots", responses={200: StockOut, **SIGNED_IN_ONLY},
        tags=["print office"])
    def get(self, request):
        return Response(StockOut(selectors.stock_summary()).data)


class BatchIn(serializers.Serializer):
    size = serializers.IntegerField(min_value=1, max_value=services.MAX_BATCH)


class BatchCreated(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(Batch.Status.choices)


class BatchOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(Batch.Status.choices)
    cards = serializers.IntegerField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    pdf_url = serializers.CharField(allow_null=True)


class BatchCreateView(APIView):
    permission_classes = [PrintOffice]
    required_perms = {"POST": "cards.add_batch"}

    @extend_schema(
        operation_id="print_batches_create", summary="Start a print batch; a worker renders it",
        request=BatchIn, responses={202: BatchCreated, 400: OpenApiResponse(description='{"size": ["..."]}'),
                                     **SIGNED_IN_ONLY},
        examples=[OpenApiExample("500 cards", value={"size": 500}, request_only=True)],
        tags=["print office"],
    )
    def post(self, request):
        data = BatchIn(data=request.data if isinstance(request.data, dict) else {})
        data.is_valid(raise_exception=True)
        batch = services.batch_create(size=data.validated_data["size"], by=request.user)
        batch.refresh_from_db()
        # Eagerly run (embedded default) the batch may already be done; the
        # contract's answer is still the batch as created.
        return Response({"id": batch.pk, "status": Batch.Status.PENDING}, status=status.HTTP_202_ACCEPTED)


def batch_body(batch: Batch, request) -> dict:
    pdf_url = None
    if batch.status == Batch.Status.DONE and batch.pdf:
        pdf_url = request.build_absolute_uri(reverse("api-print-batch-pdf", args=[batch.pk]))
    return {"id": batch.pk, "status": batch.status, "cards": batch.cards_count, "progress": batch.progress,
        "pdf_url": pdf_url}


class BatchDetailView(APIView):
    permission_classes = [PrintOffice]
    required_perms = {"GET": "cards.view_batch"}

    @extend_schema(operation_id="print_batches_detail", summary="A print batch and its progress",
                   responses={200: BatchOut, 404: OpenApiResponse(description="No such batch"), **SIGNED_IN_ONLY},
                   tags=["print office"])
    def get(self, request, batch_id: int):
        batch = Batch.objects.filter(pk=batch_id).first()
        if batch is None:
            raise Http404
        return Response(BatchOut(batch_body(batch, request)).data)


class BatchPdfView(APIView):
    permission_classes = [PrintOffice]
    required_perms = {"GET": "cards.view_batch"}

    @extend_schema(operation_id="print_batches_pdf", summary="The batch's PDF (one card side per page)",
                   responses={(200, "application/pdf"): OpenApiResponse(description="PDF"),
                              404: OpenApiResponse(description="No such batch, or it is not printed yet"),
                              **SIGNED_IN_ONLY},
                   tags=["print office"])
    def get(self, request, batch_id: int):
        batch = Batch.objects.filter(pk=batch_id, status=Batch.Status.DONE).exclude(pdf="").first()
        if batch is None:
            raise Http404
        response = FileResponse(batch.pdf.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="kartu-sehat-batch-{batch.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
