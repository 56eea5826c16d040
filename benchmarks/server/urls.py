from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from kartusehat.urls import urlpatterns as project_urlpatterns


@csrf_exempt
def bare(request):
    """What any request costs on this server: middleware and a JSON body."""
    return JsonResponse({"eligible": True, "reason_code": "bare"})


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
