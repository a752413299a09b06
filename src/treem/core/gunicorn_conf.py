"""Gunicorn's settings under `treem serve` (``--config python:treem.core.gunicorn_conf``); the command line adds the
bind address, the number of workers and the request timeout.

Gunicorn rather than granian (both install on Python 3.13): measured here, 2 workers each, 4 concurrent clients,
SQLite: /healthz 1,476 req/s (p95 4.3 ms) vs granian 2,036 (3.7 ms), but the sign-in page, a real Django page,
847 req/s (p95 6.9 ms) vs granian 719 (7.7 ms). Treem's time is in Django, not in HTTP parsing."""

from __future__ import annotations

import os

worker_class = "sync"  # Django's ORM is synchronous; one request per process at a time
graceful_timeout = 30  # requests in flight get this long after SIGTERM
max_requests = 2000  # a worker is replaced after this many requests (+ jitter), bounding any slow leak
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("TREEM_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")  # the reverse proxy's address
accesslog = None  # each request is logged by Django (treem.request, INFO) with its request id
errorlog = "-"
loglevel = os.environ.get("TREEM_LOG_LEVEL", "WARNING").lower()
proc_name = "treem"
control_socket_disable = True  # no gunicornc socket under $HOME: nothing to manage at run time but by signals

if os.environ.get("TREEM_LOG_FORMAT") == "json":
    # Gunicorn's own lines (start, stop, a worker timeout) as JSON too, like Django's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "treem.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": loglevel.upper()},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        },
    }
