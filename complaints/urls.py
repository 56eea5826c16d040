from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_new, name="new"),
    path("terkirim/", views.complaint_done, name="done"),
]
