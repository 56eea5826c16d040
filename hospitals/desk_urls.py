from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import desk

app_name = "hospitals-desk"

urlpatterns = [
    path("", desk.check, name="check"),
    path("masuk/", desk.DeskLoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(next_page=reverse_lazy("hospitals-desk:login")), name="logout"),
    path("darurat/", desk.emergency_new, name="emergency"),
    path("darurat/<int:request_id>/", desk.emergency_done, name="emergency-done"),
]
