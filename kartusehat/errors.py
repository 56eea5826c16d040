"""Messages for requests refused before any view runs (middleware and API)."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def too_large_message() -> str:
    return _("The request is too large (over %(max)s). Send files as multipart uploads, each within the limit.") % {
        "max": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def too_many_fields_message() -> str:
    return _("The request has too many fields or files.")


def malformed_multipart_message() -> str:
    return _("The multipart/form-data body could not be read (its boundary or parts are broken). "
             "Send the form again, or send JSON (application/json).")
