"""Strings in third-party templates that ship without a Bahasa Indonesia
translation. Listed here so ``make messages`` puts them in our catalogue,
which Django consults first (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("Changes"),  # django-simple-history: history list column
]
