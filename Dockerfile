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
# Dependencies first, read from pyproject.toml (a layer that is rebuilt only
# when they change), then the project itself: pip installs every package that
# pyproject.toml names ([tool.setuptools.packages.find]), so no app is left out.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt
COPY . .
RUN pip install --no-deps . \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media /app/private-media && chown -R kartusehat /app/media /app/private-media \
    && chmod 0750 /app/private-media

USER kartusehat
EXPOSE 8000
# Logging (masked) and workers are in gunicorn.conf.py.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"]
