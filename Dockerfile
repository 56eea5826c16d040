# Production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=kartusehat.settings

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 kartusehat

WORKDIR /app
COPY pyproject.toml README.md ./
COPY kartusehat ./kartusehat
COPY registrations ./registrations
COPY cards ./cards
COPY hospitals ./hospitals
RUN pip install .
COPY . .
# collectstatic needs settings but no database or secrets.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media /app/private-media && chown -R kartusehat /app/media /app/private-media

USER kartusehat
EXPOSE 8000
# Logging (masked) and workers are in gunicorn.conf.py.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"]
