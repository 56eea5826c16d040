"""gunicorn settings for the production image (docker-compose, Dockerfile).

Its logs go through the same masking formatter as Django's: a request path
or an error can carry a NIK (UU No. 27/2022). The access log shows the path
without the query string.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartusehat.settings")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threaded workers: a request waiting on the database (a staff search, an
# upload) holds a thread, not the whole process, so the requests behind it
# still run. Each thread keeps its own database connection (CONN_MAX_AGE):
# workers x threads per service, well under PostgreSQL's 100.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "masked": {
            "()": "kartusehat.logging.MaskingFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "masked_access": {"()": "kartusehat.logging.MaskingFormatter", "format": "%(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "masked", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "masked_access", "stream": "ext://sys.stdout"},
    },
    # Replaces gunicorn's default root, which names a handler this dict drops.
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
