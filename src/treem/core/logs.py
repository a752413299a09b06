"""Structured logs: a request id on every log record written while a request is handled, and the JSON formatter that
TREEM_LOG_FORMAT=json selects (settings.LOGGING): one JSON object per line with timestamp, level, logger, message,
request_id and, for an error, the exception's traceback. The formatting is python-json-logger's."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept when it looks like one (no spaces, no control characters, bounded); anything else is replaced.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

_request_id: ContextVar[str | None] = ContextVar("treem_request_id", default=None)
request_logger = logging.getLogger("treem.request")


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when valid, else a new one), answers it in the same header,
    and logs one INFO line per request on ``treem.request``: method, path (no query string: it may hold a child's
    name), status and duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if request_logger.isEnabledFor(logging.INFO):
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or "-") on every record, for the text format and the JSON one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: timestamp (ISO 8601, UTC), level, logger, message, request_id, exception (the
    traceback, when the record has one) and the record's extra fields. Django's request object, which a
    ``django.request`` record carries, is left out: its text holds the query string."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["levelname", "name", "message", "request_id"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "exc_info": "exception"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("json_ensure_ascii", False)  # Vietnamese stays readable
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        if log_data.get("request_id") == "-":
            log_data["request_id"] = None
