"""Settings for `make demo`: the base settings with DEBUG on for the local server."""

from __future__ import annotations

import os

os.environ.setdefault("TREEM_DEBUG", "true")

from .base import *  # noqa: E402,F403
