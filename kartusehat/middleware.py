from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia first.

    Pages (citizen portal, staff admin) are in Bahasa Indonesia unless the
    person picked another language with the language switch (cookie): many
    Indonesian phones and PCs send ``Accept-Language: en-US`` although their
    owners read Indonesian. The API follows ``Accept-Language``, as its
    contract says.
    """

    api_prefix = "/api/"

    def process_request(self, request):
        if request.path.startswith(self.api_prefix):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
