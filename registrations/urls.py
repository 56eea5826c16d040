from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("daftar/selesai/", views.register_done, name="done"),
    path("status/", views.status, name="status"),
    path("privasi/", views.privacy, name="privacy"),
]
