"""Public list of partner facilities, with the API's filters."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from registrations.selectors import city_regions

from .models import Facility
from .selectors import partner_facilities
from .validation import hospital_filters


def facility_list(request):
    errors = {}
    try:
        filters = hospital_filters(request.GET)
    except ValidationError as exc:
        errors, filters = exc.detail, {}
    labels = dict(Facility.Type.choices)
    facilities = [
        {**item, "type_label": labels[item["type"]]} for item in partner_facilities(on=timezone.localdate(), **filters)
    ]
    return render(request, "hospitals/list.html", {
        "facilities": facilities,
        "filters": filters,
        "errors": errors,
        "filtered": bool(filters),
        "kecamatan": city_regions(),
        "types": Facility.Type.choices,
    }, status=400 if errors else 200)
