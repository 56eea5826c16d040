"""API-wide error handling: every 400 in the contract's shape."""

from django.core.exceptions import RequestDataTooBig
from django.template.defaultfilters import filesizeformat
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django would answer with a bare HTML page; say what to fix instead.
        return Response(
            {"non_field_errors": [
                _("The request is too large (over %(max)s). Send files as multipart uploads, each within the limit.")
                % {"max": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
            ]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
