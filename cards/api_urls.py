from django.urls import path

from . import api

urlpatterns = [
    path("service-status/", api.ServiceStatusView.as_view(), name="api-service-status"),
    path("stock/", api.StockView.as_view(), name="api-stock"),
    path("print-batches/", api.BatchCreateView.as_view(), name="api-print-batch-create"),
    path("print-batches/<int:batch_id>/", api.BatchDetailView.as_view(), name="api-print-batch"),
    path("print-batches/<int:batch_id>/pdf/", api.BatchPdfView.as_view(), name="api-print-batch-pdf"),
]
