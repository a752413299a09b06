"""Settings for `make demo`: the base settings, DEBUG off (a wrong URL shows the styled 404 page, not Django's
debug page listing the URL patterns), with the embedded server serving Treem's static files itself."""

from __future__ import annotations

import os

os.environ.setdefault("TREEM_SERVE_STATIC", "true")
# The demo's printed logins work with their password alone; TREEM_OTP_REQUIRED=true shows the two-factor flow.
os.environ.setdefault("TREEM_OTP_REQUIRED", "false")

from .base import *  # noqa: E402,F403

if "MAILERS" not in globals():  # the demo prints the reminders' e-mail on the console
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# `make demo` runs no `collectstatic`: {% static %} names the source files, served from the apps' static folders.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
