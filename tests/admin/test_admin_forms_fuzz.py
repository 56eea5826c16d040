"""Every admin form answers garbage with a page, never a 500: each add and
change form of every registered model, and each of the admin's own form
pages, posted with non-numeric, out-of-range, impossible and oversized
values in every field (a crafted autocomplete id, say ``facility=abc``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# One request per round, every field of the form given the round's value.
ROUNDS = {
    "not a number": "abc",
    "negative": "-1",
    "too large": "9" * 30,
    "a fraction": "1.5",
    "an exponent": "1e400",
    "an impossible date": "2026-02-30",
    "a year past 9999": "99999-01-01",
    "oversized text": "x" * 5000,
    "a list as text": "[1, 2]",
    "only a space": " ",
}


def _value(field: forms.Field, value: str):
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return [value, "1"]
    if isinstance(field, forms.SplitDateTimeField):
        return value
    return value


def _forms_in(response):
    """The form(s) a page shows: the admin's model form, or a form page's own."""
    found = []
    for context in response.context or []:
        for key in ("adminform", "form"):
            if key in context:
                form = context[key]
                form = getattr(form, "form", form)
                if isinstance(form, forms.BaseForm) and form not in found:
                    found.append(form)
    return found


def _fill(form, value: str, *, prefix: str | None = None) -> dict:
    data = {}
    for name, field in form.fields.items():
        bound = f"{prefix}-{name}" if prefix else form.add_prefix(name)
        if isinstance(field, forms.MultiValueField):
            for index in range(len(field.fields)):
                data[f"{bound}_{index}"] = value
        else:
            data[bound] = _value(field, value)
    return data


def _inline_formsets(response):
    """The inlines of an admin change form (e.g. a user's area of work, an autocomplete)."""
    for context in response.context or []:
        if "inline_admin_formsets" in context:
            return [inline.formset for inline in context["inline_admin_formsets"]]
    return []


def _post_every_round(client, url, form, *, inlines=(), extra=None) -> list[str]:
    broken = []
    for label, value in ROUNDS.items():
        data = {**(extra or {}), **_fill(form, value)}
        for formset in inlines:
            data.update({f"{formset.prefix}-TOTAL_FORMS": "1", f"{formset.prefix}-INITIAL_FORMS": "0",
                         f"{formset.prefix}-MIN_NUM_FORMS": "0", f"{formset.prefix}-MAX_NUM_FORMS": "1000"})
            data.update(_fill(formset.empty_form, value, prefix=f"{formset.prefix}-0"))
        response = client.post(url, data)
        if response.status_code >= 500:
            broken.append(f"{url} ({label}): {response.status_code}")
    return broken


@pytest.fixture
def root():
    # Every kind of row the admin shows: registrations, cards at each step, dispatches, agreements, users.
    call_command("load_demo", households=6, seed=5, stdout=StringIO())
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _model_form_urls(client):
    request_user = get_user_model().objects.get(username="admin")
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:%s_%s_add" % info)
        obj = model_admin.model._default_manager.order_by("pk").first()
        if obj is not None and request_user.is_superuser:
            yield reverse("admin:%s_%s_change" % info, args=[obj.pk])


def test_it_answers_garbage_in_every_field_of_every_add_and_change_form_with_a_page(root):
    broken, tried = [], 0
    for url in _model_form_urls(root):
        page = root.get(url)
        if page.status_code != 200:
            continue  # no add/change permission for this model, or a redirect
        for form in _forms_in(page):
            tried += 1
            broken += _post_every_round(root, url, form, inlines=_inline_formsets(page))

    assert tried >= 20
    assert not broken, "\n".join(broken)


_STANDARD = ("_changelist", "_add", "_history", "_delete", "_change", "_autocomplete", "_import", "_export",
             "_process_import")


def _custom_form_pages(client):
    """The admin's own pages with one object id in the URL (receive a dispatch, add a member, collect a card…)."""
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            converters = getattr(pattern.pattern, "converters", {})
            if not name or name.endswith(_STANDARD) or len(converters) > 1:
                continue
            if any(type(c).__name__ != "IntConverter" for c in converters.values()):
                continue
            if not converters:
                yield reverse(f"admin:{name}")
                continue
            for pk in model_admin.model._default_manager.order_by("pk").values_list("pk", flat=True)[:4]:
                yield reverse(f"admin:{name}", args=[pk])


def test_it_answers_garbage_in_every_field_of_the_admins_own_form_pages_with_a_page(root):
    broken, tried = [], set()
    for url in _custom_form_pages(root):
        page = root.get(url)
        if page.status_code != 200:
            continue
        for form in _forms_in(page):
            tried.add(url.rstrip("/").rsplit("/", 1)[-1])
            broken += _post_every_round(root, url, form)

    assert {"add-member", "correct-name", "collect"} <= tried, tried
    assert not broken, "\n".join(broken)


def test_it_answers_garbage_in_the_forms_actions_ask_for_with_a_page(root):
    broken, tried = [], 0
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        url = reverse("admin:%s_%s_changelist" % info)
        request = root.get(url).wsgi_request
        pks = [str(pk) for pk in model_admin.model._default_manager.order_by("pk").values_list("pk", flat=True)[:2]]
        if not pks:
            continue
        for action in model_admin.get_actions(request):
            if action == "delete_selected":
                continue
            page = root.post(url, {"action": action, "_selected_action": pks})
            if page.status_code >= 500:
                broken.append(f"{url} {action}: {page.status_code}")
                continue
            for form in _forms_in(page) if page.status_code == 200 else []:
                tried += 1
                broken += _post_every_round(root, url, form,
                                            extra={"action": action, "_selected_action": pks, "apply": "1"})

    assert tried >= 3
    assert not broken, "\n".join(broken)
