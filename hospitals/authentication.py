"""``Authorization: Token ksrs_…``: keys of hospital information systems.

Used only by the hospital endpoints (coverage checks, emergency requests),
so a hospital key opens nothing else: on any other endpoint it is an
unknown token. Keys are looked up by their SHA-256; a revoked key, or the
key of a suspended user, is refused with 401.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from kartusehat import memo
from kartusehat.net import client_ip

from .models import ApiToken, VerificationLog
from .services import KEY_PREFIX, hash_key, refused_key_used, token_used


def _purpose(request) -> str:
    """What the refused key tried: the view says (``HospitalAPIView.audit_purpose``)."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    return getattr(view, "audit_purpose", VerificationLog.Purpose.VERIFY)


class HospitalTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower().encode():
            return None
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            return None
        if not key.startswith(KEY_PREFIX):
            return None  # not ours: the print office's tokens are checked next
        key_hash = hash_key(key)
        # Remembered per process until any key, hospital user, facility or
        # user changes (kartusehat.memo; hospitals.services revoke through it).
        token = memo.remember(memo.version(), ("token", key_hash), lambda: (
            ApiToken.objects.select_related("staff__user", "staff__facility").filter(key_hash=key_hash).first()
        ))
        if token is None or not token.is_active:
            if token is not None:  # a revoked key still in use: the health office wants to know
                refused_key_used(token, purpose=_purpose(request), ip=client_ip(request), result="key_revoked")
            raise AuthenticationFailed(
                _("This key is unknown or has been revoked. Ask the health office for a new one.")
            )
        user = token.staff.user
        if not user.is_active:
            refused_key_used(token, purpose=_purpose(request), ip=client_ip(request), result="user_suspended")
            raise AuthenticationFailed(_("The hospital user of this key is suspended."))
        token_used(token)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class HospitalTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description of the hospital key (drf-spectacular)."""

    target_class = HospitalTokenAuthentication
    name = "hospitalKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "`Token ksrs_…`: a hospital information system's key, issued by the health office.",
        }
